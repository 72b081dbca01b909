package io.homeostat.http;

import io.homeostat.evaluate.StatusCodec;
import io.homeostat.model.TargetStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The per-target series of {@code /metrics}, read at every scrape from this instance's latest verdicts (the
 * {@code target-status} store): each instance exports the targets it owns, so a target appears once across a
 * deployment. At most {@code cap} targets get series (the worst states first, then by id: a firing target is never
 * the one left out); the rest are counted in {@code homeostat_target_series_omitted}. {@code homeostat_targets}
 * counts every target by state, cap or not.
 */
final class TargetMetrics implements MultiCollector {
    /** Worst first: which targets keep their series under the cap, and in what order the page shows them. */
    static final List<String> STATES = List.of(TargetStatus.FIRING, TargetStatus.DEVIATING, TargetStatus.NO_DATA,
            TargetStatus.INSUFFICIENT_DATA, TargetStatus.OK);

    private final LocalStores stores;
    private final int cap;

    TargetMetrics(LocalStores stores, int cap) {
        this.stores = stores;
        this.cap = cap;
    }

    @Override
    public MetricSnapshots collect() {
        List<TargetStatus> all = localStatuses();
        all.sort(Comparator.comparingInt((TargetStatus s) -> rank(s.state())).thenComparing(TargetStatus::targetId));
        Map<String, Integer> byState = new LinkedHashMap<>();
        STATES.forEach(state -> byState.put(state, 0));
        all.forEach(s -> byState.merge(s.state(), 1, Integer::sum));

        GaugeSnapshot.Builder count = GaugeSnapshot.builder().name("homeostat_targets")
                .help("Targets this instance judges, by state (every target, whatever the per-target cap)");
        byState.forEach((state, n) -> count.dataPoint(point(Labels.of("state", state), n)));
        GaugeSnapshot.Builder omitted = GaugeSnapshot.builder().name("homeostat_target_series_omitted")
                .help("Targets of this instance left out of the per-target series by the cap (--metrics-max-targets)")
                .dataPoint(point(Labels.EMPTY, Math.max(0, all.size() - cap)));

        GaugeSnapshot.Builder state = gauge("homeostat_target_state",
                "1 for the target's current state (ok, deviating, firing, no_data, insufficient_data), 0 for the others");
        GaugeSnapshot.Builder actual = gauge("homeostat_target_actual", "The measured value over the target's last window");
        GaugeSnapshot.Builder objective = gauge("homeostat_target_objective", "The target's value (its `target` field)");
        GaugeSnapshot.Builder goodRatio = gauge("homeostat_target_good_ratio",
                "Share of the window's events that met the target (distributions only)");
        GaugeSnapshot.Builder deviation = gauge("homeostat_target_deviation_percent",
                "How far the actual value is from the target, in percent of the target");
        GaugeSnapshot.Builder events = gauge("homeostat_target_events", "Events in the target's last window");
        for (TargetStatus s : all.subList(0, Math.min(cap, all.size()))) {
            Labels labels = Labels.of("requirement", s.requirement(), "target_id", s.targetId());
            for (String st : STATES) state.dataPoint(point(labels.add("state", st), st.equals(s.state()) ? 1 : 0));
            if (s.actual() != null) actual.dataPoint(point(labels, s.actual()));
            objective.dataPoint(point(labels, s.target()));
            if (s.goodRatio() != null) goodRatio.dataPoint(point(labels, s.goodRatio()));
            if (s.deviationPercent() != null) deviation.dataPoint(point(labels, s.deviationPercent()));
            events.dataPoint(point(labels, s.events()));
        }
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (GaugeSnapshot.Builder b : List.of(count, omitted, state, actual, objective, goodRatio, deviation, events)) {
            snapshots.add(b.build());
        }
        return new MetricSnapshots(snapshots);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("homeostat_targets", "homeostat_target_series_omitted", "homeostat_target_state",
                "homeostat_target_actual", "homeostat_target_objective", "homeostat_target_good_ratio",
                "homeostat_target_deviation_percent", "homeostat_target_events");
    }

    static int rank(String state) {
        int i = STATES.indexOf(state);
        return i < 0 ? STATES.size() : i;
    }

    private List<TargetStatus> localStatuses() {
        List<TargetStatus> statuses = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = stores.statuses().all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                try {
                    statuses.add(StatusCodec.decode(entry.value));
                } catch (IllegalArgumentException e) {
                    // written by this very process: cannot happen short of a bug; the next verdict rewrites it
                }
            }
        } catch (InvalidStateStoreException e) {
            // starting or rebalancing: no per-target series in this scrape
        }
        return statuses;
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }
}

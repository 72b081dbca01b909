package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.evaluate.SeriesRef;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The per-slice upkeep of a requirement task's slice stores costs what expires, not what is stored. */
class RequirementWindowsUpkeepTest {
    static final long SLICE = 1_000;
    static final int REQUIREMENTS = 1_000;
    static final int SLICES = 60;
    static final int METRIC_REQUIREMENTS = 100;
    static final String[] METRICS = {"http.server.duration", "queue.depth"};
    static final int SERIES = 3;

    final MockProcessorContext<String, Object> context = new MockProcessorContext<>();
    final CountingStore spans = store(RequirementWindows.SPAN_SLICES_STORE);
    final CountingStore metrics = store(RequirementWindows.METRIC_SLICES_STORE);
    final CountingStore series = store(RequirementWindows.SERIES_STORE);

    @Test
    void droppingTheOldestSliceTouchesOnlyTheExpiringSlices() {
        RequirementWindows windows = filled();
        long spanEntries = spans.size();
        long metricEntries = metrics.size();
        assertThat(spanEntries).isEqualTo((long) REQUIREMENTS * SLICES + 1);
        resetCounts();

        windows.purge(SLICE); // slice 0 expires: one span slice per requirement, one metric slice per series
        long expiredSpans = REQUIREMENTS;
        long expiredMetrics = (long) METRIC_REQUIREMENTS * METRICS.length * SERIES;
        assertThat(spans.fullScans + metrics.fullScans + series.fullScans).as("no scan of a whole store").isZero();
        assertThat(spans.deletes).isEqualTo(expiredSpans);
        assertThat(metrics.deletes).isEqualTo(expiredMetrics);
        assertThat(spans.ranges).as("one range per requirement with an expiring slice").isEqualTo(REQUIREMENTS);
        assertThat(metrics.ranges).as("one range per (requirement, metric)").isEqualTo(METRIC_REQUIREMENTS * METRICS.length);
        // Each range reads its expiring slices and the first slice it keeps (to know where the prefix starts now).
        assertThat(spans.entriesRead).isEqualTo(expiredSpans + REQUIREMENTS);
        assertThat(metrics.entriesRead).isEqualTo(expiredMetrics + METRIC_REQUIREMENTS * METRICS.length);
        assertThat(spans.touched() + metrics.touched() + series.touched())
                .as("the purge's cost, against the %d entries a scan of both stores read", spanEntries + metricEntries)
                .isLessThanOrEqualTo(2 * (expiredSpans + expiredMetrics) + REQUIREMENTS + METRIC_REQUIREMENTS * METRICS.length);
        assertThat(spans.size()).isEqualTo(spanEntries - expiredSpans);
        assertThat(metrics.size()).isEqualTo(metricEntries - expiredMetrics);

        resetCounts();
        windows.purge(SLICE);
        assertThat(spans.touched() + metrics.touched() + spans.ranges + metrics.ranges)
                .as("nothing more expired: nothing touched").isZero();

        // The sparse requirement's one slice (slice 30) is not looked at until it expires.
        resetCounts();
        windows.purge(30 * SLICE);
        assertThat(spans.ranges).isEqualTo(REQUIREMENTS);
        assertThat(spans.deletes).isEqualTo(29L * REQUIREMENTS);
        resetCounts();
        windows.purge(31 * SLICE);
        assertThat(spans.ranges).as("the sparse requirement's slice is due now too").isEqualTo(REQUIREMENTS + 1);
        assertThat(spans.deletes).isEqualTo(REQUIREMENTS + 1);
    }

    @Test
    void theWindowStillMergesWhatIsLeft() {
        RequirementWindows windows = filled();
        windows.purge(50 * SLICE);
        assertThat(windows.window("REQ-7", 0, SLICES * SLICE).spans().aggregate().count()).isEqualTo(10L * 3);
        assertThat(windows.window("REQ-7", 0, SLICES * SLICE).metric(new io.homeostat.model.MetricRef("queue.depth", Map.of()))
                .orElseThrow().aggregate().events()).isEqualTo(10L * SERIES);
    }

    @Test
    void forgettingARequirementDeletesExactlyItsSlices() {
        RequirementWindows windows = filled();
        long spanEntries = spans.size();
        long metricEntries = metrics.size();
        resetCounts();
        windows.forget("REQ-7");
        assertThat(spans.deletes).isEqualTo(SLICES);
        assertThat(metrics.deletes).isEqualTo((long) METRICS.length * SLICES * SERIES);
        assertThat(spans.entriesRead + metrics.entriesRead).isEqualTo(spans.deletes + metrics.deletes);
        assertThat(spans.size()).isEqualTo(spanEntries - SLICES);
        assertThat(metrics.size()).isEqualTo(metricEntries - (long) METRICS.length * SLICES * SERIES);
        assertThat(windows.window("REQ-7", 0, SLICES * SLICE).spans().aggregate().count()).isZero();
        windows.forgetSeries(new SeriesRef("REQ-7", "queue.depth", 1, true));
        assertThat(series.deletes).isEqualTo(1);
    }

    @Test
    void aRestartedTaskRebuildsTheIndexFromTheStoresAndPurgesAsBefore() {
        filled();
        RequirementWindows restarted = windows();
        RequirementWindows.Restored restored = restarted.restore(5_000_000);
        assertThat(restored.requirements()).hasSize(REQUIREMENTS + 1);
        assertThat(restored.series()).hasSize(METRIC_REQUIREMENTS * METRICS.length * SERIES);
        assertThat(restored.series()).containsEntry(new SeriesRef("REQ-7", "queue.depth",
                MetricPartial.attributesId(attributes(2)), false), 5_000_000L);
        long before = spans.size();
        resetCounts();
        restarted.purge(SLICE);
        assertThat(spans.fullScans).isZero();
        assertThat(spans.deletes).isEqualTo(REQUIREMENTS);
        assertThat(spans.size()).isEqualTo(before - REQUIREMENTS);
    }

    /** 1 000 requirements with a slice each in 60 slices; 100 of them with 2 metrics of 3 series; one sparse one. */
    private RequirementWindows filled() {
        RequirementWindows windows = windows();
        windows.restore(0);
        for (int slice = 0; slice < SLICES; slice++) {
            for (int r = 0; r < REQUIREMENTS; r++) {
                windows.addSpans("REQ-" + r, slice * SLICE, spans(3));
                if (r < METRIC_REQUIREMENTS) {
                    for (String metric : METRICS) {
                        for (int s = 0; s < SERIES; s++) {
                            windows.addMetric("REQ-" + r, metric, attributes(s), slice * SLICE,
                                    MetricAggregate.Gauge.of(slice * SLICE * 1_000_000L, s));
                        }
                    }
                }
            }
        }
        windows.addSpans("REQ-SPARSE", 30 * SLICE, spans(1));
        return windows;
    }

    private RequirementWindows windows() {
        return new RequirementWindows(SLICE, spans, metrics, series, new UnreadableState(new TaskMetrics(context)));
    }

    private void resetCounts() {
        spans.reset();
        metrics.reset();
        series.reset();
    }

    private static SortedMap<String, String> attributes(int s) {
        return new TreeMap<>(Map.of("route", "/r" + s));
    }

    private static SpanAggregate spans(int count) {
        SpanAggregate aggregate = new SpanAggregate();
        for (int i = 0; i < count; i++) aggregate.record(100, false, () -> "0af7651916cd43dd8448eb211c80319c");
        return aggregate;
    }

    private CountingStore store(String name) {
        KeyValueStore<Bytes, byte[]> inner = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        inner.init(context.getStateStoreContext(), inner);
        return new CountingStore(inner);
    }
}

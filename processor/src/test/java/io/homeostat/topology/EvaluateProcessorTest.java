package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.evaluate.StateCodec;
import io.homeostat.model.Alert;
import io.homeostat.model.Fingerprints;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** The requirement task's Kafka adapter over its stores: what it does with state it cannot read. */
class EvaluateProcessorTest {
    static final long SLICE = 1_000;
    static final long T0 = 1_795_514_400_000L;
    static final String REQ = "REQ-NFR-PERF-001";
    static final String TARGET_ID = REQ + "/span.duration_ms";

    final MockProcessorContext<String, Object> context = new MockProcessorContext<>();

    @Test
    void anUnreadableEpisodeIsReportedAndItsAlertResolvedAtTheFirstVerdictThatDoesNotFail() throws Exception {
        Target target = TargetParser.parse("""
                {"requirement": "REQ-NFR-PERF-001", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "window": "2s", "min_events": 5, "labels": {"team": "identity"}}"""
                .getBytes(StandardCharsets.UTF_8));
        KeyValueStore<String, byte[]> targets = stringStore(EvaluateProcessor.TARGETS_STORE);
        KeyValueStore<String, byte[]> episodes = stringStore(EvaluateProcessor.EPISODES_STORE);
        targets.put(TARGET_ID, StateCodec.encode(target));
        episodes.put(TARGET_ID, new byte[] {0x10, 0x0a, 0x03, 'f', 'p'}); // damaged: no checksum
        for (String name : new String[] {EvaluateProcessor.TARGET_STATE_STORE, EvaluateProcessor.UNATTRIBUTED_STORE,
                EvaluateProcessor.CLOCK_STORE}) {
            stringStore(name);
        }
        KeyValueStore<String, byte[]> statuses = stringStore(EvaluateProcessor.TARGET_STATUS_STORE);
        sliceStores();
        EvaluateProcessor processor = new EvaluateProcessor(SLICE, SLICE, 30_000, false, true,
                java.util.Set.of("otlp_spans"));
        context.setCurrentSystemTimeMs(T0);
        processor.init(context);
        assertThat(unreadableCount(EvaluateProcessor.EPISODES_STORE)).isEqualTo(1.0);

        long now = T0;
        for (int second = 0; second < 5; second++) {
            now = T0 + second * SLICE + SLICE / 2;
            context.setCurrentSystemTimeMs(now);
            processor.process(new Record<>(REQ, new RequirementEvent.SlicePartial(T0 + second * SLICE, healthy(20)), now));
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(now);
        }
        List<Alert> alerts = context.forwarded().stream()
                .filter(f -> f.childName().orElse("").equals(EvaluateProcessor.ALERTS))
                .map(f -> (Alert) f.record().value()).toList();
        String fingerprint = Fingerprints.alert(TARGET_ID, Map.of("team", "identity"));
        assertThat(alerts).as("one resolve for the fingerprint the lost episode had").singleElement().satisfies(alert -> {
            assertThat(alert.fingerprint()).isEqualTo(fingerprint);
            assertThat(alert.status()).isEqualTo(Alert.RESOLVED);
            // The first window judged (before this data) has no events: as for a known episode, that resolves it.
            assertThat(alert.resolvedReason()).isEqualTo(Alert.RESOLVED_NO_EVENTS);
            assertThat(alert.alertId()).isEqualTo(fingerprint + "-0");
        });
        assertThat(episodes.get(TARGET_ID)).as("the unreadable value is gone from the store").isNull();
        assertThat(io.homeostat.evaluate.StatusCodec.decode(statuses.get(TARGET_ID)).state())
                .as("the latest verdict, for the status API").isEqualTo(io.homeostat.model.TargetStatus.OK);
    }

    @Test
    void aRestartedTaskStartsItsCapsFromWhatItsStoresHold() throws Exception {
        for (String name : new String[] {EvaluateProcessor.TARGETS_STORE, EvaluateProcessor.EPISODES_STORE,
            EvaluateProcessor.TARGET_STATE_STORE, EvaluateProcessor.UNATTRIBUTED_STORE, EvaluateProcessor.CLOCK_STORE,
            EvaluateProcessor.TARGET_STATUS_STORE}) {
            stringStore(name);
        }
        KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> spans = sliceStores();
        // Slices of three requirements without a target, left by the task's previous run; the cap is now two.
        for (String requirement : List.of("user-1", "user-2", "user-3")) {
            spans.put(SliceStoreKeys.key(requirement, T0), io.homeostat.aggregate.SpanAggregateCodec.encode(healthy(1)));
        }
        EvaluateProcessor processor = new EvaluateProcessor(SLICE, SLICE, 30_000, false, true,
                java.util.Set.of("otlp_spans"), new io.homeostat.evaluate.CardinalityLimits(2, 10, 10, java.time.Duration.ofMinutes(1)));
        context.setCurrentSystemTimeMs(T0);
        processor.init(context);
        processor.process(new Record<>("user-4", new RequirementEvent.SlicePartial(T0, healthy(5)), T0));
        processor.process(new Record<>("user-1", new RequirementEvent.SlicePartial(T0 + SLICE, healthy(2)), T0));
        assertThat(counter("requirements-refused-total")).as("the stored ones fill the cap: a new one is refused")
                .isEqualTo(5.0);
        assertThat(spans.get(SliceStoreKeys.key("user-1", T0 + SLICE))).as("a stored one is still kept").isNotNull();

        // A minute later, the idle ones expire with their slices, and the cap has room again.
        long later = T0 + 61_000;
        context.setCurrentSystemTimeMs(later);
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(later);
        assertThat(spans.get(SliceStoreKeys.key("user-3", T0))).isNull();
        assertThat(counter("requirements-expired-total")).isEqualTo(3.0);
        processor.process(new Record<>("user-4", new RequirementEvent.SlicePartial(later, healthy(5)), later));
        assertThat(spans.get(SliceStoreKeys.key("user-4", later))).isNotNull();
        processor.close();
    }

    private double counter(String metric) {
        double total = 0;
        for (var e : context.metrics().metrics().entrySet()) {
            if (e.getKey().name().equals(metric)) total += ((Number) e.getValue().metricValue()).doubleValue();
        }
        return total;
    }

    /** The three slice stores, in memory; returns the span slices. */
    private KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> sliceStores() {
        KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> spans = null;
        for (String name : new String[] {RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
            RequirementWindows.SERIES_STORE}) {
            KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
            if (name.equals(RequirementWindows.SPAN_SLICES_STORE)) spans = store;
        }
        return spans;
    }

    private KeyValueStore<String, byte[]> stringStore(String name) {
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    private double unreadableCount(String store) {
        double total = 0;
        for (var e : context.metrics().metrics().entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("stored-values-unreadable-total") && store.equals(name.tags().get("store"))) {
                total += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    private static SpanAggregate healthy(int spans) {
        SpanAggregate aggregate = new SpanAggregate();
        for (int i = 0; i < spans; i++) aggregate.record(100 + i, false, () -> "0af7651916cd43dd8448eb211c80319c");
        return aggregate;
    }
}

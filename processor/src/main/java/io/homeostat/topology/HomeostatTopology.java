package io.homeostat.topology;

import io.homeostat.model.Alert;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the Homeostat topology. Pure: settings in, {@link Topology} out; how it runs (brokers,
 * exactly-once, state directory) is the runner's business.
 *
 * <pre>
 * otlp_spans ───► decode-spans ───┐ partials per (requirement, slice), folded across records, every slice/20
 * otlp_metrics ─► decode-metrics ─┤ partials per (requirement, series, slice)
 * targets ──────► route-targets ──┘
 *                   └─► split ─► dead letters ──────────────────────────────────► homeostasis.dlq
 *                             └─► requirement-events (one repartition, keyed by requirement)
 *                                   └─► evaluate (slices, series, targets, episodes; wall-clock punctuator)
 *                                         ├─► homeostasis.alerts
 *                                         └─► homeostasis.status
 * </pre>
 */
public final class HomeostatTopology {
    static final String REQUIREMENT_EVENTS = "requirement-events";
    /** Metric group of Homeostat's own counters ({@code <name>-total}, {@code <name>-rate}) in Streams' metrics. */
    public static final String METRICS_GROUP = "stream-" + TaskMetrics.SCOPE + "-metrics";

    private HomeostatTopology() {}

    public static Topology build(TopologySettings settings) {
        Topics topics = settings.topics();
        StreamsBuilder builder = new StreamsBuilder();

        builder.addStateStore(Stores.keyValueStoreBuilder(
                store(RouteTargetsProcessor.ROUTES_STORE), Serdes.String(), Serdes.String()));
        for (String name : new String[] {RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
                RequirementWindows.SERIES_STORE}) {
            // Cached: a slice gets a partial from every decode task at every flush; the record cache folds them
            // into one RocksDB write and one changelog record per slice and commit.
            builder.addStateStore(Stores.keyValueStoreBuilder(store(name), Serdes.Bytes(), Serdes.ByteArray())
                    .withCachingEnabled());
        }
        // The decode tasks' journal of spans folded but not yet flushed: written and deleted within a flush
        // interval, so mostly in the record cache; in memory, with its changelog for restarts.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DecodeSpansProcessor.JOURNAL_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        for (String name : new String[] {EvaluateProcessor.TARGETS_STORE, EvaluateProcessor.EPISODES_STORE,
                EvaluateProcessor.TARGET_STATE_STORE, EvaluateProcessor.UNATTRIBUTED_STORE}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(store(name), Serdes.String(), Serdes.ByteArray()));
        }

        long sliceMs = settings.sliceMs();
        long maxFutureMs = settings.maxFuture().toMillis();
        KStream<String, Routed> spans = builder
                .stream(topics.spans(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("otlp-spans"))
                .process(() -> new DecodeSpansProcessor(sliceMs, maxFutureMs), Named.as("decode-spans"),
                        DecodeSpansProcessor.JOURNAL_STORE);
        KStream<String, Routed> metrics = builder
                .stream(topics.metrics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("otlp-metrics"))
                .process(() -> new DecodeMetricsProcessor(sliceMs, maxFutureMs), Named.as("decode-metrics"));
        KStream<String, Routed> targets = builder
                .stream(topics.targets(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("targets"))
                .process(RouteTargetsProcessor::new, Named.as("route-targets"), RouteTargetsProcessor.ROUTES_STORE);

        Map<String, KStream<String, Routed>> routed = spans
                .merge(metrics, Named.as("telemetry"))
                .merge(targets, Named.as("inputs"))
                .split(Named.as("routed-"))
                .branch((key, value) -> value instanceof DeadLetter, Branched.as("dead-letters"))
                .defaultBranch(Branched.as("requirement-events"));

        routed.get("routed-dead-letters")
                .map((key, value) -> {
                    DeadLetter letter = (DeadLetter) value;
                    return KeyValue.pair(letter.key(), letter.value());
                }, Named.as("dead-letter-bytes"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq"));

        Map<String, KStream<String, Emitted>> emitted = routed.get("routed-requirement-events")
                .mapValues(value -> (RequirementEvent) value, Named.as("as-requirement-event"))
                .repartition(Repartitioned.with(Serdes.String(), new RequirementEventSerde()).withName(REQUIREMENT_EVENTS))
                .process(() -> new EvaluateProcessor(sliceMs, settings.graceMs(), settings.statusInterval().toMillis()),
                        Named.as("evaluate"), EvaluateProcessor.STORES)
                .split(Named.as("emitted-"))
                .branch((key, value) -> value instanceof Emitted.AlertChange, Branched.as("alerts"))
                .defaultBranch(Branched.as("status"));

        emitted.get("emitted-alerts")
                .mapValues(value -> ((Emitted.AlertChange) value).alert(), Named.as("alert-records"))
                .to(topics.alerts(), Produced.with(Serdes.String(), new JsonSerde<>(Alert.class)).withName("alerts"));
        emitted.get("emitted-status")
                .mapValues(value -> ((Emitted.Status) value).status(), Named.as("status-records"))
                .to(topics.status(), Produced.with(Serdes.String(), new JsonSerde<>(Object.class)).withName("status"));

        return builder.build();
    }

    private static KeyValueBytesStoreSupplier store(String name) {
        return Stores.persistentKeyValueStore(name);
    }
}

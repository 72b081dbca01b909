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
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the Homeostat topology. Pure: settings in, {@link Topology} out; how it runs (brokers,
 * exactly-once, state directory) is the runner's business.
 *
 * <pre>
 * otlp_spans ──► decode-spans ──┐ (partials per requirement and slice)
 *                               ├─► split ─► dead letters ───────────────────────► homeostasis.dlq
 * targets ─────► route-targets ─┘        └─► requirement-events (repartition by requirement)
 *                                              └─► evaluate (slices, targets, episodes; wall-clock punctuator)
 *                                                    └─► homeostasis.alerts
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
                Stores.persistentKeyValueStore(RouteTargetsProcessor.ROUTES_STORE), Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EvaluateProcessor.SLICES_STORE), Serdes.Bytes(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EvaluateProcessor.TARGETS_STORE), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(EvaluateProcessor.EPISODES_STORE), Serdes.String(), Serdes.ByteArray()));

        long sliceMs = settings.sliceMs();
        KStream<String, Routed> spans = builder
                .stream(topics.spans(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("otlp-spans"))
                .process(() -> new DecodeSpansProcessor(sliceMs), Named.as("decode-spans"));
        KStream<String, Routed> targets = builder
                .stream(topics.targets(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("targets"))
                .process(RouteTargetsProcessor::new, Named.as("route-targets"), RouteTargetsProcessor.ROUTES_STORE);

        Map<String, KStream<String, Routed>> routed = spans.merge(targets, Named.as("inputs"))
                .split(Named.as("routed-"))
                .branch((key, value) -> value instanceof DeadLetter, Branched.as("dead-letters"))
                .defaultBranch(Branched.as("requirement-events"));

        routed.get("routed-dead-letters")
                .map((key, value) -> {
                    DeadLetter letter = (DeadLetter) value;
                    return KeyValue.pair(letter.key(), letter.value());
                }, Named.as("dead-letter-bytes"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq"));

        routed.get("routed-requirement-events")
                .mapValues(value -> (RequirementEvent) value, Named.as("as-requirement-event"))
                .repartition(Repartitioned.with(Serdes.String(), new RequirementEventSerde()).withName(REQUIREMENT_EVENTS))
                .process(() -> new EvaluateProcessor(sliceMs, settings.graceMs()), Named.as("evaluate"),
                        EvaluateProcessor.SLICES_STORE, EvaluateProcessor.TARGETS_STORE, EvaluateProcessor.EPISODES_STORE)
                .to(topics.alerts(), Produced.with(Serdes.String(), new JsonSerde<>(Alert.class)).withName("alerts"));

        return builder.build();
    }
}

package io.homeostat.topology;

import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.issues.IssuePartial;
import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;
import java.util.Set;

/**
 * Builds the Homeostat topology. Pure: settings in, {@link Topology} out; how it runs (brokers,
 * exactly-once, state directory) is the runner's business. It reads in the order the data flows:
 *
 * <pre>
 * 1. decode    otlp_spans ───► decode-spans ───┐ partials per (requirement, slice), folded across records,
 *                                              │ flushed every slice/20; issue partials per issue
 *              otlp_metrics ─► decode-metrics ─┤ partials per (requirement, series, slice)
 *              otlp_logs ────► decode-logs ────┤ issue partials per issue
 *              targets ──────► route-targets ──┘ targets, keyed by their requirement
 *                                   (each hands on a {@link Decoded}: what one record made, by kind)
 * 2. route     dead-letters ─────────────────────────────────────────────────────────► homeostasis.dlq
 *              to-requirements ─► requirement-events (repartition, keyed by requirement)
 *              to-issues ───────► issue-occurrences (repartition, keyed by issue id)
 * 3. evaluate  requirement-events ─► evaluate (slices, series, targets, episodes; wall-clock punctuator)
 *              issue-occurrences ──► track-issues (issue state; wall-clock punctuator)
 * 4. publish   evaluate ─┬─► alerts ─────────────────────────────► homeostasis.alerts
 *                        ├─► intents-from-alerts ─► alert-intents ─► homeostasis.intents (one per episode)
 *                        └─► status ─────────────────────────────► homeostasis.status
 *              track-issues ─┬─► issues ────────────────────────► homeostasis.issues
 *                            └─► issue-intents ─────────────────► homeostasis.intents (one per issue)
 * </pre>
 *
 * Nothing asks a value for its type: the decoders' {@link Decoded} is routed by typed {@code flatMap}s, and
 * the evaluating processors forward each record to the child named for where it goes (their children are
 * added with the Processor API on the built topology, wired by name).
 */
public final class HomeostatTopology {
    static final String REQUIREMENT_EVENTS = "requirement-events";
    static final String ISSUE_OCCURRENCES = "issue-occurrences";
    /** Metric group of Homeostat's own counters ({@code <name>-total}, {@code <name>-rate}) in Streams' metrics. */
    public static final String METRICS_GROUP = "stream-" + TaskMetrics.SCOPE + "-metrics";

    private HomeostatTopology() {}

    public static Topology build(TopologySettings settings) {
        Topics topics = settings.topics();
        long sliceMs = settings.sliceMs();
        long maxFutureMs = settings.maxFuture().toMillis();
        RuntimeSettings runtime = settings.runtime();
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder);

        // 1. Decode: one processor per input topic.
        KStream<String, Decoded> spans = builder.stream(topics.spans(), bytes("otlp-spans"))
                .process(() -> new DecodeSpansProcessor(topics.spans(), sliceMs, settings.graceMs(), maxFutureMs,
                        runtime.feedbackLoopEnabled(), runtime.rejectUntagged(), runtime.unknownIssues(),
                        settings.inputHealth(), settings.cardinality()),
                        Named.as("decode-spans"), DecodeSpansProcessor.JOURNAL_STORE);
        KStream<String, Decoded> metrics = builder.stream(topics.metrics(), bytes("otlp-metrics"))
                .process(() -> new DecodeMetricsProcessor(topics.metrics(), sliceMs, settings.graceMs(), maxFutureMs,
                        runtime.rejectUntagged(), settings.inputHealth(), settings.cardinality()), Named.as("decode-metrics"));
        KStream<String, Decoded> logs = builder.stream(topics.logs(), bytes("otlp-logs"))
                .process(() -> new DecodeLogsProcessor(runtime.feedbackLoopEnabled(), runtime.rejectUntagged(),
                        runtime.unknownIssues(), settings.cardinality()), Named.as("decode-logs"));
        KStream<String, Decoded> targets = builder.stream(topics.targets(), bytes("targets"))
                .process(RouteTargetsProcessor::new, Named.as("route-targets"), RouteTargetsProcessor.ROUTES_STORE);
        KStream<String, Decoded> decoded = spans.merge(metrics, Named.as("telemetry"))
                .merge(logs, Named.as("telemetry-and-logs"))
                .merge(targets, Named.as("decoded"));

        // 2. Route: rejected records to the dead-letter topic; the rest to the task that owns their key.
        decoded.flatMap((key, value) -> value.deadLetters(), Named.as("dead-letters"))
                .to(topics.deadLetters(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dlq"));
        KStream<String, RequirementEvent> requirementEvents = decoded
                .flatMap((key, value) -> value.requirementEvents(), Named.as("to-requirements"))
                .repartition(Repartitioned.with(Serdes.String(), new RequirementEventSerde()).withName(REQUIREMENT_EVENTS)
                        .withStreamPartitioner(new RequirementEventPartitioner()));
        KStream<String, IssuePartial> issueOccurrences = decoded
                .flatMap((key, value) -> value.issueOccurrences(), Named.as("to-issues"))
                .repartition(Repartitioned.with(Serdes.String(), new IssuePartialSerde()).withName(ISSUE_OCCURRENCES));

        // 3. Evaluate: the requirement's slices against its targets; the production issues' state.
        Set<String> watermarkTopics = Set.of(topics.spans(), topics.metrics());
        requirementEvents.process(() -> new EvaluateProcessor(sliceMs, settings.graceMs(),
                        settings.statusInterval().toMillis(), runtime.requireReqTags(), runtime.alertOnDeviation(),
                        watermarkTopics, settings.cardinality()),
                Named.as(EvaluateProcessor.NAME), EvaluateProcessor.STORES);
        // Implements: REQ-RUNTIME-003 (production issues and their feedback intents)
        issueOccurrences.process(() -> new TrackIssuesProcessor(runtime), Named.as(TrackIssuesProcessor.NAME),
                TrackIssuesProcessor.ISSUES_STORE);

        // 4. Publish: the children the evaluating processors forward to by name.
        Topology topology = builder.build();
        Serializer<String> keys = Serdes.String().serializer();
        topology.addSink(EvaluateProcessor.ALERTS, topics.alerts(), keys, new JsonSerde<>(Alert.class).serializer(),
                EvaluateProcessor.NAME);
        topology.addProcessor(EvaluateProcessor.INTENTS, () -> new IntentsFromAlertsProcessor(runtime.intentsEnabled()),
                EvaluateProcessor.NAME);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IntentsFromAlertsProcessor.ALERT_INTENTS_STORE), Serdes.String(),
                Serdes.ByteArray()), EvaluateProcessor.INTENTS);
        topology.addSink("alert-intents", topics.intents(), keys, new JsonSerde<>(FeedbackIntent.class).serializer(),
                EvaluateProcessor.INTENTS);
        topology.addSink(EvaluateProcessor.STATUS, topics.status(), keys, new JsonSerde<>(Object.class).serializer(),
                EvaluateProcessor.NAME);
        topology.addSink(TrackIssuesProcessor.ISSUES, topics.issues(), keys,
                new JsonSerde<>(ProductionIssue.class).serializer(), TrackIssuesProcessor.NAME);
        topology.addSink(TrackIssuesProcessor.INTENTS, topics.intents(), keys,
                new JsonSerde<>(FeedbackIntent.class).serializer(), TrackIssuesProcessor.NAME);
        return topology;
    }

    private static Consumed<byte[], byte[]> bytes(String sourceName) {
        return Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(sourceName);
    }

    /** The stores of the DSL's processors (the alert-intents store is added beside its processor). */
    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RouteTargetsProcessor.ROUTES_STORE), Serdes.String(), Serdes.ByteArray()));
        for (String name : new String[] {RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
                RequirementWindows.SERIES_STORE, SloCounts.STORE}) {
            // Cached: a slice gets a partial from every decode task at every flush; the record cache folds them
            // into one RocksDB write and one changelog record per slice and commit.
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                    .withCachingEnabled());
        }
        // The decode tasks' journal of spans folded but not yet flushed: written and deleted within a flush
        // interval, so mostly in the record cache; in memory, with its changelog for restarts.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(DecodeSpansProcessor.JOURNAL_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled());
        for (String name : new String[] {EvaluateProcessor.TARGETS_STORE, EvaluateProcessor.EPISODES_STORE,
                EvaluateProcessor.TARGET_STATE_STORE, EvaluateProcessor.UNATTRIBUTED_STORE}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                    Serdes.ByteArray()));
        }
        // Cached: every input partition's watermark arrives every heartbeat; one write per partition and commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(EvaluateProcessor.CLOCK_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
        // The latest verdict of each target, rewritten every slice, for the status API and /metrics (interactive
        // queries). In memory and not changelogged: it is a view, not state, and after a restart or a move of the
        // task it is back at the next verdict.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(EvaluateProcessor.TARGET_STATUS_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled());
        // Cached: a busy issue gets a partial from every decode task's batches; the record cache turns them into
        // one RocksDB write and one changelog record (its state, HyperLogLog included) per issue and commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TrackIssuesProcessor.ISSUES_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());
    }
}

package io.homeostat.topology;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
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
 * otlp_spans ───► decode-spans ───┐ partials per (requirement, slice), folded across records, every slice/20;
 *                                 │ issue partials per issue
 * otlp_metrics ─► decode-metrics ─┤ partials per (requirement, series, slice)
 * otlp_logs ────► decode-logs ────┤ issue partials per issue
 * targets ──────► route-targets ──┘
 *                   └─► split ─► dead letters ─────────────────────────────────────► homeostasis.dlq
 *                             ├─► issue-occurrences (repartition by issue id)
 *                             │     └─► track-issues (issue state; wall-clock punctuator)
 *                             │           ├─► homeostasis.issues
 *                             │           └─► homeostasis.intents (one per issue)
 *                             └─► requirement-events (one repartition, keyed by requirement)
 *                                   └─► evaluate (slices, series, targets, episodes; wall-clock punctuator)
 *                                         ├─► alert-on-deviation ─► homeostasis.alerts
 *                                         ├─► intents-from-alerts ─► homeostasis.intents (one per episode)
 *                                         └─► homeostasis.status
 * </pre>
 */
public final class HomeostatTopology {
    static final String REQUIREMENT_EVENTS = "requirement-events";
    static final String ISSUE_OCCURRENCES = "issue-occurrences";
    /** Metric group of Homeostat's own counters ({@code <name>-total}, {@code <name>-rate}) in Streams' metrics. */
    public static final String METRICS_GROUP = "stream-" + TaskMetrics.SCOPE + "-metrics";

    private HomeostatTopology() {}

    public static Topology build(TopologySettings settings) {
        Topics topics = settings.topics();
        StreamsBuilder builder = new StreamsBuilder();

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RouteTargetsProcessor.ROUTES_STORE), Serdes.String(), Serdes.String()));
        for (String name : new String[] {RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
                RequirementWindows.SERIES_STORE}) {
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
                EvaluateProcessor.TARGET_STATE_STORE, EvaluateProcessor.UNATTRIBUTED_STORE,
                IntentsFromAlertsProcessor.ALERT_INTENTS_STORE}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
                    Serdes.ByteArray()));
        }
        // Cached: a busy issue gets a partial from every decode task's batches; the record cache turns them into
        // one RocksDB write and one changelog record (its state, HyperLogLog included) per issue and commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TrackIssuesProcessor.ISSUES_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingEnabled());

        long sliceMs = settings.sliceMs();
        long maxFutureMs = settings.maxFuture().toMillis();
        RuntimeSettings runtime = settings.runtime();
        KStream<String, Routed> spans = builder
                .stream(topics.spans(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("otlp-spans"))
                .process(() -> new DecodeSpansProcessor(sliceMs, maxFutureMs, runtime.feedbackLoopEnabled()),
                        Named.as("decode-spans"), DecodeSpansProcessor.JOURNAL_STORE);
        KStream<String, Routed> metrics = builder
                .stream(topics.metrics(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("otlp-metrics"))
                .process(() -> new DecodeMetricsProcessor(sliceMs, maxFutureMs), Named.as("decode-metrics"));
        KStream<String, Routed> logs = builder
                .stream(topics.logs(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("otlp-logs"))
                .process(() -> new DecodeLogsProcessor(runtime.feedbackLoopEnabled()), Named.as("decode-logs"));
        KStream<String, Routed> targets = builder
                .stream(topics.targets(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("targets"))
                .process(RouteTargetsProcessor::new, Named.as("route-targets"), RouteTargetsProcessor.ROUTES_STORE);

        Map<String, KStream<String, Routed>> routed = spans
                .merge(metrics, Named.as("telemetry"))
                .merge(logs, Named.as("telemetry-and-logs"))
                .merge(targets, Named.as("inputs"))
                .split(Named.as("routed-"))
                .branch((key, value) -> value instanceof DeadLetter, Branched.as("dead-letters"))
                .branch((key, value) -> value instanceof IssueOccurrences, Branched.as("issue-occurrences"))
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
                .process(() -> new EvaluateProcessor(sliceMs, settings.graceMs(), settings.statusInterval().toMillis(),
                                runtime.requireReqTags()),
                        Named.as("evaluate"), EvaluateProcessor.STORES)
                .split(Named.as("emitted-"))
                .branch((key, value) -> value instanceof Emitted.AlertChange, Branched.as("alerts"))
                .defaultBranch(Branched.as("status"));

        KStream<String, Alert> alerts = emitted.get("emitted-alerts")
                .mapValues(value -> ((Emitted.AlertChange) value).alert(), Named.as("alert-records"));
        alerts.filter((fingerprint, alert) -> runtime.alertOnDeviation() || !Alert.KIND_DEVIATION.equals(alert.kind()),
                        Named.as("alert-on-deviation"))
                .to(topics.alerts(), Produced.with(Serdes.String(), new JsonSerde<>(Alert.class)).withName("alerts"));
        alerts.process(() -> new IntentsFromAlertsProcessor(runtime.intentsEnabled()), Named.as("intents-from-alerts"),
                        IntentsFromAlertsProcessor.ALERT_INTENTS_STORE)
                .to(topics.intents(), Produced.with(Serdes.String(), new JsonSerde<>(FeedbackIntent.class))
                        .withName("alert-intents"));
        emitted.get("emitted-status")
                .mapValues(value -> ((Emitted.Status) value).status(), Named.as("status-records"))
                .to(topics.status(), Produced.with(Serdes.String(), new JsonSerde<>(Object.class)).withName("status"));

        // Implements: REQ-RUNTIME-003 (production issues and their feedback intents)
        Map<String, KStream<String, IssueOutput>> issueOutputs = routed.get("routed-issue-occurrences")
                .mapValues(value -> ((IssueOccurrences) value).issue(), Named.as("as-issue-partial"))
                .repartition(Repartitioned.with(Serdes.String(), new IssuePartialSerde()).withName(ISSUE_OCCURRENCES))
                .process(() -> new TrackIssuesProcessor(runtime), Named.as("track-issues"), TrackIssuesProcessor.ISSUES_STORE)
                .split(Named.as("issue-outputs-"))
                .branch((key, value) -> value instanceof IssueOutput.Issue, Branched.as("issues"))
                .defaultBranch(Branched.as("intents"));
        issueOutputs.get("issue-outputs-issues")
                .mapValues(value -> ((IssueOutput.Issue) value).issue(), Named.as("as-production-issue"))
                .to(topics.issues(), Produced.with(Serdes.String(), new JsonSerde<>(ProductionIssue.class)).withName("issues"));
        issueOutputs.get("issue-outputs-intents")
                .mapValues(value -> ((IssueOutput.Intent) value).intent(), Named.as("as-feedback-intent"))
                .to(topics.intents(), Produced.with(Serdes.String(), new JsonSerde<>(FeedbackIntent.class))
                        .withName("issue-intents"));

        return builder.build();
    }
}

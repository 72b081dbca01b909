package io.homeostat.topology;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The stores that the status API reads through Kafka Streams' interactive queries, by name, with what each is
 * keyed by (for {@code KafkaStreams#queryMetadataForKey}: the key of the topic its task reads) and how its
 * values read. Every value is in the stored format; the codecs are the owning packages' own.
 */
public final class QueryableStores {
    /** Requirement tasks (keyed by requirement): target id → target ({@code evaluate.StateCodec}). */
    public static final String TARGETS = EvaluateProcessor.TARGETS_STORE;
    /** Requirement tasks: target id → its latest verdict ({@code evaluate.StatusCodec}); in memory. */
    public static final String TARGET_STATUS = EvaluateProcessor.TARGET_STATUS_STORE;
    /** Requirement tasks: target id, and target id + {@code #no_data} → alert episode ({@code evaluate.StateCodec}). */
    public static final String ALERT_EPISODES = EvaluateProcessor.EPISODES_STORE;
    /** Requirement tasks: service → telemetry without a requirement ({@code evaluate.StateCodec}). */
    public static final String UNATTRIBUTED = EvaluateProcessor.UNATTRIBUTED_STORE;
    /** Requirement tasks: span slices (keys: {@link SliceReader}). */
    public static final String SPAN_SLICES = RequirementWindows.SPAN_SLICES_STORE;
    /** Requirement tasks: metric slices (keys: {@link SliceReader}). */
    public static final String METRIC_SLICES = RequirementWindows.METRIC_SLICES_STORE;
    /** Target-routing tasks (keyed by target id, as the targets topic): target id → its requirement. */
    public static final String TARGET_ROUTES = RouteTargetsProcessor.ROUTES_STORE;
    /** Issue tasks (keyed by issue id): issue id → its state ({@code issues.IssueCodec}). */
    public static final String PRODUCTION_ISSUES = TrackIssuesProcessor.ISSUES_STORE;

    private QueryableStores() {}

    /** The serializer of every store's key as its task's input topic is keyed: UTF-8 strings. */
    public static Serializer<String> keySerializer() {
        return Serdes.String().serializer();
    }

    /** The requirement a target-routes value names. */
    public static String decodeRoute(byte[] stored) {
        return TargetRoutes.decode(stored);
    }
}

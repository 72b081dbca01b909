package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * New work for a team or a planning tool: fix a production issue, or restore the homeostasis of a
 * requirement after an alert episode. The value on {@code homeostasis.intents}, keyed by
 * {@link #intentId()}, which is derived from the source id only, so a replay converges on the same id.
 *
 * <p>Beyond the contract: {@code timestamp}, when this record was produced. An intent is published once,
 * and again (same id, same {@code created_at}) only when its priority is raised from P1 to P0.
 */
@JsonPropertyOrder({
    "intent_id", "source_kind", "source_id", "requirement", "business_rules", "constraints", "description",
    "priority", "created_at", "timestamp", "evidence"})
public record FeedbackIntent(
        String intentId,
        String sourceKind,
        String sourceId,
        String requirement,
        List<String> businessRules,
        List<String> constraints,
        String description,
        String priority,
        String createdAt,
        String timestamp,
        Evidence evidence) {

    public static final String SOURCE_PRODUCTION_ISSUE = "production_issue";
    public static final String SOURCE_DEVIATION = "deviation";
    public static final String SOURCE_NO_DATA = "no_data";
    /** An episode of an SLO's burn-rate tier. */
    public static final String SOURCE_BURN_RATE = "burn_rate";
    public static final String P0 = "P0";
    public static final String P1 = "P1";

    /**
     * What the intent is based on. For a production issue: its occurrences, affected users and the span
     * of time they were seen in; for an alert episode: the window judged, its events and the measurement.
     * Fields that do not apply to the source are {@code null}.
     */
    @JsonPropertyOrder({
        "trace_ids", "window_start", "window_end", "occurrences", "affected_users", "events", "metric", "actual",
        "operator", "target", "deviation_percent", "severity"})
    public record Evidence(
            List<String> traceIds,
            String windowStart,
            String windowEnd,
            Long occurrences,
            Long affectedUsers,
            Long events,
            String metric,
            Double actual,
            String operator,
            Double target,
            Double deviationPercent,
            String severity) {}
}

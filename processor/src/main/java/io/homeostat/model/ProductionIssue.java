package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A production issue: errors of one requirement grouped by exception type, normalized message and top
 * stack frame. The value on {@code homeostasis.issues}, keyed by {@link #issueId()}; each record is the
 * latest state of the issue. Field names are written snake_case by {@link Json#MAPPER}.
 *
 * <p>Beyond the contract: {@code normalized_message} and {@code top_frame} (what the grouping used),
 * {@code sample_trace_ids}, {@code intent_id} (the feedback intent made from this issue, if any) and
 * {@code timestamp} (when this record was produced).
 */
@JsonPropertyOrder({
    "issue_id", "status", "requirement", "business_rules", "constraints", "service", "error_type",
    "error_message", "normalized_message", "top_frame", "stack_trace", "trace_id", "span_id", "sample_trace_ids",
    "first_seen", "last_seen", "occurrences", "affected_users", "impact", "severity", "intent_id", "timestamp"})
public record ProductionIssue(
        String issueId,
        String status,
        String requirement,
        List<String> businessRules,
        List<String> constraints,
        String service,
        String errorType,
        String errorMessage,
        String normalizedMessage,
        String topFrame,
        String stackTrace,
        String traceId,
        String spanId,
        List<String> sampleTraceIds,
        String firstSeen,
        String lastSeen,
        long occurrences,
        Long affectedUsers,
        String impact,
        String severity,
        String intentId,
        String timestamp) {

    public static final String OPEN = "open";
    public static final String RESOLVED = "resolved";
    public static final String SEVERITY_HIGH = "high";
    public static final String SEVERITY_CRITICAL = "critical";

    public boolean open() {
        return OPEN.equals(status);
    }
}

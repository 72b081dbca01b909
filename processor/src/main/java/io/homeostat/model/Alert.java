package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * A deviation (or no-data) alert, the value on {@code homeostasis.alerts} keyed by {@link #fingerprint()}.
 * Field names are written snake_case by {@link Json#MAPPER}; times are RFC 3339 UTC strings.
 */
@JsonPropertyOrder({
    "fingerprint", "alert_id", "status", "kind", "target_id", "requirement", "metric", "operator", "target",
    "alert_threshold", "actual", "good_ratio", "deviation_percent", "severity", "events", "window_start",
    "window_end", "starts_at", "ends_at", "timestamp", "resolved_reason", "description", "constraint",
    "business_rules", "labels", "annotations", "sample_trace_ids", "spans_seen", "slo"})
public record Alert(
        String fingerprint,
        String alertId,
        String status,
        String kind,
        String targetId,
        String requirement,
        String metric,
        String operator,
        double target,
        Double alertThreshold,
        Double actual,
        Double goodRatio,
        Double deviationPercent,
        String severity,
        long events,
        String windowStart,
        String windowEnd,
        String startsAt,
        String endsAt,
        String timestamp,
        String resolvedReason,
        String description,
        String constraint,
        List<String> businessRules,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<String> sampleTraceIds,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long spansSeen,
        @JsonInclude(JsonInclude.Include.NON_NULL) SloAlert slo) {

    /** An alert of a plain target with its span counts (span SLIs): no {@code slo} object. */
    public Alert(String fingerprint, String alertId, String status, String kind, String targetId, String requirement,
                 String metric, String operator, double target, Double alertThreshold, Double actual, Double goodRatio,
                 Double deviationPercent, String severity, long events, String windowStart, String windowEnd,
                 String startsAt, String endsAt, String timestamp, String resolvedReason, String description,
                 String constraint, List<String> businessRules, Map<String, String> labels,
                 Map<String, String> annotations, List<String> sampleTraceIds, Long spansSeen) {
        this(fingerprint, alertId, status, kind, targetId, requirement, metric, operator, target, alertThreshold, actual,
                goodRatio, deviationPercent, severity, events, windowStart, windowEnd, startsAt, endsAt, timestamp,
                resolvedReason, description, constraint, businessRules, labels, annotations, sampleTraceIds, spansSeen,
                null);
    }

    /** A burn-rate alert of an SLO target: no span counts of one window. */
    public Alert(String fingerprint, String alertId, String status, String kind, String targetId, String requirement,
                 String metric, String operator, double target, Double alertThreshold, Double actual, Double goodRatio,
                 Double deviationPercent, String severity, long events, String windowStart, String windowEnd,
                 String startsAt, String endsAt, String timestamp, String resolvedReason, String description,
                 String constraint, List<String> businessRules, Map<String, String> labels,
                 Map<String, String> annotations, List<String> sampleTraceIds, SloAlert slo) {
        this(fingerprint, alertId, status, kind, targetId, requirement, metric, operator, target, alertThreshold, actual,
                goodRatio, deviationPercent, severity, events, windowStart, windowEnd, startsAt, endsAt, timestamp,
                resolvedReason, description, constraint, businessRules, labels, annotations, sampleTraceIds, null, slo);
    }

    /** An alert without span counts or {@code slo} object (an OTLP metric's, or no window). */
    public Alert(String fingerprint, String alertId, String status, String kind, String targetId, String requirement,
                 String metric, String operator, double target, Double alertThreshold, Double actual, Double goodRatio,
                 Double deviationPercent, String severity, long events, String windowStart, String windowEnd,
                 String startsAt, String endsAt, String timestamp, String resolvedReason, String description,
                 String constraint, List<String> businessRules, Map<String, String> labels,
                 Map<String, String> annotations, List<String> sampleTraceIds) {
        this(fingerprint, alertId, status, kind, targetId, requirement, metric, operator, target, alertThreshold, actual,
                goodRatio, deviationPercent, severity, events, windowStart, windowEnd, startsAt, endsAt, timestamp,
                resolvedReason, description, constraint, businessRules, labels, annotations, sampleTraceIds, null,
                (SloAlert) null);
    }

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";
    public static final String KIND_DEVIATION = "deviation";
    public static final String KIND_NO_DATA = "no_data";
    /** An SLO's error budget burns too fast ({@code slo} says which tier, windows and burn rates). */
    public static final String KIND_BURN_RATE = "burn_rate";

    /** Why an alert resolved ({@code resolved_reason}). */
    public static final String RESOLVED_TARGET_MET = "target_met";
    public static final String RESOLVED_NO_EVENTS = "no_events";
    public static final String RESOLVED_TARGET_DELETED = "target_deleted";
    public static final String RESOLVED_TARGET_CHANGED = "target_changed";
    public static final String RESOLVED_DATA_RETURNED = "data_returned";
    public static final String RESOLVED_NO_DATA_OFF = "notify_no_data_off";
    /** Burn-rate alerts: no window pair of the tier burns any more. */
    public static final String RESOLVED_BURN_RATE_OK = "burn_rate_ok";
    /** Burn-rate alerts: a pair would still burn, but its short window has too few events to judge. */
    public static final String RESOLVED_LOW_TRAFFIC = "low_traffic";

    public boolean firing() {
        return FIRING.equals(status);
    }
}

package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The current state of one target: the value on {@code homeostasis.status} keyed by its target id.
 *
 * @param input       whether the windows judged are complete as far as Homeostat can tell: {@code live} (every
 *                    input partition is read up to its end, so a window without events means the service sent
 *                    none: it went quiet), {@code catching_up} (a partition has a backlog: verdicts wait for it) or
 *                    {@code unreadable} (a partition cannot be read, or nobody reads it: verdicts wait, and silence
 *                    is not judged)
 * @param inputHeldBy the input partitions ({@code topic-partition}) verdicts wait for; empty when live
 * @param spansSeen   span targets: the spans in the window, beside the events they stand for when sampled
 */
@JsonPropertyOrder({"kind", "target_id", "requirement", "metric", "operator", "target", "alert_threshold", "state",
    "actual", "good_ratio", "deviation_percent", "severity", "events", "window_start", "window_end",
    "last_evaluated", "alert_id", "firing_since", "late_events", "input", "input_held_by", "spans_seen", "slo"})
public record TargetStatus(
        String kind,
        String targetId,
        String requirement,
        String metric,
        String operator,
        double target,
        Double alertThreshold,
        String state,
        Double actual,
        Double goodRatio,
        Double deviationPercent,
        String severity,
        long events,
        String windowStart,
        String windowEnd,
        String lastEvaluated,
        String alertId,
        String firingSince,
        long lateEvents,
        String input,
        java.util.List<String> inputHeldBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long spansSeen,
        @JsonInclude(JsonInclude.Include.NON_NULL) SloStatus slo) {

    /** The status of a plain target: no {@code slo} object. */
    public TargetStatus(String kind, String targetId, String requirement, String metric, String operator, double target,
                        Double alertThreshold, String state, Double actual, Double goodRatio, Double deviationPercent,
                        String severity, long events, String windowStart, String windowEnd, String lastEvaluated,
                        String alertId, String firingSince, long lateEvents, String input, java.util.List<String> inputHeldBy,
                        Long spansSeen) {
        this(kind, targetId, requirement, metric, operator, target, alertThreshold, state, actual, goodRatio,
                deviationPercent, severity, events, windowStart, windowEnd, lastEvaluated, alertId, firingSince,
                lateEvents, input, inputHeldBy, spansSeen, null);
    }

    /** A status without span counts (an OTLP metric target's) and no {@code slo} object. */
    public TargetStatus(String kind, String targetId, String requirement, String metric, String operator, double target,
                        Double alertThreshold, String state, Double actual, Double goodRatio, Double deviationPercent,
                        String severity, long events, String windowStart, String windowEnd, String lastEvaluated,
                        String alertId, String firingSince, long lateEvents, String input, java.util.List<String> inputHeldBy) {
        this(kind, targetId, requirement, metric, operator, target, alertThreshold, state, actual, goodRatio,
                deviationPercent, severity, events, windowStart, windowEnd, lastEvaluated, alertId, firingSince,
                lateEvents, input, inputHeldBy, null, null);
    }

    public static final String KIND = "target";
    public static final String OK = "ok";
    public static final String DEVIATING = "deviating";
    public static final String FIRING = "firing";
    public static final String INSUFFICIENT_DATA = "insufficient_data";
    public static final String NO_DATA = "no_data";

    /**
     * Whether nothing a reader acts on changed: state, severity, open alert and input. Such a status is only
     * re-published at the status interval (with fresh numbers), not every verdict.
     */
    public boolean sameStateAs(TargetStatus other) {
        return other != null && state.equals(other.state) && java.util.Objects.equals(severity, other.severity)
                && java.util.Objects.equals(alertId, other.alertId) && java.util.Objects.equals(input, other.input)
                && java.util.Objects.equals(tierStates(), other.tierStates());
    }

    /** An SLO's tiers and their states ({@code page=suppressed}): a change is published at once. */
    private java.util.List<String> tierStates() {
        return slo == null ? java.util.List.of() : slo.tiers().stream().map(t -> t.tier() + "=" + t.state()).toList();
    }
}

package io.homeostat.issues;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.Timestamps;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * Feedback intents in the seed's words: "Fix production issue: &lt;message&gt;" for a production issue,
 * "Restore homeostasis of REQ-…: &lt;metric&gt; &lt;actual&gt; vs target &lt;op&gt; &lt;target&gt;" for an
 * alert episode. The id depends on the source id only ({@link TraceIds#intentId}).
 */
// Implements: REQ-RUNTIME-003 (feedback loop: runtime issue or deviation → new intent)
public final class FeedbackIntents {
    private FeedbackIntents() {}

    static FeedbackIntent forIssue(IssuePartial issue, String severity, String priority, long createdAtMs, long now) {
        FeedbackIntent.Evidence evidence = new FeedbackIntent.Evidence(List.copyOf(issue.sampleTraceIds),
                Timestamps.format(issue.firstSeenMs), Timestamps.format(issue.lastSeenMs), issue.occurrences,
                issue.affectedUsers(), null, null, null, null, null, null, severity);
        return new FeedbackIntent(TraceIds.intentId(issue.issueId), FeedbackIntent.SOURCE_PRODUCTION_ISSUE,
                issue.issueId, issue.requirement, List.copyOf(issue.businessRules), List.copyOf(issue.constraints),
                "Fix production issue: " + IssueTracker.displayMessage(issue), priority,
                Timestamps.format(createdAtMs), Timestamps.format(now), evidence);
    }

    /** The intent of an alert episode ({@code source_id} is the alert id), from one of its firing records. */
    public static FeedbackIntent forAlert(Alert alert, String priority, long createdAtMs, long now) {
        List<String> traces = alert.sampleTraceIds() == null ? List.of() : List.copyOf(alert.sampleTraceIds());
        FeedbackIntent.Evidence evidence = new FeedbackIntent.Evidence(traces,
                alert.windowStart(), alert.windowEnd(), null, null, alert.events(), alert.metric(), alert.actual(),
                alert.operator(), alert.target(), alert.deviationPercent(), alert.severity());
        String actual = alert.actual() == null ? "no data" : number(alert.actual());
        String description = "Restore homeostasis of " + alert.requirement() + ": " + alert.metric() + " " + actual
                + " vs target " + alert.operator() + " " + number(alert.target());
        String kind = Alert.KIND_NO_DATA.equals(alert.kind()) ? FeedbackIntent.SOURCE_NO_DATA : FeedbackIntent.SOURCE_DEVIATION;
        if (Alert.KIND_BURN_RATE.equals(alert.kind()) && alert.slo() != null) {
            kind = FeedbackIntent.SOURCE_BURN_RATE;
            description = "Restore homeostasis of " + alert.requirement() + ": the error budget of " + alert.metric() + " "
                    + alert.operator() + " " + number(alert.target()) + " (objective " + number(alert.slo().objective() * 100)
                    + "% over " + alert.slo().period() + ") burns " + number(alert.slo().longBurnRate() == null ? 0
                    : alert.slo().longBurnRate()) + "x too fast (" + alert.slo().tier() + ", " + number(
                    Math.max(0, alert.slo().errorBudgetRemaining()) * 100) + "% left)";
        }
        return new FeedbackIntent(TraceIds.intentId(alert.alertId()), kind, alert.alertId(), alert.requirement(),
                alert.businessRules() == null ? List.of() : List.copyOf(alert.businessRules()),
                alert.constraint() == null ? List.of() : List.of(alert.constraint()), description, priority,
                Timestamps.format(createdAtMs), Timestamps.format(now), evidence);
    }

    /** Four significant digits, no trailing zeros: 831.96 → 832, 0.97881 → 0.9788, 500.0 → 500. */
    static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) return Double.toString(value);
        return new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}

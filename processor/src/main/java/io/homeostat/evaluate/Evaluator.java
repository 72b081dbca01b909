package io.homeostat.evaluate;

import io.homeostat.model.Operator;
import io.homeostat.model.Target;
import java.util.List;

/**
 * Judges a measurement against a target. Plain Java, no Kafka: the rules of the contract's "Target"
 * section in one place.
 */
public final class Evaluator {
    public static final String CRITICAL = "critical";
    public static final String WARNING = "warning";

    private Evaluator() {}

    // Implements: REQ-RUNTIME-002 (deviation detection with severity by deviation percent)
    public static Verdict judge(Target target, Measurement m, long windowStart, long windowEnd) {
        if (m.events() == 0) {
            return new Verdict(Verdict.State.NO_EVENTS, null, null, null, null, 0, windowStart, windowEnd, List.of(),
                    m.spansSeen());
        }
        Double actual = Double.isFinite(m.actual()) ? m.actual() : null;
        // Span SLIs judge min_events on the spans seen: a sampled window stands for more events than it proves.
        if (m.evidence() < target.minEvents() || actual == null) {
            return new Verdict(Verdict.State.INSUFFICIENT_DATA, actual, m.goodRatio(), null, null, m.events(),
                    windowStart, windowEnd, m.sampleTraceIds(), m.spansSeen());
        }
        Operator op = target.operator();
        boolean violated;
        boolean alerting;
        if (Target.thresholdIsShare(target.alertThreshold(), m.distribution())) {
            // The share of good events; where a distribution cannot tell it (summaries), its quantile.
            violated = m.goodRatio() != null ? m.goodRatio() < target.alertThreshold()
                    : !op.holds(actual, target.target(), target.tolerance());
            alerting = violated;
        } else {
            violated = !op.holds(actual, target.target(), target.tolerance());
            alerting = violated && (target.alertThreshold() == null || beyondAlertLevel(target, actual));
        }
        Double deviation = deviationPercent(actual, target.target());
        String severity = violated ? severity(deviation, target.criticalDeviationPercent()) : null;
        Verdict.State state = alerting ? Verdict.State.VIOLATED : violated ? Verdict.State.DEVIATING : Verdict.State.OK;
        return new Verdict(state, actual, m.goodRatio(), deviation, severity, m.events(), windowStart, windowEnd,
                m.sampleTraceIds(), m.spansSeen());
    }

    /** "target 0.99, alert if it drops below 0.98": the actual must also fail the operator against the level. */
    static boolean beyondAlertLevel(Target target, double actual) {
        double level = target.alertThreshold();
        if (target.operator() == Operator.EQ) {
            return Math.abs(actual - target.target()) > Math.abs(level - target.target());
        }
        return !target.operator().holds(actual, level, 0.0);
    }

    /**
     * {@code |actual − target| / |target| × 100}, or {@code null} for a target of 0 (no relative scale) and for a
     * deviation too large to be a number (a target of 1e-300, say): JSON has no infinity.
     */
    public static Double deviationPercent(double actual, double target) {
        if (target == 0.0) return null;
        double percent = Math.abs(actual - target) / Math.abs(target) * 100.0;
        return Double.isFinite(percent) ? percent : null;
    }

    /** Critical above {@code critical_deviation_percent}; a target of 0 has no scale, so any miss is critical. */
    public static String severity(Double deviationPercent, double criticalDeviationPercent) {
        if (deviationPercent == null) return CRITICAL;
        return deviationPercent > criticalDeviationPercent ? CRITICAL : WARNING;
    }
}

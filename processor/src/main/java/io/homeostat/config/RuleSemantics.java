package io.homeostat.config;

import io.homeostat.evaluate.SpanSli;
import io.homeostat.model.Operator;
import io.homeostat.model.Target;

/**
 * Homeostat's judgement of one target restated as "value, compared with a threshold", the form
 * Prometheus and Datadog rules take. Shared by both exporters so that they agree with each other and
 * with the processor (see {@link io.homeostat.evaluate.Evaluator}).
 */
final class RuleSemantics {
    private RuleSemantics() {}

    /** What value a rule computes over the target's window. */
    enum Value {
        /** Share of the requirement's spans whose status is not ERROR. */
        SPAN_SUCCESS_RATIO,
        /** Share of the requirement's spans whose status is ERROR. */
        SPAN_ERROR_RATIO,
        /** Number of the requirement's spans in the window. */
        SPAN_COUNT,
        /** The requirement's spans per second. */
        SPAN_RATE,
        /** A quantile of a distribution (span durations or a histogram/summary metric). */
        QUANTILE,
        /** The mean of a distribution. */
        MEAN,
        /** Per-second rate of a counter. */
        COUNTER_RATE,
        /** Average of a gauge over the window. */
        GAUGE_AVERAGE,
        /** Value of an up-down counter (summed over series), averaged over the window. */
        SUM_VALUE
    }

    /**
     * @param metric the OTLP metric name, or null for span SLIs (which come from span metrics)
     * @param type the declared type, or null for span SLIs
     * @param quantile for QUANTILE: which quantile
     */
    record Sli(Value value, String metric, MetricType type, double quantile) {
        boolean spanDerived() {
            return metric == null;
        }
    }

    /** A comparison of the rule's value ({@code |value - target|} when {@code distance}) with a threshold. */
    record Comparison(String comparator, double threshold, boolean distance) {}

    /**
     * When Homeostat's alert fires, and when it is critical, as comparisons. {@code warning} (null when
     * every firing alert is critical) holds between the alert level and {@code warningUpTo}.
     */
    record Levels(Comparison warning, Comparison warningUpTo, Comparison critical) {}

    static Sli sli(ResolvedTarget resolved) throws ConfigException {
        Target target = resolved.target();
        MetricResolution resolution = resolved.resolution();
        boolean share = resolution.thresholdMeaning(target) == MetricResolution.ThresholdMeaning.SHARE;
        double quantile = share ? quantileFor(target) : Double.NaN;
        var span = SpanSli.of(target.metric());
        if (span.isPresent()) {
            return switch (span.get()) {
                case SUCCESS_RATE -> new Sli(Value.SPAN_SUCCESS_RATIO, null, null, Double.NaN);
                case ERROR_RATE -> new Sli(Value.SPAN_ERROR_RATIO, null, null, Double.NaN);
                case COUNT -> new Sli(Value.SPAN_COUNT, null, null, Double.NaN);
                case RATE -> new Sli(Value.SPAN_RATE, null, null, Double.NaN);
                case DURATION_MS -> new Sli(share ? Value.QUANTILE : Value.MEAN, null, null, quantile);
            };
        }
        MetricDeclaration declaration = resolution.declaration();
        if (declaration == null) {
            throw new ConfigException(java.util.List.of(new ConfigProblem(resolved.source(), resolved.line(), 0,
                    resolved.id(), "cannot export a rule for metric '" + target.metric() + "': its type is unknown; "
                    + "declare it in telemetry.metrics of config/observability.yml")));
        }
        return switch (declaration.type().shape()) {
            case DISTRIBUTION -> new Sli(share ? Value.QUANTILE : Value.MEAN, declaration.name(), declaration.type(), quantile);
            case MONOTONIC_SUM -> new Sli(Value.COUNTER_RATE, declaration.name(), declaration.type(), Double.NaN);
            case GAUGE -> new Sli(Value.GAUGE_AVERAGE, declaration.name(), declaration.type(), Double.NaN);
            case SUM -> new Sli(Value.SUM_VALUE, declaration.name(), declaration.type(), Double.NaN);
        };
    }

    /**
     * "At least 95 % of events lt 500" holds exactly when p95 is below 500; for a lower bound ("95 % of
     * events gt 100") it is p5 that must be above it. (The processor judges the share itself, by
     * counting; rules can only compare a quantile.)
     */
    static double quantileFor(Target target) {
        double share = target.alertThreshold();
        return target.operator() == Operator.GT || target.operator() == Operator.GTE ? 1 - share : share;
    }

    /**
     * The processor's rules ({@code Evaluator#judge}): the alert fires when the value is beyond the alert
     * level ({@code alert_threshold} as a level, else the target itself); it is critical when it deviates
     * from the target by more than {@code critical_deviation_percent}; a target of 0 makes every alert critical.
     */
    static Levels levels(ResolvedTarget resolved) {
        Target t = resolved.target();
        boolean level = resolved.resolution().thresholdMeaning(t) == MetricResolution.ThresholdMeaning.ALERT_LEVEL;
        double criticalDistance = Math.abs(t.target()) * t.criticalDeviationPercent() / 100.0;
        if (t.operator() == Operator.EQ) {
            double alertDistance = level ? Math.max(t.tolerance(), Math.abs(t.alertThreshold() - t.target())) : t.tolerance();
            Comparison alerting = new Comparison(">", alertDistance, true);
            if (t.target() == 0 || criticalDistance <= alertDistance) return new Levels(null, null, alerting);
            return new Levels(alerting, new Comparison("<=", criticalDistance, true),
                    new Comparison(">", criticalDistance, true));
        }
        boolean upper = t.operator().upperBound();
        String bad = switch (t.operator()) {
            case LT -> ">=";
            case LTE -> ">";
            case GT -> "<=";
            case GTE -> "<";
            case EQ -> throw new AssertionError();
        };
        double alertAt = level ? t.alertThreshold() : t.target();
        Comparison alerting = new Comparison(bad, alertAt, false);
        if (t.target() == 0) return new Levels(null, null, alerting);
        double criticalAt = upper ? t.target() + criticalDistance : t.target() - criticalDistance;
        boolean criticalIsFurther = upper ? criticalAt > alertAt : criticalAt < alertAt;
        if (!criticalIsFurther) return new Levels(null, null, alerting);
        return new Levels(alerting, new Comparison(upper ? "<=" : ">=", criticalAt, false),
                new Comparison(upper ? ">" : "<", criticalAt, false));
    }

    /** Numbers as people write them: 500, 0.98, 0.792 (never 0.7920000000000001). */
    static String number(double value) {
        return MetricResolution.number(value);
    }

    /** A condition for people: "p95 of login_latency_ms lt 500 for 95 % of events". */
    static String condition(ResolvedTarget resolved) {
        Target t = resolved.target();
        String base = resolved.resolution().written() + " " + t.operator().code() + " " + number(t.target())
                + (t.operator() == Operator.EQ && t.tolerance() > 0 ? " ± " + number(t.tolerance()) : "");
        return switch (resolved.resolution().thresholdMeaning(t)) {
            case SHARE -> base + " for " + number(t.alertThreshold() * 100) + "% of events";
            case ALERT_LEVEL -> base + " (alert beyond " + number(t.alertThreshold()) + ")";
            case NONE -> base;
        };
    }
}

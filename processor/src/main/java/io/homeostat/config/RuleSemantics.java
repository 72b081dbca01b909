package io.homeostat.config;

import io.homeostat.model.SpanSli;
import io.homeostat.model.Aggregation;
import io.homeostat.model.MetricRef;
import io.homeostat.model.Operator;
import io.homeostat.model.Target;
import java.util.List;

/**
 * Homeostat's judgement of one target restated as "value, compared with a threshold", the form
 * Prometheus and Datadog rules take. Shared by both exporters so that they agree with each other and
 * with the processor: the value is {@link io.homeostat.evaluate.MetricMeasurer}'s (by the metric's kind
 * and {@code aggregation}), {@link io.homeostat.evaluate.SpanMeasurer}'s or a ratio's, the judgement
 * {@code evaluate.Evaluator}'s.
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
        /** A quantile of a distribution (span durations or a histogram/summary metric): a share alert_threshold. */
        QUANTILE,
        /** The mean of a distribution's observations (the default). */
        MEAN,
        /** The number of a distribution's observations ({@code aggregation: count}). */
        DISTRIBUTION_COUNT,
        /** A histogram's smallest observation ({@code aggregation: min}): reported, else from the buckets. */
        DISTRIBUTION_MIN,
        /** A histogram's largest observation ({@code aggregation: max}): reported, else from the buckets. */
        DISTRIBUTION_MAX,
        /** A counter's increase over the window (the default). */
        SUM_INCREASE,
        /** A counter's increase per second ({@code aggregation: rate}). */
        SUM_RATE,
        /** A counter's number of points in the window ({@code aggregation: count}). */
        SUM_POINTS,
        /** A gauge's (or cumulative up-down counter's) latest point (the default). */
        LEVEL_LAST,
        /** The mean of a gauge's points ({@code aggregation: avg}). */
        LEVEL_AVG,
        /** A gauge's smallest point ({@code aggregation: min}). */
        LEVEL_MIN,
        /** A gauge's largest point ({@code aggregation: max}). */
        LEVEL_MAX,
        /** A gauge's number of points ({@code aggregation: count}). */
        LEVEL_POINTS,
        /** {@code good / total} over the window, each operand by its kind ({@link #operandValue}). */
        RATIO
    }

    /** A target's value cannot be computed by the rule system; {@link #getMessage()} says why. */
    static final class Inexpressible extends Exception {
        Inexpressible(String why) {
            super(why, null, false, false);
        }
    }

    /** A ratio operand: a filtered metric, its declared type and unit (null when not declared). */
    record Operand(MetricRef ref, MetricType type, String unit) {
        Value value() {
            return operandValue(type);
        }
    }

    /**
     * @param ref the OTLP metric and its {@code where}, or null for span SLIs (which come from span metrics)
     * @param type the declared type, or null for span SLIs and ratios
     * @param quantile for QUANTILE: which quantile ({@link Target#shareQuantile})
     * @param good for RATIO: the numerator
     * @param total for RATIO: the denominator, whose value is also the events
     * @param unit the declared unit of the OTLP metric ({@code ref}), null when not declared or for span SLIs
     */
    record Sli(Value value, MetricRef ref, MetricType type, double quantile, Operand good, Operand total, String unit) {
        boolean spanDerived() {
            return ref == null && value != Value.RATIO;
        }

        boolean summary() {
            return type == MetricType.SUMMARY;
        }
    }

    /** A comparison of the rule's value ({@code |value - target|} when {@code distance}) with a threshold. */
    record Comparison(String comparator, double threshold, boolean distance) {}

    /**
     * When Homeostat's alert fires, and when it is critical, as comparisons. {@code warning} (null when
     * every firing alert is critical) holds between the alert level and {@code warningUpTo}.
     */
    record Levels(Comparison warning, Comparison warningUpTo, Comparison critical) {}

    /**
     * The processor's value of an OTLP metric of {@code type} ({@code MetricMeasurer#measure}): a share
     * alert_threshold on a distribution makes it the quantile whatever the aggregation; an aggregation
     * that does not apply to the kind leaves the kind's default.
     */
    static Value metricValue(MetricType type, Aggregation aggregation, boolean share) {
        return switch (type.shape()) {
            case MONOTONIC_SUM -> aggregation == Aggregation.RATE ? Value.SUM_RATE
                    : aggregation == Aggregation.COUNT ? Value.SUM_POINTS : Value.SUM_INCREASE;
            // A cumulative up-down counter is a level, judged like a gauge (MetricBatchAggregator).
            case GAUGE, SUM -> aggregation == null ? Value.LEVEL_LAST : switch (aggregation) {
                case AVG -> Value.LEVEL_AVG;
                case MIN -> Value.LEVEL_MIN;
                case MAX -> Value.LEVEL_MAX;
                case COUNT -> Value.LEVEL_POINTS;
                default -> Value.LEVEL_LAST;
            };
            case DISTRIBUTION -> {
                if (share) yield Value.QUANTILE;
                if (aggregation == Aggregation.COUNT) yield Value.DISTRIBUTION_COUNT;
                if (type == MetricType.SUMMARY) yield Value.MEAN; // a summary reports no min or max
                yield aggregation == Aggregation.MIN ? Value.DISTRIBUTION_MIN
                        : aggregation == Aggregation.MAX ? Value.DISTRIBUTION_MAX : Value.MEAN;
            }
        };
    }

    /** A ratio operand's value ({@code MetricMeasurer#operand}): sums their increase, gauges their last value, distributions their count. */
    static Value operandValue(MetricType type) {
        return switch (type.shape()) {
            case MONOTONIC_SUM -> Value.SUM_INCREASE;
            case GAUGE, SUM -> Value.LEVEL_LAST;
            case DISTRIBUTION -> Value.DISTRIBUTION_COUNT;
        };
    }

    /** Whether {@code aggregation} means something for a metric of {@code type} (else the default is used). */
    static boolean applies(Aggregation aggregation, MetricType type) {
        return switch (type.shape()) {
            case MONOTONIC_SUM -> aggregation == Aggregation.INCREASE || aggregation == Aggregation.RATE
                    || aggregation == Aggregation.COUNT;
            case GAUGE, SUM -> aggregation == Aggregation.LAST || aggregation == Aggregation.AVG
                    || aggregation == Aggregation.MIN || aggregation == Aggregation.MAX || aggregation == Aggregation.COUNT;
            case DISTRIBUTION -> aggregation == Aggregation.AVG || aggregation == Aggregation.COUNT
                    || (type != MetricType.SUMMARY && (aggregation == Aggregation.MIN || aggregation == Aggregation.MAX));
        };
    }

    static Sli sli(ResolvedTarget resolved) throws Inexpressible {
        Target target = resolved.target();
        MetricResolution resolution = resolved.resolution();
        boolean share = resolution.thresholdMeaning(target) == MetricResolution.ThresholdMeaning.SHARE;
        if (share && target.operator() == Operator.EQ) {
            throw new Inexpressible("eq with a share alert_threshold is judged by the share of observations within "
                    + "the tolerance of the target, which no quantile tells");
        }
        double quantile = share ? target.shareQuantile() : Double.NaN;
        if (target.ratio() != null) {
            MetricResolution.RatioOperands operands = resolution.ratio();
            if (operands == null || operands.good() == null || operands.total() == null) {
                throw new Inexpressible("cannot export the ratio '" + target.metric() + "': the type of its operands is "
                        + "unknown; declare " + target.ratio().good().metric() + " and " + target.ratio().total().metric()
                        + " in telemetry.metrics of config/observability.yml");
            }
            return new Sli(Value.RATIO, null, null, Double.NaN,
                    new Operand(target.ratio().good(), operands.good().type(), operands.good().unit()),
                    new Operand(target.ratio().total(), operands.total().type(), operands.total().unit()), null);
        }
        var span = SpanSli.of(target.metric());
        if (span.isPresent()) {
            // Span SLIs are neither filtered by where nor aggregated otherwise (SpanMeasurer).
            return switch (span.get()) {
                case SUCCESS_RATE -> new Sli(Value.SPAN_SUCCESS_RATIO, null, null, Double.NaN, null, null, null);
                case ERROR_RATE -> new Sli(Value.SPAN_ERROR_RATIO, null, null, Double.NaN, null, null, null);
                case COUNT -> new Sli(Value.SPAN_COUNT, null, null, Double.NaN, null, null, null);
                case RATE -> new Sli(Value.SPAN_RATE, null, null, Double.NaN, null, null, null);
                case DURATION_MS -> new Sli(share ? Value.QUANTILE : Value.MEAN, null, null, quantile, null, null, null);
            };
        }
        MetricDeclaration declaration = resolution.declaration();
        if (declaration == null) {
            throw new Inexpressible("cannot export a rule for metric '" + target.metric() + "': its type is unknown; "
                    + "declare it in telemetry.metrics of config/observability.yml");
        }
        return new Sli(metricValue(declaration.type(), target.aggregation(), share), target.metricRef(),
                declaration.type(), quantile, null, null, declaration.unit());
    }

    /**
     * The processor's rules ({@code Evaluator#judge}): the alert fires when the value is beyond the alert
     * level ({@code alert_threshold} as a level, else the target itself); it is critical when it deviates
     * from the target by more than {@code critical_deviation_percent}; a target of 0 makes every alert critical.
     *
     * <p>A share alert_threshold fires when fewer than that share of observations meet the target. Where
     * the processor counts them (histograms, span durations: interpolated inside buckets, as
     * {@code histogram_quantile} does), that is exactly when the share's quantile lies beyond the target,
     * strictly ({@code p95 > 500} for "95 % lt 500" and for "95 % lte 500"); a summary cannot count, so its
     * reported quantile is judged by the operator itself ({@code p95 >= 500} for lt).
     */
    static Levels levels(ResolvedTarget resolved) {
        Target t = resolved.target();
        MetricResolution.ThresholdMeaning meaning = resolved.resolution().thresholdMeaning(t);
        boolean level = meaning == MetricResolution.ThresholdMeaning.ALERT_LEVEL;
        boolean counted = meaning == MetricResolution.ThresholdMeaning.SHARE && !resolved.resolution().summary();
        double criticalDistance = Math.abs(t.target()) * t.criticalDeviationPercent() / 100.0;
        if (t.operator() == Operator.EQ) {
            double alertDistance = level ? Math.max(t.tolerance(), Math.abs(t.alertThreshold() - t.target())) : t.tolerance();
            Comparison alerting = new Comparison(">", alertDistance, true);
            if (t.target() == 0 || criticalDistance <= alertDistance) return new Levels(null, null, alerting);
            return new Levels(alerting, new Comparison("<=", criticalDistance, true),
                    new Comparison(">", criticalDistance, true));
        }
        boolean upper = t.operator().upperBound();
        String bad = counted ? (upper ? ">" : "<") : switch (t.operator()) {
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

    /** A band of values: {@code from} and {@code to} both hold (a chain of two comparisons). */
    record Band(Comparison from, Comparison to) {}

    /**
     * Where the processor's verdict is DEVIATING: the target is missed, the alert level is not
     * ({@code Evaluator#judge}); a firing alert stays firing there (hysteresis: it resolves only when the target
     * itself is met). Null when there is no such band: no alert level, a share, or a level on the good side.
     */
    static Band deviatingBand(ResolvedTarget resolved) {
        Target t = resolved.target();
        if (resolved.resolution().thresholdMeaning(t) != MetricResolution.ThresholdMeaning.ALERT_LEVEL) return null;
        double level = t.alertThreshold();
        if (t.operator() == Operator.EQ) {
            double alertDistance = Math.max(t.tolerance(), Math.abs(level - t.target()));
            return alertDistance <= t.tolerance() ? null
                    : new Band(new Comparison(">", t.tolerance(), true), new Comparison("<=", alertDistance, true));
        }
        boolean upper = t.operator().upperBound();
        if (upper ? level <= t.target() : level >= t.target()) return null;
        String missesTarget = switch (t.operator()) {
            case LT -> ">=";
            case LTE -> ">";
            case GT -> "<=";
            case GTE -> "<";
            case EQ -> throw new AssertionError();
        };
        // Not beyond the alert level: the operator holds against the level.
        return new Band(new Comparison(missesTarget, t.target(), false), new Comparison(t.operator().symbol(), level, false));
    }

    /** The problem of a target that cannot be exported to {@code system}. */
    static ConfigProblem problem(ResolvedTarget resolved, String system, Inexpressible e) {
        return new ConfigProblem(resolved.source(), resolved.line(), 0, resolved.id(),
                "cannot export to " + system + ": " + e.getMessage());
    }

    static void throwIfAny(List<ConfigProblem> problems) throws ConfigException {
        if (!problems.isEmpty()) throw new ConfigException(problems);
    }

    /** Numbers as people write them: 500, 0.98, 0.792 (never 0.7920000000000001). */
    static String number(double value) {
        return MetricResolution.number(value);
    }

    /**
     * A condition for people: "login_latency_ms lt 500 for 95% of events", "login_attempts where
     * status=failure (rate) lt 2": the filter and the aggregation where they apply.
     */
    static String condition(ResolvedTarget resolved) {
        Target t = resolved.target();
        MetricResolution resolution = resolved.resolution();
        StringBuilder what = new StringBuilder(resolution.written());
        boolean otlp = resolution.kind() == MetricResolution.Kind.DECLARED_METRIC
                || resolution.kind() == MetricResolution.Kind.UNDECLARED_METRIC;
        if (otlp && !t.where().isEmpty()) what.append(" where ").append(MetricResolution.where(t.where()));
        boolean share = resolution.thresholdMeaning(t) == MetricResolution.ThresholdMeaning.SHARE;
        if (otlp && t.aggregation() != null && !share && (resolution.declaration() == null
                || applies(t.aggregation(), resolution.declaration().type()))) {
            what.append(" (").append(t.aggregation().code()).append(')');
        }
        String base = what + " " + t.operator().code() + " " + number(t.target())
                + (t.operator() == Operator.EQ && t.tolerance() > 0 ? " ± " + number(t.tolerance()) : "");
        return switch (resolved.resolution().thresholdMeaning(t)) {
            case SHARE -> base + " for " + number(t.alertThreshold() * 100) + "% of events";
            case ALERT_LEVEL -> base + " (alert beyond " + number(t.alertThreshold()) + ")";
            case NONE -> base;
        };
    }
}

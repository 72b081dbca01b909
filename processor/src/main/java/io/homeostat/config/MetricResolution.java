package io.homeostat.config;

import io.homeostat.model.SpanSli;
import io.homeostat.model.Aggregation;
import io.homeostat.model.MetricRef;
import io.homeostat.model.Operator;
import io.homeostat.model.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the metric a homeostasis entry names became the metric of its target, and why: the contract's
 * resolution rules made visible (printed by {@code targets apply}, used by {@code rules export}).
 *
 * @param written the name in the file, e.g. {@code login_success_rate}
 * @param metric the target's metric, e.g. {@code span.success_rate}
 * @param declaration the {@code telemetry.metrics} entry it resolved to, or null
 * @param ratio for a ratio target: the declarations of its operands (null members where nothing declares them)
 */
public record MetricResolution(String written, String metric, Kind kind, MetricDeclaration declaration,
                               RatioOperands ratio) {

    public enum Kind {
        /** A span SLI named as such ({@code span.duration_ms}, {@code span.success_rate}, ...). */
        SPAN_SLI,
        /** {@code *_success_rate} / {@code *_error_rate} not declared as a metric: the span ratio. */
        SPAN_RATIO_BY_NAME,
        /** An OTLP metric declared in {@code telemetry.metrics}, judged by its declared type. */
        DECLARED_METRIC,
        /** An OTLP metric named in a plain target file, whose type nothing declares. */
        UNDECLARED_METRIC,
        /** A target with {@code ratio}: its metric is the ratio's name, as written; the operands are OTLP metrics. */
        RATIO
    }

    /** The declarations of a ratio's operands, each null when nothing declares it (plain target files). */
    public record RatioOperands(MetricDeclaration good, MetricDeclaration total) {}

    /** What the contract's {@code alert_threshold} means on this target. */
    public enum ThresholdMeaning { NONE, SHARE, ALERT_LEVEL }

    public MetricResolution(String written, String metric, Kind kind, MetricDeclaration declaration) {
        this(written, metric, kind, declaration, null);
    }

    /** Whether the target's value is a distribution's (a ratio never is: it is good / total). */
    public boolean distribution() {
        if (kind == Kind.RATIO) return false;
        return metric.equals(SpanSli.DURATION_MS.metric())
                || (declaration != null && declaration.type().shape() == MetricType.Shape.DISTRIBUTION);
    }

    /** A summary: its quantiles are reported, not computed, so a share is judged on the reported quantile. */
    public boolean summary() {
        return kind != Kind.RATIO && declaration != null && declaration.type() == MetricType.SUMMARY;
    }

    public ThresholdMeaning thresholdMeaning(Target target) {
        if (target.alertThreshold() == null) return ThresholdMeaning.NONE;
        return Target.thresholdIsShare(target.alertThreshold(), distribution()) ? ThresholdMeaning.SHARE
                : ThresholdMeaning.ALERT_LEVEL;
    }

    /** For people: {@code login_success_rate -> span.success_rate: not declared ...; alert_threshold ...}. */
    public String explain(Target target) {
        return explainMetric(target) + "; " + explainThreshold(target);
    }

    /** How the metric resolved and what value is judged, as the processor computes it. */
    public String explainMetric(Target target) {
        StringBuilder text = new StringBuilder();
        text.append(written.equals(metric) ? metric : written + " -> " + metric).append(": ");
        switch (kind) {
            case SPAN_SLI -> text.append("span SLI of the spans carrying ").append(target.requirement())
                    .append(!distribution() ? "" : thresholdMeaning(target) == ThresholdMeaning.SHARE ? " (a distribution)"
                            : " (a distribution, judged by its mean)");
            case SPAN_RATIO_BY_NAME -> text.append("not declared in telemetry.metrics, so *_")
                    .append(metric.equals("span.success_rate") ? "success" : "error")
                    .append("_rate means the ").append(metric.equals("span.success_rate") ? "success" : "error")
                    .append(" ratio of the spans carrying ").append(target.requirement());
            case DECLARED_METRIC -> {
                text.append("OTLP ").append(declaration.type().code()).append(" declared in telemetry.metrics (line ")
                        .append(declaration.line()).append(")");
                boolean share = thresholdMeaning(target) == ThresholdMeaning.SHARE;
                text.append(", ").append(judged(RuleSemantics.metricValue(declaration.type(), target.aggregation(), share)));
                if (declaration.type().shape() == MetricType.Shape.SUM) {
                    text.append(" (a cumulative up-down counter, the SDKs' default, is a level like a gauge; a delta one "
                            + "would be judged by its change)");
                }
                if (!target.where().isEmpty()) text.append(", of its points where ").append(where(target.where()));
                Aggregation aggregation = target.aggregation();
                if (aggregation != null && share) {
                    text.append(" (aggregation ").append(aggregation.code())
                            .append(" is not used: a share alert_threshold judges a quantile)");
                } else if (aggregation != null && !RuleSemantics.applies(aggregation, declaration.type())) {
                    text.append(" (aggregation ").append(aggregation.code()).append(" does not apply to a ")
                            .append(declaration.type().code()).append(": its default is used)");
                }
                if (declaration.requirement() != null && !declaration.requirement().equals(target.requirement())) {
                    text.append("; declared for ").append(declaration.requirement()).append(", its points carrying ")
                            .append(target.requirement()).append(" are judged");
                }
            }
            case UNDECLARED_METRIC -> {
                text.append("OTLP metric (type not declared: judged by its kind, ");
                text.append(target.aggregation() == null ? "sums by their increase, gauges by their last value, "
                        + "distributions by their mean" : "aggregation " + target.aggregation().code()).append(')');
                if (!target.where().isEmpty()) text.append(", of its points where ").append(where(target.where()));
            }
            case RATIO -> {
                Target.Ratio r = target.ratio();
                text.append("ratio good / total over the window, good = ").append(operand(r.good(), ratio == null ? null : ratio.good()))
                        .append(", total = ").append(operand(r.total(), ratio == null ? null : ratio.total()))
                        .append("; events are the total's");
                if (target.aggregation() != null) {
                    text.append(" (aggregation ").append(target.aggregation().code())
                            .append(" is not used: each operand is aggregated by its kind)");
                }
            }
        }
        if ((kind == Kind.SPAN_SLI || kind == Kind.SPAN_RATIO_BY_NAME) && target.ratio() == null) {
            List<String> ignored = new ArrayList<>();
            if (!target.where().isEmpty()) ignored.add("where");
            if (target.aggregation() != null) ignored.add("aggregation");
            if (!ignored.isEmpty()) {
                text.append(" (").append(String.join(" and ", ignored)).append(ignored.size() == 1 ? " does" : " do")
                        .append(" not apply to span SLIs: ignored)");
            }
        }
        return text.toString();
    }

    /** {@code login_attempts where status=success (OTLP counter, line 19: its increase)}. */
    private static String operand(MetricRef ref, MetricDeclaration declaration) {
        StringBuilder text = new StringBuilder(ref.metric());
        if (!ref.where().isEmpty()) text.append(" where ").append(where(ref.where()));
        if (declaration == null) {
            text.append(" (type not declared: sums by their increase, gauges by their last value, distributions by "
                    + "their number of observations)");
        } else {
            text.append(" (OTLP ").append(declaration.type().code()).append(", line ").append(declaration.line())
                    .append(": ").append(switch (RuleSemantics.operandValue(declaration.type())) {
                        case SUM_INCREASE -> "its increase";
                        case LEVEL_LAST -> "its last value";
                        default -> "its number of observations";
                    }).append(')');
        }
        return text.toString();
    }

    /** {@code status=success and reason in (locked, wrong_password)}. */
    static String where(Map<String, List<String>> where) {
        List<String> conditions = new ArrayList<>();
        new java.util.TreeMap<>(where).forEach((key, values) -> conditions.add(values.size() == 1
                ? key + "=" + values.get(0) : key + " in (" + String.join(", ", values) + ")"));
        return String.join(" and ", conditions);
    }

    /** The value judged, for people: {@code judged by its increase over the window}. */
    private static String judged(RuleSemantics.Value value) {
        return switch (value) {
            case QUANTILE -> "a distribution";
            case MEAN -> "a distribution, judged by its mean";
            case DISTRIBUTION_COUNT -> "a distribution, judged by its number of observations in the window";
            case DISTRIBUTION_MIN -> "a distribution, judged by its smallest observation (as reported, else from the buckets)";
            case DISTRIBUTION_MAX -> "a distribution, judged by its largest observation (as reported, else from the buckets)";
            case SUM_INCREASE -> "judged by its increase over the window";
            case SUM_RATE -> "judged by its rate (increase per second over the window)";
            case SUM_POINTS -> "judged by its number of points in the window";
            case LEVEL_LAST -> "judged by its last value in the window";
            case LEVEL_AVG -> "judged by the mean of its points in the window";
            case LEVEL_MIN -> "judged by its smallest point in the window";
            case LEVEL_MAX -> "judged by its largest point in the window";
            case LEVEL_POINTS -> "judged by its number of points in the window";
            default -> throw new IllegalArgumentException("not a metric's value: " + value);
        };
    }

    /** What alert_threshold means here: {@code alert_threshold 0.95 is the share of events that must be lt 500 ...}. */
    public String explainThreshold(Target target) {
        StringBuilder text = new StringBuilder();
        String condition = target.operator().code() + " " + number(target.target());
        String quantile = target.alertThreshold() == null ? "" : "p" + number(target.shareQuantile() * 100);
        switch (thresholdMeaning(target)) {
            case SHARE -> text.append("alert_threshold ").append(number(target.alertThreshold()))
                    .append(" is the share of events that must be ").append(condition).append(" (actual = ")
                    .append(quantile).append(")");
            case ALERT_LEVEL -> {
                text.append("alert_threshold ").append(number(target.alertThreshold()));
                if (kind == Kind.UNDECLARED_METRIC && Target.thresholdIsShare(target.alertThreshold(), true)) {
                    text.append(" is the share of events that must be ").append(condition).append(" (actual = ")
                            .append(quantile).append(") if the metric is a distribution; otherwise it");
                }
                text.append(" is the alert level: deviating ").append(badSide(target, target.target()))
                        .append(", alerting ").append(badSide(target, target.alertThreshold()));
            }
            case NONE -> text.append("no alert_threshold: alerting ").append(badSide(target, target.target()));
        }
        return text.toString();
    }

    /** Where the metric is bad, for people: {@code below 0.99} for {@code gte 0.99}. */
    private static String badSide(Target target, double bound) {
        if (target.operator() == Operator.EQ) {
            return "when further than " + number(Math.max(target.tolerance(), Math.abs(bound - target.target())))
                    + " from " + number(target.target());
        }
        return switch (target.operator()) {
            case LT -> "at or above ";
            case LTE -> "above ";
            case GT -> "at or below ";
            case GTE -> "below ";
            case EQ -> throw new AssertionError();
        } + number(bound);
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return new java.math.BigDecimal(value).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
    }
}

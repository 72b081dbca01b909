package io.homeostat.config;

import io.homeostat.evaluate.Evaluator;
import io.homeostat.model.Target;

/**
 * How the metric a homeostasis entry names became the metric of its target, and why: the contract's
 * resolution rules made visible (printed by {@code targets apply}, used by {@code rules export}).
 *
 * @param written the name in the file, e.g. {@code login_success_rate}
 * @param metric the target's metric, e.g. {@code span.success_rate}
 * @param declaration the {@code telemetry.metrics} entry it resolved to, or null
 */
public record MetricResolution(String written, String metric, Kind kind, MetricDeclaration declaration) {

    public enum Kind {
        /** A span SLI named as such ({@code span.duration_ms}, {@code span.success_rate}, ...). */
        SPAN_SLI,
        /** {@code *_success_rate} / {@code *_error_rate} not declared as a metric: the span ratio. */
        SPAN_RATIO_BY_NAME,
        /** An OTLP metric declared in {@code telemetry.metrics}, judged by its declared type. */
        DECLARED_METRIC,
        /** An OTLP metric named in a plain target file, whose type nothing declares. */
        UNDECLARED_METRIC
    }

    /** What the contract's {@code alert_threshold} means on this target. */
    public enum ThresholdMeaning { NONE, SHARE, ALERT_LEVEL }

    public boolean distribution() {
        return metric.equals("span.duration_ms")
                || (declaration != null && declaration.type().shape() == MetricType.Shape.DISTRIBUTION);
    }

    public ThresholdMeaning thresholdMeaning(Target target) {
        if (target.alertThreshold() == null) return ThresholdMeaning.NONE;
        return Evaluator.thresholdIsShare(target.alertThreshold(), distribution()) ? ThresholdMeaning.SHARE
                : ThresholdMeaning.ALERT_LEVEL;
    }

    /** For people: {@code login_success_rate -> span.success_rate: not declared ...; alert_threshold ...}. */
    public String explain(Target target) {
        return explainMetric(target) + "; " + explainThreshold(target);
    }

    /** How the metric resolved: {@code login_success_rate -> span.success_rate: not declared in telemetry.metrics, ...}. */
    public String explainMetric(Target target) {
        StringBuilder text = new StringBuilder();
        text.append(written.equals(metric) ? metric : written + " -> " + metric).append(": ");
        switch (kind) {
            case SPAN_SLI -> text.append("span SLI of the spans carrying ").append(target.requirement())
                    .append(distribution() ? " (a distribution)" : "");
            case SPAN_RATIO_BY_NAME -> text.append("not declared in telemetry.metrics, so *_")
                    .append(metric.equals("span.success_rate") ? "success" : "error")
                    .append("_rate means the ").append(metric.equals("span.success_rate") ? "success" : "error")
                    .append(" ratio of the spans carrying ").append(target.requirement());
            case DECLARED_METRIC -> {
                text.append("OTLP ").append(declaration.type().code()).append(" declared in telemetry.metrics (line ")
                        .append(declaration.line()).append(")");
                text.append(switch (declaration.type().shape()) {
                    case DISTRIBUTION -> ", a distribution";
                    case MONOTONIC_SUM -> ", judged as a rate";
                    case SUM, GAUGE -> ", judged by its value";
                });
                if (declaration.requirement() != null && !declaration.requirement().equals(target.requirement())) {
                    text.append("; declared for ").append(declaration.requirement()).append(", its points carrying ")
                            .append(target.requirement()).append(" are judged");
                }
            }
            case UNDECLARED_METRIC -> text.append("OTLP metric (type not declared)");
        }
        return text.toString();
    }

    /** What alert_threshold means here: {@code alert_threshold 0.95 is the share of events that must be lt 500 ...}. */
    public String explainThreshold(Target target) {
        StringBuilder text = new StringBuilder();
        String condition = target.operator().code() + " " + number(target.target());
        switch (thresholdMeaning(target)) {
            case SHARE -> text.append("alert_threshold ").append(number(target.alertThreshold()))
                    .append(" is the share of events that must be ").append(condition).append(" (actual = p")
                    .append(number(target.alertThreshold() * 100)).append(")");
            case ALERT_LEVEL -> text.append("alert_threshold ").append(number(target.alertThreshold()))
                    .append(" is the alert level: deviating ").append(badSide(target, target.target()))
                    .append(", alerting ").append(badSide(target, target.alertThreshold()));
            case NONE -> text.append("no alert_threshold: alerting ").append(badSide(target, target.target()));
        }
        return text.toString();
    }

    /** Where the metric is bad, for people: {@code below 0.99} for {@code gte 0.99}. */
    private static String badSide(Target target, double bound) {
        if (target.operator() == io.homeostat.model.Operator.EQ) {
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

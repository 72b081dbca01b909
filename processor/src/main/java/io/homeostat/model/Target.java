package io.homeostat.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A homeostasis target: what {@code metric} of {@code requirement} must satisfy, and how to alert.
 * The value of a record on {@code homeostasis.targets}; the record key is the target id.
 *
 * <p>Use {@link TargetParser} to read one: it validates every field and applies the documented defaults.
 */
public record Target(
        String requirement,
        String metric,
        double target,
        Operator operator,
        Double alertThreshold,
        String description,
        Duration window,
        long minEvents,
        Duration forDuration,
        boolean notifyNoData,
        Duration noDataAfter,
        double criticalDeviationPercent,
        double tolerance,
        String constraint,
        List<String> businessRules,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, List<String>> where,
        Ratio ratio,
        Aggregation aggregation,
        Sampling sampling,
        SloSpec slo) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final long DEFAULT_MIN_EVENTS = 1;
    public static final double DEFAULT_CRITICAL_DEVIATION_PERCENT = 20.0;

    /**
     * The contract's first meaning of {@code alert_threshold}: on a distribution, a value in (0, 1) is the
     * share of events that must meet the target. Everywhere else it is an alert level.
     */
    public static boolean thresholdIsShare(Double alertThreshold, boolean distribution) {
        return distribution && alertThreshold != null && alertThreshold > 0 && alertThreshold < 1;
    }

    /**
     * The quantile that is the share threshold's {@code actual}: "95 % of events lt 500" holds exactly when
     * p95 is below 500; for a lower bound ("95 % of events gt 100") it is p5 that must be above it.
     */
    public double shareQuantile() {
        double share = alertThreshold;
        return operator == Operator.GT || operator == Operator.GTE ? 1 - share : share;
    }

    public Target {
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(forDuration, "forDuration");
        Objects.requireNonNull(noDataAfter, "noDataAfter");
        businessRules = List.copyOf(businessRules == null ? List.of() : businessRules);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        annotations = Map.copyOf(annotations == null ? Map.of() : annotations);
        where = where == null ? Map.of() : Map.copyOf(where);
    }

    /**
     * A ratio of two filtered metrics, e.g. successful over all login attempts: {@code good / total} over
     * the window, each operand aggregated by its own kind (sums: increase).
     */
    public record Ratio(MetricRef good, MetricRef total) {}

    /** Whether the target is an SLO ({@code objective}, {@code slo}): its error budget is tracked over a period. */
    public boolean isSlo() {
        return slo != null;
    }

    /** An SLO alerted on by burn rate: its plain window raises no deviation alerts. */
    public boolean burnRateAlerting() {
        return slo != null && slo.burnRateAlerting();
    }

    /** The metric and filter this target measures (for a ratio target: the total). */
    public MetricRef metricRef() {
        return ratio != null ? ratio.total() : new MetricRef(metric, where);
    }

    /** The id a target gets when its author picks none: {@code <requirement>/<metric>}. */
    public String defaultId() {
        return requirement + "/" + metric;
    }

    /** The target as the contract writes it, every field present (defaults filled in). */
    public ObjectNode toJson() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("requirement", requirement);
        node.put("metric", metric);
        node.put("target", target);
        node.put("operator", operator.code());
        if (alertThreshold != null) node.put("alert_threshold", alertThreshold);
        if (description != null) node.put("description", description);
        node.put("window", Durations.format(window));
        node.put("min_events", minEvents);
        node.put("for", Durations.format(forDuration));
        node.put("notify_no_data", notifyNoData);
        node.put("no_data_after", Durations.format(noDataAfter));
        node.put("critical_deviation_percent", criticalDeviationPercent);
        node.put("tolerance", tolerance);
        if (constraint != null) node.put("constraint", constraint);
        businessRules.forEach(node.putArray("business_rules")::add);
        ObjectNode labelsNode = node.putObject("labels");
        new java.util.TreeMap<>(labels).forEach(labelsNode::put);
        ObjectNode annotationsNode = node.putObject("annotations");
        new java.util.TreeMap<>(annotations).forEach(annotationsNode::put);
        if (!where.isEmpty()) writeWhere(node.putObject("where"), where);
        if (ratio != null) {
            ObjectNode ratioNode = node.putObject("ratio");
            writeRef(ratioNode.putObject("good"), ratio.good());
            writeRef(ratioNode.putObject("total"), ratio.total());
        }
        if (aggregation != null) node.put("aggregation", aggregation.code());
        if (sampling != null) {
            ObjectNode samplingNode = node.putObject("sampling");
            samplingNode.put("sample_rate", sampling.sampleRate());
            samplingNode.put("always_sample_errors", sampling.alwaysSampleErrors());
        }
        if (slo != null) slo.writeTo(node);
        return node;
    }

    private static void writeRef(ObjectNode node, MetricRef ref) {
        node.put("metric", ref.metric());
        if (!ref.where().isEmpty()) writeWhere(node.putObject("where"), ref.where());
    }

    private static void writeWhere(ObjectNode node, Map<String, List<String>> where) {
        new java.util.TreeMap<>(where).forEach((key, values) -> {
            if (values.size() == 1) node.put(key, values.get(0));
            else values.forEach(node.putArray(key)::add);
        });
    }
}

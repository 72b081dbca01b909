package io.homeostat.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.MetricRef;
import io.homeostat.model.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The targets as Datadog monitor definitions in the seed's alert YAML (phase 5: {@code name},
 * {@code type}, {@code query}, a {@code message} with the requirement, constraint and traceability,
 * {@code tags}, {@code priority}, {@code notify_no_data}), plus {@code options.thresholds} so that the
 * monitor warns and alerts where Homeostat's alert is a warning and where it turns critical.
 *
 * <p>What it assumes about metric names (the Datadog Exporter of the OpenTelemetry Collector, defaults):
 * OTLP metrics keep their names ({@code login_latency_ms}); histograms are distributions (so
 * {@code p95:} works; {@code histograms.mode: distributions}); counters (cumulative ones as deltas) are
 * counts; cumulative up-down counters gauges; summaries {@code <name>.sum} and {@code <name>.count}
 * counts; attributes are tags, {@code requirement} among them, the resource's {@code service.name} is
 * {@code service}. Span SLIs come from the Collector's {@code spanmetrics} connector with a
 * {@code requirement} dimension: {@code traces.span.metrics.calls} (tagged {@code status.code}) and the
 * distribution {@code traces.span.metrics.duration} (ms).
 *
 * <p>The value is the processor's ({@link RuleSemantics.Value}); a target's {@code where} becomes tag
 * filters ({@code status:success}; several values {@code status IN (success,failure)}, and then every
 * filter joined with {@code AND}, as Datadog does not mix the two syntaxes). A monitor aggregates its
 * window by avg, min, max or sum (percentiles for distributions), and only queries with
 * {@code .as_count()} aggregate before the arithmetic: what that cannot compute as the processor does (a
 * gauge's last value, a summary's quantile, points counted, a histogram's min or max, eq on a per-point
 * query, ratios of gauges or distributions) fails the export with a {@link ConfigException} naming the
 * target, rather than a monitor that judges differently.
 *
 * <p>A monitor evaluates over whole minutes: a window shorter than a minute becomes {@code last_1m}.
 * Datadog compares both thresholds with the query's one comparator, the critical one (strict): a value
 * exactly at the alert level (a mean of exactly 800 ms against {@code lt 800}) fires Homeostat's alert
 * but not yet the monitor's warning. {@code min_events} and {@code for} are not exported (the monitor fires
 * on fewer events, and at once).
 */
// Implements: REQ-RUNTIME-002 (deviation alerts with REQ-* context, the seed's phase 5, for other monitoring systems)
public final class DatadogMonitors {
    static final String SPAN_CALLS = "traces.span.metrics.calls";
    static final String SPAN_DURATION = "traces.span.metrics.duration";
    static final String ERROR_TAG = "status.code:STATUS_CODE_ERROR";
    static final int DEFAULT_PRIORITY = 1;

    private DatadogMonitors() {}

    /** One monitor per target, as {@code file name → YAML}; the names are the seed's {@code <metric>_alert.yml}. */
    public static Map<String, String> export(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        Map<String, String> monitors = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (ResolvedTarget target : loaded.targets()) {
            try {
                String monitor = monitor(target, loaded.config(), sourceName);
                monitors.put(fileName(target, monitors), monitor);
            } catch (RuleSemantics.Inexpressible e) {
                problems.add(RuleSemantics.problem(target, "Datadog", e));
            }
        }
        RuleSemantics.throwIfAny(problems);
        return monitors;
    }

    /** All monitors as one YAML stream ({@code ---} between documents). */
    public static String exportStream(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        return String.join("---\n", export(loaded, sourceName).values());
    }

    private static String fileName(ResolvedTarget target, Map<String, String> taken) {
        String base = target.resolution().written().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_") + "_alert";
        String name = base + ".yml";
        if (taken.containsKey(name)) {
            name = target.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_") + "_alert.yml";
        }
        return name;
    }

    private static String monitor(ResolvedTarget resolved, ObservabilityConfig config, String sourceName)
            throws RuleSemantics.Inexpressible {
        Target t = resolved.target();
        RuleSemantics.Sli sli = RuleSemantics.sli(resolved);
        RuleSemantics.Levels levels = RuleSemantics.levels(resolved);
        Query query = query(sli, t);
        if (levels.critical().distance() && !query.aggregatedFirst()) {
            throw new RuleSemantics.Inexpressible("eq compares |value - target|, but Datadog applies abs() to each point "
                    + "before the time aggregation " + query.timeAggregation() + " (only a query with .as_count() "
                    + "aggregates first), which judges a different value");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode monitor = f.objectNode();
        monitor.put("name", t.description() != null ? t.requirement() + ": " + t.description()
                : t.requirement() + ": " + RuleSemantics.condition(resolved));
        monitor.put("type", "metric alert");
        String value = levels.critical().distance()
                ? "abs(" + query.expression() + " - " + RuleSemantics.number(t.target()) + ")" : query.expression();
        monitor.put("query", query.timeAggregation() + ":" + value + " " + levels.critical().comparator() + " "
                + RuleSemantics.number(levels.critical().threshold()) + "\n");
        monitor.put("message", message(resolved, sourceName));
        ArrayNode tags = monitor.putArray("tags");
        tags(resolved, config).forEach(tags::add);
        monitor.put("priority", priority(t));
        monitor.put("notify_no_data", t.notifyNoData());
        ObjectNode options = monitor.putObject("options");
        ObjectNode thresholds = options.putObject("thresholds");
        putNumber(thresholds, "critical", levels.critical().threshold());
        if (levels.warning() != null) putNumber(thresholds, "warning", levels.warning().threshold());
        if (t.notifyNoData()) options.put("no_data_timeframe", Math.max(2, minutes(t.noDataAfter())));

        StringBuilder header = new StringBuilder();
        header.append("# Alert for: ").append(t.requirement()).append(" (").append(resolved.resolution().written()).append(")\n");
        if (t.constraint() != null) header.append("# Constraint: ").append(t.constraint()).append('\n');
        header.append("# Generated by `homeostat rules export --format datadog` from ").append(sourceName)
                .append(": edit the source, not this file.\n\n");
        return header + RulesYaml.write(monitor);
    }

    /**
     * A monitor query without its comparison: {@code avg(last_5m)} and {@code avg:login_latency_ms{...}}.
     *
     * @param aggregatedFirst whether Datadog aggregates each query over the window before the arithmetic
     *                        (queries with {@code .as_count()}); otherwise the formula applies point by point
     */
    record Query(String timeAggregation, String expression, boolean aggregatedFirst) {}

    /** The processor's value ({@link RuleSemantics.Value}) as a Datadog query, or why Datadog cannot compute it. */
    static Query query(RuleSemantics.Sli sli, Target t) throws RuleSemantics.Inexpressible {
        String window = "(last_" + evaluationWindow(t.window()) + ")";
        String scope = "{requirement:" + t.requirement() + "}";
        String calls = SPAN_CALLS + scope;
        if (sli.spanDerived()) {
            return switch (sli.value()) {
                case SPAN_SUCCESS_RATIO -> new Query("sum" + window, "sum:" + SPAN_CALLS + "{requirement:" + t.requirement()
                        + ",!" + ERROR_TAG + "}.as_count() / sum:" + calls + ".as_count()", true);
                case SPAN_ERROR_RATIO -> new Query("sum" + window, "sum:" + SPAN_CALLS + "{requirement:" + t.requirement()
                        + "," + ERROR_TAG + "}.as_count() / sum:" + calls + ".as_count()", true);
                case SPAN_COUNT -> new Query("sum" + window, "sum:" + calls + ".as_count()", true);
                case SPAN_RATE -> new Query("avg" + window, "sum:" + calls + ".as_rate()", false);
                case QUANTILE -> new Query("percentile" + window, "p" + RuleSemantics.number(sli.quantile() * 100) + ":"
                        + SPAN_DURATION + scope, false);
                case MEAN -> new Query("avg" + window, "avg:" + SPAN_DURATION + scope, false);
                default -> throw new AssertionError(sli.value());
            };
        }
        if (sli.value() == RuleSemantics.Value.RATIO) {
            return new Query("sum" + window, operand(sli.good(), t) + " / " + operand(sli.total(), t), true);
        }
        String name = sli.ref().metric();
        String s = scope(t, sli.ref());
        return switch (sli.value()) {
            case QUANTILE -> {
                if (sli.summary()) {
                    throw new RuleSemantics.Inexpressible("a summary's quantile is its latest reported value, and a "
                            + "monitor aggregates <name>.quantile over its window by avg, min, max or sum; use Prometheus");
                }
                yield new Query("percentile" + window, "p" + RuleSemantics.number(sli.quantile() * 100) + ":" + name + s, false);
            }
            case MEAN -> sli.summary()
                    ? new Query("sum" + window, "sum:" + name + ".sum" + s + ".as_count() / sum:" + name + ".count" + s
                            + ".as_count()", true)
                    : new Query("avg" + window, "avg:" + name + s, false);
            case DISTRIBUTION_COUNT -> sli.summary()
                    ? new Query("sum" + window, "sum:" + name + ".count" + s + ".as_count()", true)
                    : new Query("sum" + window, "count:" + name + s, false);
            case DISTRIBUTION_MIN, DISTRIBUTION_MAX -> throw new RuleSemantics.Inexpressible("aggregation "
                    + (sli.value() == RuleSemantics.Value.DISTRIBUTION_MIN ? "min" : "max") + " of a histogram is its "
                    + (sli.value() == RuleSemantics.Value.DISTRIBUTION_MIN ? "smallest" : "largest") + " observation as the "
                    + "SDK reports it (else estimated from the buckets), which a distribution built from the buckets "
                    + "need not match");
            case SUM_INCREASE -> new Query("sum" + window, "sum:" + name + s + ".as_count()", true);
            case SUM_RATE -> new Query("avg" + window, "sum:" + name + s + ".as_rate()", false);
            case SUM_POINTS, LEVEL_POINTS -> throw new RuleSemantics.Inexpressible("aggregation count is the number of "
                    + "points the metric reported in the window, which Datadog does not count");
            case LEVEL_LAST -> throw new RuleSemantics.Inexpressible(name + " is judged by its last value in the window "
                    + "(a gauge's default), and a monitor aggregates over its window by avg, min, max or sum only; "
                    + "set aggregation avg, min or max, or use Prometheus");
            case LEVEL_AVG -> new Query("avg" + window, "avg:" + name + s, false);
            case LEVEL_MIN -> new Query("min" + window, "min:" + name + s, false);
            case LEVEL_MAX -> new Query("max" + window, "max:" + name + s, false);
            default -> throw new AssertionError(sli.value());
        };
    }

    /** A ratio operand as a count over the window: a counter's increase, a summary's observations. */
    private static String operand(RuleSemantics.Operand operand, Target t) throws RuleSemantics.Inexpressible {
        String name = operand.ref().metric();
        String s = scope(t, operand.ref());
        if (operand.type().shape() == MetricType.Shape.MONOTONIC_SUM) return "sum:" + name + s + ".as_count()";
        if (operand.type() == MetricType.SUMMARY) return "sum:" + name + ".count" + s + ".as_count()";
        throw new RuleSemantics.Inexpressible("ratio operand " + name + " is a " + operand.type().code() + ", judged by its "
                + (operand.value() == RuleSemantics.Value.LEVEL_LAST ? "last value" : "number of observations")
                + ", which a monitor cannot divide over the window (only counts queried .as_count() are summed over the "
                + "window before the division)");
    }

    /**
     * {@code {requirement:REQ-1,status:success}}: the requirement and the target's {@code where} as tag
     * filters (the resource's {@code service.name} is the {@code service} tag). Several allowed values use
     * Datadog's boolean syntax, {@code status IN (success,failure)}, which cannot mix with the comma form, so
     * then every filter is joined with {@code AND}.
     */
    static String scope(Target t, MetricRef ref) throws RuleSemantics.Inexpressible {
        List<String> filters = new ArrayList<>();
        filters.add("requirement:" + t.requirement());
        boolean anyList = false;
        for (Map.Entry<String, List<String>> condition : new TreeMap<>(ref.where()).entrySet()) {
            String tag = condition.getKey().equals("service.name") ? "service" : condition.getKey();
            for (String value : condition.getValue()) {
                if (!value.matches("[^\\s,(){}\"!]+")) {
                    throw new RuleSemantics.Inexpressible("where " + condition.getKey() + " '" + value + "' holds characters "
                            + "a Datadog tag filter cannot carry unescaped (spaces, commas, parentheses, braces, quotes, !)");
                }
            }
            if (condition.getValue().size() == 1) {
                filters.add(tag + ":" + condition.getValue().get(0));
            } else {
                anyList = true;
                filters.add(tag + " IN (" + String.join(",", condition.getValue()) + ")");
            }
        }
        return "{" + String.join(anyList ? " AND " : ",", filters) + "}";
    }

    /** The seed's message: what is wrong, which requirement, constraint and rules, and where to look. */
    private static String message(ResolvedTarget resolved, String sourceName) {
        Target t = resolved.target();
        StringBuilder m = new StringBuilder();
        m.append("## ").append(t.description() != null ? t.description() : t.requirement() + " homeostasis").append("\n\n");
        m.append("**Requirement**: ").append(t.requirement()).append('\n');
        if (t.constraint() != null) m.append("**Constraint**: ").append(t.constraint()).append('\n');
        if (!t.businessRules().isEmpty()) m.append("**Business rules**: ").append(String.join(", ", t.businessRules())).append('\n');
        m.append('\n');
        m.append("Current value: {{value}} (target: ").append(RuleSemantics.condition(resolved)).append(")\n\n");
        m.append("**Homeostasis Deviation**: Runtime metrics deviate from target state.\n\n");
        m.append("**Traceability**:\n");
        m.append("- Requirement: ").append(t.requirement()).append('\n');
        m.append("- Target: ").append(resolved.id()).append(" (").append(sourceName).append(")\n");
        String notify = null;
        for (Map.Entry<String, String> annotation : new TreeMap<>(t.annotations()).entrySet()) {
            switch (annotation.getKey()) {
                case "notify" -> notify = annotation.getValue();
                case "priority" -> { }
                default -> m.append("- ").append(capitalize(annotation.getKey())).append(": ").append(annotation.getValue()).append('\n');
            }
        }
        if (notify != null) m.append('\n').append(notify).append('\n');
        return m.toString();
    }

    private static List<String> tags(ResolvedTarget resolved, ObservabilityConfig config) {
        Target t = resolved.target();
        List<String> tags = new ArrayList<>();
        tags.add("requirement:" + t.requirement());
        if (t.constraint() != null) tags.add("constraint:" + t.constraint());
        t.businessRules().forEach(rule -> tags.add("business_rule:" + rule));
        if (config != null && config.serviceName() != null && !config.serviceName().isBlank()) {
            tags.add("service:" + config.serviceName());
        }
        if (config != null && config.environment() != null && !config.environment().isBlank()) {
            tags.add("env:" + config.environment());
        }
        new TreeMap<>(t.labels()).forEach((k, v) -> tags.add(k + ":" + v));
        tags.add("managed_by:homeostat");
        return tags;
    }

    /** The seed's priority 1, unless the target says otherwise ({@code annotations.priority}: 1-5 or P1-P5). */
    private static int priority(Target t) {
        String wanted = t.annotations().get("priority");
        if (wanted != null) {
            try {
                int p = Integer.parseInt(wanted.trim().toUpperCase(Locale.ROOT).replaceFirst("^P", ""));
                if (p >= 1 && p <= 5) return p;
            } catch (NumberFormatException ignored) {
                // not a priority: the default
            }
        }
        return DEFAULT_PRIORITY;
    }

    /** Datadog windows: whole minutes (at least 1), hours, days. */
    static String evaluationWindow(Duration window) {
        long minutes = minutes(window);
        if (minutes % 1440 == 0) return minutes / 1440 + "d";
        if (minutes % 60 == 0) return minutes / 60 + "h";
        return minutes + "m";
    }

    private static long minutes(Duration d) {
        return Math.max(1, (d.toMillis() + 59_999) / 60_000);
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            node.put(field, (long) value);
        } else {
            node.put(field, new java.math.BigDecimal(RuleSemantics.number(value)));
        }
    }

    private static String capitalize(String key) {
        String words = key.replace('_', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}

package io.homeostat.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * {@code p95:} works; {@code histograms.mode: distributions}); summaries are {@code <name>.quantile}
 * gauges tagged {@code quantile}; attributes are tags, {@code requirement} among them. Span SLIs come from
 * the Collector's {@code spanmetrics} connector with a {@code requirement} dimension:
 * {@code traces.span.metrics.calls} (tagged {@code status.code}) and the distribution
 * {@code traces.span.metrics.duration} (ms).
 *
 * <p>A monitor evaluates over whole minutes: a window shorter than a minute becomes {@code last_1m}.
 * Datadog compares both thresholds with the query's one comparator, the critical one (strict): a value
 * exactly at the alert level (p95 of exactly 500 ms against {@code lt 500}) fires Homeostat's alert but
 * not yet the monitor's warning.
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
        for (ResolvedTarget target : loaded.targets()) {
            String file = fileName(target, monitors);
            monitors.put(file, monitor(target, loaded.config(), sourceName));
        }
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
            throws ConfigException {
        Target t = resolved.target();
        RuleSemantics.Sli sli = RuleSemantics.sli(resolved);
        RuleSemantics.Levels levels = RuleSemantics.levels(resolved);
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode monitor = f.objectNode();
        monitor.put("name", t.description() != null ? t.requirement() + ": " + t.description()
                : t.requirement() + ": " + RuleSemantics.condition(resolved));
        monitor.put("type", "metric alert");
        Query query = query(sli, t);
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

    /** A monitor query without its comparison: {@code avg(last_5m)} and {@code avg:login_latency_ms{...}}. */
    record Query(String timeAggregation, String expression) {}

    static Query query(RuleSemantics.Sli sli, Target t) {
        String window = "(last_" + evaluationWindow(t.window()) + ")";
        String scope = "{requirement:" + t.requirement() + "}";
        String calls = SPAN_CALLS + scope;
        String name = sli.spanDerived() ? SPAN_DURATION : sli.metric();
        return switch (sli.value()) {
            case SPAN_SUCCESS_RATIO -> new Query("sum" + window, "sum:" + SPAN_CALLS + "{requirement:" + t.requirement()
                    + ",!" + ERROR_TAG + "}.as_count() / sum:" + calls + ".as_count()");
            case SPAN_ERROR_RATIO -> new Query("sum" + window, "sum:" + SPAN_CALLS + "{requirement:" + t.requirement()
                    + "," + ERROR_TAG + "}.as_count() / sum:" + calls + ".as_count()");
            case SPAN_COUNT -> new Query("sum" + window, "sum:" + calls + ".as_count()");
            case SPAN_RATE -> new Query("avg" + window, "sum:" + calls + ".as_rate()");
            case QUANTILE -> sli.type() == MetricType.SUMMARY
                    ? new Query("avg" + window, "max:" + name + ".quantile{requirement:" + t.requirement() + ",quantile:"
                    + RuleSemantics.number(sli.quantile()) + "}")
                    : new Query("percentile" + window, "p" + RuleSemantics.number(sli.quantile() * 100) + ":" + name + scope);
            case MEAN, GAUGE_AVERAGE -> new Query("avg" + window, "avg:" + name + scope);
            case COUNTER_RATE -> new Query("avg" + window, "sum:" + name + scope + ".as_rate()");
            case SUM_VALUE -> new Query("avg" + window, "sum:" + name + scope);
        };
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

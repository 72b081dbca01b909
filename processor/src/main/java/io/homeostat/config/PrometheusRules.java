package io.homeostat.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.Durations;
import io.homeostat.model.Target;
import io.homeostat.model.MetricRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The targets as Prometheus alerting rules, for teams that alert from Prometheus: the same targets,
 * judged the way the processor judges them, from metrics that the OpenTelemetry Collector puts into
 * Prometheus.
 *
 * <p>What it assumes about metric names (the defaults of the OpenTelemetry → Prometheus translation,
 * Collector {@code prometheus}/{@code prometheusremotewrite} exporters or Prometheus' own OTLP receiver,
 * with type and unit suffixes):
 * <ul>
 *   <li>span SLIs come from the Collector's {@code spanmetrics} connector (namespace
 *       {@code traces.span.metrics}, duration unit ms) with {@code requirement} configured as a
 *       dimension: {@code traces_span_metrics_calls_total{requirement, status_code}} and the histogram
 *       {@code traces_span_metrics_duration_milliseconds_bucket};</li>
 *   <li>an OTLP metric keeps its declared name with {@code .} and other invalid characters replaced by
 *       {@code _}; counters get {@code _total}; histograms are classic ({@code _bucket}, {@code _sum},
 *       {@code _count}), exponential histograms native; summaries have {@code quantile} series. A unit
 *       declared on the instrument adds a suffix ({@code login_latency_ms_milliseconds}) that the seed's
 *       declarations cannot tell us: rename in the output if yours has one;</li>
 *   <li>every series carries the {@code requirement} label (the telemetry's attribute), which is what the
 *       rules filter on, as the processor filters on the requirement; a target's {@code where} becomes label
 *       matchers on the attributes as labels ({@code .} → {@code _}; the resource's {@code service.name}
 *       is {@code job}), several values a regular expression ({@code status=~"success|failure"});</li>
 *   <li>one sample per OTLP point (pushed: remote write or the OTLP receiver), for what counts points
 *       ({@code aggregation: count} of sums and gauges, {@code min_events} on them);</li>
 *   <li>one series per target (after {@code where}) for what the processor takes from the latest point
 *       of all matching series: a gauge's {@code last} and a summary's quantile are averaged over series;</li>
 *   <li>up-down counters cumulative (the SDKs' default): a level, judged like a gauge.</li>
 * </ul>
 * The value is the processor's ({@link RuleSemantics.Value}): sums by their increase (default), rate or
 * points; gauges by their last point (default), mean, min, max or points; distributions by their mean
 * (default), observations, or a share's quantile; a ratio as good / total, a missing good counting 0.
 * What PromQL cannot compute as the processor does (a histogram's min or max, eq with a share) fails the
 * export with a {@link ConfigException} naming the target, rather than a rule that judges differently.
 *
 * <p>One rule per severity: {@code warning} while the processor would say warning, {@code critical} beyond
 * {@code critical_deviation_percent}, so Alertmanager routes them as Homeostat's own alerts would be.
 */
// Implements: REQ-RUNTIME-002 (deviation alerts with REQ-* context, the seed's phase 5, for other monitoring systems)
public final class PrometheusRules {
    static final String SPAN_CALLS = "traces_span_metrics_calls_total";
    static final String SPAN_DURATION = "traces_span_metrics_duration_milliseconds";
    static final String ERROR_STATUS = "STATUS_CODE_ERROR";

    private PrometheusRules() {}

    public static String export(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode document = f.objectNode();
        ArrayNode groups = document.putArray("groups");
        ObjectNode group = groups.addObject();
        String service = loaded.config() == null ? null : loaded.config().serviceName();
        group.put("name", service == null || service.isBlank() ? "homeostat" : "homeostat-" + service);
        ArrayNode rules = group.putArray("rules");
        List<ConfigProblem> problems = new ArrayList<>();
        for (ResolvedTarget target : loaded.targets()) {
            try {
                RuleSemantics.Sli sli = RuleSemantics.sli(target);
                String value = value(sli, target.target());
                String guard = minEventsGuard(sli, target.target());
                RuleSemantics.Levels levels = RuleSemantics.levels(target);
                if (levels.warning() != null) {
                    rules.add(rule(target, "warning", condition(value, levels.warning(), target.target())
                            + " " + levels.warningUpTo().comparator() + " " + RuleSemantics.number(levels.warningUpTo().threshold()), guard));
                }
                rules.add(rule(target, "critical", condition(value, levels.critical(), target.target()), guard));
                if (target.target().notifyNoData()) rules.add(noDataRule(target, sli));
            } catch (RuleSemantics.Inexpressible e) {
                problems.add(RuleSemantics.problem(target, "Prometheus", e));
            }
        }
        RuleSemantics.throwIfAny(problems);
        return "# Prometheus alerting rules for the homeostasis targets of " + sourceName + ".\n"
                + "# Generated by `homeostat rules export --format prometheus`: edit the source, not this file.\n"
                + "# Assumes span SLIs from the OpenTelemetry Collector's spanmetrics connector with `requirement` as a\n"
                + "# dimension (" + SPAN_CALLS + ", " + SPAN_DURATION + "_bucket),\n"
                + "# and OTLP metrics under their declared names with Prometheus' suffixes (_total; _bucket, _sum, _count),\n"
                + "# one sample per OTLP point, every series labelled with its requirement and its attributes (where).\n"
                + "# One rule per severity, as Homeostat grades its alerts.\n"
                + RulesYaml.write(document);
    }

    private static ObjectNode rule(ResolvedTarget resolved, String severity, String condition, String guard) {
        Target t = resolved.target();
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        rule.put("alert", "HomeostasisDeviation");
        rule.put("expr", (guard == null ? condition : condition + "\nand on () " + guard) + "\n");
        if (!t.forDuration().isZero()) rule.put("for", Durations.format(t.forDuration()));
        ObjectNode labels = rule.putObject("labels");
        labels.put("severity", severity);
        commonLabels(labels, resolved);
        ObjectNode annotations = rule.putObject("annotations");
        annotations.put("summary", resolved.target().requirement() + ": " + RuleSemantics.condition(resolved)
                + " is violated (value {{ $value }})");
        if (t.description() != null) annotations.put("description", t.description());
        new TreeMap<>(t.annotations()).forEach(annotations::put);
        return rule;
    }

    private static ObjectNode noDataRule(ResolvedTarget resolved, RuleSemantics.Sli sli) {
        Target t = resolved.target();
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        rule.put("alert", "HomeostasisNoData");
        rule.put("expr", "absent_over_time(" + eventSeries(sli, t) + "[" + range(t.noDataAfter()) + "])\n");
        ObjectNode labels = rule.putObject("labels");
        labels.put("severity", "warning");
        commonLabels(labels, resolved);
        ObjectNode annotations = rule.putObject("annotations");
        annotations.put("summary", t.requirement() + ": no " + resolved.resolution().written() + " data for "
                + Durations.format(t.noDataAfter()));
        new TreeMap<>(t.annotations()).forEach(annotations::put);
        return rule;
    }

    private static void commonLabels(ObjectNode labels, ResolvedTarget resolved) {
        Target t = resolved.target();
        labels.put("requirement", t.requirement());
        labels.put("target_id", resolved.id());
        labels.put("metric", t.metric());
        if (t.constraint() != null) labels.put("constraint", t.constraint());
        if (!t.businessRules().isEmpty()) labels.put("business_rules", String.join(",", t.businessRules()));
        new TreeMap<>(t.labels()).forEach(labels::put);
    }

    private static String condition(String value, RuleSemantics.Comparison comparison, Target t) {
        String lhs = comparison.distance() ? "abs(" + value + " - " + RuleSemantics.number(t.target()) + ")" : value;
        return lhs + " " + comparison.comparator() + " " + RuleSemantics.number(comparison.threshold());
    }

    /** The SLI over the target's window, as PromQL: the processor's value ({@link RuleSemantics.Value}). */
    static String value(RuleSemantics.Sli sli, Target t) throws RuleSemantics.Inexpressible {
        String w = "[" + range(t.window()) + "]";
        String req = "requirement=\"" + escape(t.requirement()) + "\"";
        String calls = SPAN_CALLS + "{" + req + "}";
        if (sli.spanDerived()) {
            return switch (sli.value()) {
                case SPAN_SUCCESS_RATIO -> "(sum(rate(" + SPAN_CALLS + "{" + req + ", status_code!=\"" + ERROR_STATUS + "\"}" + w
                        + ")) or vector(0))\n  / sum(rate(" + calls + w + "))";
                case SPAN_ERROR_RATIO -> "(sum(rate(" + SPAN_CALLS + "{" + req + ", status_code=\"" + ERROR_STATUS + "\"}" + w
                        + ")) or vector(0))\n  / sum(rate(" + calls + w + "))";
                case SPAN_COUNT -> "sum(increase(" + calls + w + "))";
                case SPAN_RATE -> "sum(rate(" + calls + w + "))";
                case QUANTILE -> "histogram_quantile(" + RuleSemantics.number(sli.quantile()) + ", sum by (le) (rate("
                        + SPAN_DURATION + "_bucket{" + req + "}" + w + ")))";
                case MEAN -> "sum(rate(" + SPAN_DURATION + "_sum{" + req + "}" + w + "))\n  / sum(rate("
                        + SPAN_DURATION + "_count{" + req + "}" + w + "))";
                default -> throw new AssertionError(sli.value());
            };
        }
        if (sli.value() == RuleSemantics.Value.RATIO) {
            return "(" + operand(sli.good(), t, w) + " or vector(0))\n  / " + operand(sli.total(), t, w);
        }
        MetricRef ref = sli.ref();
        String name = promName(ref.metric());
        boolean nativeHistogram = sli.type() == MetricType.EXPONENTIAL_HISTOGRAM;
        return switch (sli.value()) {
            case QUANTILE -> {
                String q = RuleSemantics.number(sli.quantile());
                // A summary's quantile is the latest point's (the processor's), assumed reported at exactly q.
                if (sli.summary()) yield "avg(last_over_time(" + selector(name, t, ref, "quantile=\"" + q + "\"") + w + "))";
                if (nativeHistogram) yield "histogram_quantile(" + q + ", sum(rate(" + selector(name, t, ref) + w + ")))";
                yield "histogram_quantile(" + q + ", sum by (le) (rate(" + selector(name + "_bucket", t, ref) + w + ")))";
            }
            case MEAN -> nativeHistogram ? "histogram_avg(sum(rate(" + selector(name, t, ref) + w + ")))"
                    : "sum(rate(" + selector(name + "_sum", t, ref) + w + "))\n  / sum(rate(" + selector(name + "_count", t, ref) + w + "))";
            case DISTRIBUTION_COUNT -> observations(name, sli.type(), t, ref, w);
            case DISTRIBUTION_MIN, DISTRIBUTION_MAX -> throw new RuleSemantics.Inexpressible("aggregation "
                    + (sli.value() == RuleSemantics.Value.DISTRIBUTION_MIN ? "min" : "max") + " of a histogram is its "
                    + (sli.value() == RuleSemantics.Value.DISTRIBUTION_MIN ? "smallest" : "largest") + " observation as the "
                    + "SDK reports it (else estimated from the buckets); Prometheus' histograms keep neither min nor max, "
                    + "and histogram_quantile estimates differently");
            case SUM_INCREASE -> "sum(increase(" + selector(counterName(name), t, ref) + w + "))";
            case SUM_RATE -> "sum(rate(" + selector(counterName(name), t, ref) + w + "))";
            case SUM_POINTS -> "sum(count_over_time(" + selector(counterName(name), t, ref) + w + "))";
            case LEVEL_LAST -> "avg(last_over_time(" + selector(name, t, ref) + w + "))";
            case LEVEL_AVG -> "sum(sum_over_time(" + selector(name, t, ref) + w + "))\n  / sum(count_over_time("
                    + selector(name, t, ref) + w + "))";
            case LEVEL_MIN -> "min(min_over_time(" + selector(name, t, ref) + w + "))";
            case LEVEL_MAX -> "max(max_over_time(" + selector(name, t, ref) + w + "))";
            case LEVEL_POINTS -> "sum(count_over_time(" + selector(name, t, ref) + w + "))";
            default -> throw new AssertionError(sli.value());
        };
    }

    /** A ratio operand, aggregated by its kind as the processor does: sums their increase, gauges their last value, distributions their count. */
    private static String operand(RuleSemantics.Operand operand, Target t, String w) {
        String name = promName(operand.ref().metric());
        return switch (operand.value()) {
            case SUM_INCREASE -> "sum(increase(" + selector(counterName(name), t, operand.ref()) + w + "))";
            case LEVEL_LAST -> "avg(last_over_time(" + selector(name, t, operand.ref()) + w + "))";
            case DISTRIBUTION_COUNT -> observations(name, operand.type(), t, operand.ref(), w);
            default -> throw new AssertionError(operand.value());
        };
    }

    /** A distribution's number of observations over the window. */
    private static String observations(String name, MetricType type, Target t, MetricRef ref, String w) {
        return type == MetricType.EXPONENTIAL_HISTOGRAM
                ? "histogram_count(sum(increase(" + selector(name, t, ref) + w + ")))"
                : "sum(increase(" + selector(name + "_count", t, ref) + w + "))";
    }

    /** min_events as PromQL: no verdict on fewer events (spans, points, observations, a ratio's total). */
    private static String minEventsGuard(RuleSemantics.Sli sli, Target t) {
        if (t.minEvents() <= 1) return null;
        return events(sli, t, "[" + range(t.window()) + "]") + " >= " + t.minEvents();
    }

    /** The processor's events over a range: spans, a sum's or gauge's points, a distribution's observations, a ratio's total. */
    private static String events(RuleSemantics.Sli sli, Target t, String w) {
        if (sli.spanDerived()) return "sum(increase(" + SPAN_CALLS + "{requirement=\"" + escape(t.requirement()) + "\"}" + w + "))";
        if (sli.value() == RuleSemantics.Value.RATIO) return operand(sli.total(), t, w);
        String name = promName(sli.ref().metric());
        return switch (sli.type().shape()) {
            case DISTRIBUTION -> observations(name, sli.type(), t, sli.ref(), w);
            case MONOTONIC_SUM -> "sum(count_over_time(" + selector(counterName(name), t, sli.ref()) + w + "))";
            case GAUGE, SUM -> "sum(count_over_time(" + selector(name, t, sli.ref()) + w + "))";
        };
    }

    /** A series that exists while the target's events flow (for no-data rules). */
    private static String eventSeries(RuleSemantics.Sli sli, Target t) {
        if (sli.spanDerived()) return SPAN_CALLS + "{requirement=\"" + escape(t.requirement()) + "\"}";
        MetricRef ref = sli.value() == RuleSemantics.Value.RATIO ? sli.total().ref() : sli.ref();
        MetricType type = sli.value() == RuleSemantics.Value.RATIO ? sli.total().type() : sli.type();
        String name = promName(ref.metric());
        return switch (type.shape()) {
            case DISTRIBUTION -> type == MetricType.EXPONENTIAL_HISTOGRAM ? selector(name, t, ref)
                    : selector(name + "_count", t, ref);
            case MONOTONIC_SUM -> selector(counterName(name), t, ref);
            case GAUGE, SUM -> selector(name, t, ref);
        };
    }

    /**
     * {@code name{requirement="REQ-1", status="success", reason=~"locked|wrong_password"}}: the requirement
     * and the target's {@code where} as label matchers (attribute names as the OpenTelemetry translation
     * makes them labels; the resource's {@code service.name} is {@code job}).
     */
    static String selector(String name, Target t, MetricRef ref, String... extra) {
        List<String> matchers = new ArrayList<>();
        matchers.add("requirement=\"" + escape(t.requirement()) + "\"");
        new TreeMap<>(ref.where()).forEach((attribute, values) -> matchers.add(labelName(attribute) + (values.size() == 1
                ? "=\"" + escape(values.get(0)) + "\""
                : "=~\"" + escape(String.join("|", values.stream().map(PrometheusRules::regexQuote).toList())) + "\"")));
        matchers.addAll(List.of(extra));
        return name + "{" + String.join(", ", matchers) + "}";
    }

    static String labelName(String attribute) {
        if (attribute.equals("service.name")) return "job";
        String label = attribute.replaceAll("[^a-zA-Z0-9_]", "_");
        return Character.isDigit(label.charAt(0)) ? "key_" + label : label;
    }

    /** A value matched literally by a (fully anchored, RE2) regular expression. */
    static String regexQuote(String value) {
        StringBuilder quoted = new StringBuilder();
        for (char c : value.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) quoted.append('\\');
            quoted.append(c);
        }
        return quoted.toString();
    }

    /** Prometheus range durations: 500ms, 20s, 5m, 1h, 1d (the contract's own spellings, all valid). */
    static String range(Duration duration) {
        return Durations.format(duration);
    }

    static String promName(String otelName) {
        String name = otelName.replaceAll("[^a-zA-Z0-9_:]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    private static String counterName(String name) {
        return name.endsWith("_total") ? name : name + "_total";
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

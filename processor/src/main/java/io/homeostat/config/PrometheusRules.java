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
 * <p>What it assumes about metric names (Prometheus' own OTLP receiver, or the Collector's
 * {@code prometheusremotewrite} exporter, which name alike; {@link PrometheusNames}):
 * <ul>
 *   <li>span SLIs come from the Collector's {@code spanmetrics} connector (namespace
 *       {@code traces.span.metrics}, duration unit ms) with {@code requirement} configured as a
 *       dimension: {@code traces_span_metrics_calls_total{requirement, status_code}} and the histogram
 *       {@code traces_span_metrics_duration_milliseconds_bucket};</li>
 *   <li>an OTLP metric is named by Prometheus' OTLP translation ({@link PrometheusNames.Style#OTLP}, the
 *       default): words joined by {@code _}, the declared {@code unit} appended ({@code login_latency_ms} with
 *       unit {@code ms} is {@code login_latency_ms_milliseconds}), {@code _total} on counters, {@code _ratio} on
 *       gauges of unit {@code 1}; histograms are classic ({@code _bucket}, {@code _sum}, {@code _count}),
 *       exponential histograms native; summaries have {@code quantile} series. {@code --metric-names raw}
 *       appends nothing (translation without suffixes);</li>
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
    static final String ERROR_STATUS = "STATUS_CODE_ERROR";

    private PrometheusRules() {}

    /**
     * @param scrapeInterval how often a sample arrives (the OTLP export interval when pushed, the scrape interval
     *                       when scraped): windows shorter than four of it are warned about
     * @param names          how OTLP metric names become Prometheus names
     */
    public record Options(Duration scrapeInterval, PrometheusNames.Style names) {
        /** The OpenTelemetry SDKs' default export interval (60 s), Prometheus' OTLP naming. */
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(60), PrometheusNames.Style.OTLP);

        public Options {
            if (scrapeInterval.toMillis() < 1) throw new IllegalArgumentException("the scrape interval must be positive");
        }
    }

    /** The rules file and what to tell its reader (also in its header). */
    public record Export(String rules, List<String> warnings) {}

    /** The rules with the defaults ({@link Options#DEFAULTS}). */
    public static String export(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        return export(loaded, sourceName, Options.DEFAULTS).rules();
    }

    public static Export export(TargetFiles.Loaded loaded, String sourceName, Options options) throws ConfigException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode document = f.objectNode();
        ArrayNode groups = document.putArray("groups");
        ObjectNode group = groups.addObject();
        String service = loaded.config() == null ? null : loaded.config().serviceName();
        group.put("name", service == null || service.isBlank() ? "homeostat" : "homeostat-" + service);
        ArrayNode rules = group.putArray("rules");
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<ObjectNode> sloGroups = new ArrayList<>();
        for (ResolvedTarget target : loaded.targets()) {
            try {
                if (target.target().isSlo()) {
                    sloGroups.addAll(SloRules.groups(target, loaded.config(), options.names(), warnings));
                }
                if (target.target().burnRateAlerting()) {
                    // Its tiers alert (the SLO groups); the plain window does not. Silence still does.
                    if (target.target().notifyNoData()) rules.add(noDataRule(target, RuleSemantics.sli(target), options.names()));
                    continue;
                }
                RuleSemantics.Sli sli = RuleSemantics.sli(target);
                String value = value(sli, target.target(), options.names());
                String guard = minEventsGuard(sli, target.target(), options.names());
                RuleSemantics.Levels levels = RuleSemantics.levels(target);
                String critical = guarded(condition(value, levels.critical(), target.target()), guard);
                String warning = levels.warning() == null ? null : guarded(condition(value, levels.warning(), target.target())
                        + " " + levels.warningUpTo().comparator() + " " + RuleSemantics.number(levels.warningUpTo().threshold()), guard);
                List<String> holds = holds(target, sli, value, guard, options.names());
                boolean pending = !target.target().forDuration().isZero();
                if (warning != null) {
                    rules.add(rule(target, "warning", held(target, "warning", warning, holds, pending ? critical : null, "critical")));
                }
                rules.add(rule(target, "critical", held(target, "critical", critical, holds,
                        pending && warning != null ? warning : null, "warning")));
                if (target.target().notifyNoData()) rules.add(noDataRule(target, sli, options.names()));
                shortWindow(target, options.scrapeInterval()).ifPresent(warnings::add);
            } catch (RuleSemantics.Inexpressible e) {
                problems.add(RuleSemantics.problem(target, "Prometheus", e));
            }
        }
        RuleSemantics.throwIfAny(problems);
        if (rules.isEmpty()) groups.remove(0);
        sloGroups.forEach(groups::add);
        boolean otlp = options.names() == PrometheusNames.Style.OTLP;
        StringBuilder header = new StringBuilder()
                .append("# Prometheus alerting rules for the homeostasis targets of ").append(sourceName).append(".\n")
                .append("# Generated by `homeostat rules export --format prometheus`: edit the source, not this file.\n")
                .append("# Assumes span SLIs from the OpenTelemetry Collector's spanmetrics connector with `requirement` as a\n")
                .append("# dimension (").append(spanCalls(options.names())).append(", ").append(spanDuration(options.names()))
                .append("_bucket),\n")
                .append(otlp ? "# and OTLP metrics named by Prometheus' OTLP translation (unit suffixes, _total; _bucket, _sum, _count),\n"
                        : "# and OTLP metrics under their declared names, invalid characters as _ and no suffixes (--metric-names raw),\n")
                .append("# one sample per OTLP point every ").append(Durations.format(options.scrapeInterval()))
                .append(", every series labelled with its requirement and its attributes (where).\n")
                .append("# One rule per severity, as Homeostat grades its alerts.\n");
        if (!sloGroups.isEmpty()) {
            header.append("# SLO targets: Sloth's layout (slo:sli_error:ratio_rate<window> recordings, meta recordings, and a\n")
                    .append("# HomeostasisBurnRate alert per tier: page = critical, ticket = warning), with the target's windows\n")
                    .append("# and its slo.min_events in each pair's short window.\n");
        }
        for (String warning : warnings) header.append("# WARNING: ").append(warning).append('\n');
        return new Export(header + RulesYaml.write(document), List.copyOf(warnings));
    }

    /**
     * A window shorter than four sample intervals: {@code rate()} and {@code increase()} need two samples in the
     * range, and at one sample per interval a short range often has one (no value: no alert) or two at best.
     */
    static java.util.Optional<String> shortWindow(ResolvedTarget target, Duration interval) {
        Duration window = target.target().window();
        if (window.compareTo(interval.multipliedBy(4)) >= 0) return java.util.Optional.empty();
        long samples = Math.max(1, Math.round((double) window.toMillis() / interval.toMillis()));
        return java.util.Optional.of(target.id() + ": window " + Durations.format(window) + " is under 4 sample intervals of "
                + Durations.format(interval) + ": rate() and increase() over [" + Durations.format(window) + "] see about "
                + samples + " sample(s) per series and need 2; export every " + Durations.format(window.dividedBy(4))
                + " or less (and pass it as --scrape-interval), or widen the window");
    }

    private static String guarded(String condition, String guard) {
        return guard == null ? condition : condition + "\nand on () " + guard;
    }

    /**
     * When Homeostat keeps a firing alert although the value is no longer beyond the alert level
     * ({@code AlertLifecycle}): while the value still misses the target itself (between the target and the alert
     * level: DEVIATING), and while the window has events but fewer than {@code min_events} (no verdict).
     */
    private static List<String> holds(ResolvedTarget target, RuleSemantics.Sli sli, String value, String guard,
                                      PrometheusNames.Style names) {
        List<String> holds = new ArrayList<>();
        RuleSemantics.Band band = RuleSemantics.deviatingBand(target);
        Target t = target.target();
        if (band != null) {
            holds.add(guarded(condition(value, band.from(), t) + " " + band.to().comparator() + " "
                    + RuleSemantics.number(band.to().threshold()), guard));
        }
        if (t.minEvents() > 1) holds.add(events(sli, t, "[" + range(t.window()) + "]", names) + " < " + t.minEvents() + " > 0");
        return holds;
    }

    /**
     * The rule's condition, and what keeps its alert firing once it fires ({@link #holds}), read off Prometheus'
     * own {@code ALERTS} series of the previous evaluation, as Homeostat's alert lifecycle does. With {@code for},
     * a change of severity keeps the old one firing until the new one has waited out its {@code for} ({@code other}:
     * the other severity's condition), where Homeostat changes severity at once.
     */
    static String held(ResolvedTarget target, String severity, String condition, List<String> holds, String other,
                       String otherSeverity) {
        List<String> keep = new ArrayList<>(holds);
        if (other != null) keep.add(other);
        if (keep.isEmpty()) return condition;
        // (condition) or on () ((hold) or on () (hold) ... and on () ALERTS...): "and" binds before "or".
        String holdsAny = keep.size() == 1 ? keep.get(0).replace("\n", "\n    ")
                : String.join("\n    or on () ", keep.stream().map(k -> "(\n      " + k.replace("\n", "\n      ") + "\n    )").toList());
        StringBuilder expr = new StringBuilder("(\n  ").append(condition.replace("\n", "\n  ")).append("\n)\nor on () (\n  (\n    ")
                .append(holdsAny).append("\n  )\n  and on () ").append(alerts(target, severity));
        if (other != null) expr.append("\n  unless on () ").append(alerts(target, otherSeverity));
        return expr.append("\n)").toString();
    }

    /** This target's alert of a severity, firing at the previous evaluation. */
    private static String alerts(ResolvedTarget target, String severity) {
        return "ALERTS{alertname=\"HomeostasisDeviation\", target_id=\"" + escape(target.id()) + "\", severity=\"" + severity
                + "\", alertstate=\"firing\"}";
    }

    private static ObjectNode rule(ResolvedTarget resolved, String severity, String expr) {
        Target t = resolved.target();
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        rule.put("alert", "HomeostasisDeviation");
        rule.put("expr", expr + "\n");
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

    private static ObjectNode noDataRule(ResolvedTarget resolved, RuleSemantics.Sli sli, PrometheusNames.Style names) {
        Target t = resolved.target();
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        rule.put("alert", "HomeostasisNoData");
        rule.put("expr", "absent_over_time(" + eventSeries(sli, t, names) + "[" + range(t.noDataAfter()) + "])\n");
        ObjectNode labels = rule.putObject("labels");
        labels.put("severity", "warning");
        commonLabels(labels, resolved);
        ObjectNode annotations = rule.putObject("annotations");
        annotations.put("summary", t.requirement() + ": no " + resolved.resolution().written() + " data for "
                + Durations.format(t.noDataAfter()));
        new TreeMap<>(t.annotations()).forEach(annotations::put);
        return rule;
    }

    static void commonLabels(ObjectNode labels, ResolvedTarget resolved) {
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

    /** The SLI with the default names ({@link PrometheusNames.Style#OTLP}). */
    static String value(RuleSemantics.Sli sli, Target t) throws RuleSemantics.Inexpressible {
        return value(sli, t, PrometheusNames.Style.OTLP);
    }

    /** The SLI over the target's window, as PromQL: the processor's value ({@link RuleSemantics.Value}). */
    static String value(RuleSemantics.Sli sli, Target t, PrometheusNames.Style names) throws RuleSemantics.Inexpressible {
        String w = "[" + range(t.window()) + "]";
        String req = "requirement=\"" + escape(t.requirement()) + "\"";
        String spanCalls = spanCalls(names);
        String calls = spanCalls + "{" + req + "}";
        if (sli.spanDerived()) {
            String duration = spanDuration(names);
            return switch (sli.value()) {
                case SPAN_SUCCESS_RATIO -> "(sum(rate(" + spanCalls + "{" + req + ", status_code!=\"" + ERROR_STATUS + "\"}" + w
                        + ")) or vector(0))\n  / sum(rate(" + calls + w + "))";
                case SPAN_ERROR_RATIO -> "(sum(rate(" + spanCalls + "{" + req + ", status_code=\"" + ERROR_STATUS + "\"}" + w
                        + ")) or vector(0))\n  / sum(rate(" + calls + w + "))";
                case SPAN_COUNT -> "sum(increase(" + calls + w + "))";
                case SPAN_RATE -> "sum(rate(" + calls + w + "))";
                case QUANTILE -> "histogram_quantile(" + RuleSemantics.number(sli.quantile()) + ", sum by (le) (rate("
                        + duration + "_bucket{" + req + "}" + w + ")))";
                case MEAN -> "sum(rate(" + duration + "_sum{" + req + "}" + w + "))\n  / sum(rate("
                        + duration + "_count{" + req + "}" + w + "))";
                default -> throw new AssertionError(sli.value());
            };
        }
        if (sli.value() == RuleSemantics.Value.RATIO) {
            return "(" + operand(sli.good(), t, w, names) + " or vector(0))\n  / " + operand(sli.total(), t, w, names);
        }
        MetricRef ref = sli.ref();
        String name = PrometheusNames.metric(ref.metric(), sli.unit(), sli.type(), names);
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
            case SUM_INCREASE -> "sum(increase(" + selector(name, t, ref) + w + "))";
            case SUM_RATE -> "sum(rate(" + selector(name, t, ref) + w + "))";
            case SUM_POINTS, LEVEL_POINTS -> "sum(count_over_time(" + selector(name, t, ref) + w + "))";
            case LEVEL_LAST -> "avg(last_over_time(" + selector(name, t, ref) + w + "))";
            case LEVEL_AVG -> "sum(sum_over_time(" + selector(name, t, ref) + w + "))\n  / sum(count_over_time("
                    + selector(name, t, ref) + w + "))";
            case LEVEL_MIN -> "min(min_over_time(" + selector(name, t, ref) + w + "))";
            case LEVEL_MAX -> "max(max_over_time(" + selector(name, t, ref) + w + "))";
            default -> throw new AssertionError(sli.value());
        };
    }

    /** The spanmetrics connector's calls counter ({@code traces.span.metrics.calls}). */
    static String spanCalls(PrometheusNames.Style names) {
        return PrometheusNames.metric("traces.span.metrics.calls", null, MetricType.COUNTER, names);
    }

    /** The spanmetrics connector's duration histogram ({@code traces.span.metrics.duration}, unit ms). */
    static String spanDuration(PrometheusNames.Style names) {
        return PrometheusNames.metric("traces.span.metrics.duration", "ms", MetricType.HISTOGRAM, names);
    }

    /** A ratio operand, aggregated by its kind as the processor does: sums their increase, gauges their last value, distributions their count. */
    private static String operand(RuleSemantics.Operand operand, Target t, String w, PrometheusNames.Style names) {
        String name = PrometheusNames.metric(operand.ref().metric(), operand.unit(), operand.type(), names);
        return switch (operand.value()) {
            case SUM_INCREASE -> "sum(increase(" + selector(name, t, operand.ref()) + w + "))";
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
    private static String minEventsGuard(RuleSemantics.Sli sli, Target t, PrometheusNames.Style names) {
        if (t.minEvents() <= 1) return null;
        return events(sli, t, "[" + range(t.window()) + "]", names) + " >= " + t.minEvents();
    }

    /** The processor's events over a range: spans, a sum's or gauge's points, a distribution's observations, a ratio's total. */
    private static String events(RuleSemantics.Sli sli, Target t, String w, PrometheusNames.Style names) {
        if (sli.spanDerived()) {
            return "sum(increase(" + spanCalls(names) + "{requirement=\"" + escape(t.requirement()) + "\"}" + w + "))";
        }
        if (sli.value() == RuleSemantics.Value.RATIO) return operand(sli.total(), t, w, names);
        String name = PrometheusNames.metric(sli.ref().metric(), sli.unit(), sli.type(), names);
        return switch (sli.type().shape()) {
            case DISTRIBUTION -> observations(name, sli.type(), t, sli.ref(), w);
            case MONOTONIC_SUM, GAUGE, SUM -> "sum(count_over_time(" + selector(name, t, sli.ref()) + w + "))";
        };
    }

    /** A series that exists while the target's events flow (for no-data rules). */
    private static String eventSeries(RuleSemantics.Sli sli, Target t, PrometheusNames.Style names) {
        if (sli.spanDerived()) return spanCalls(names) + "{requirement=\"" + escape(t.requirement()) + "\"}";
        boolean ratio = sli.value() == RuleSemantics.Value.RATIO;
        MetricRef ref = ratio ? sli.total().ref() : sli.ref();
        MetricType type = ratio ? sli.total().type() : sli.type();
        String name = PrometheusNames.metric(ref.metric(), ratio ? sli.total().unit() : sli.unit(), type, names);
        return type.shape() == MetricType.Shape.DISTRIBUTION && type != MetricType.EXPONENTIAL_HISTOGRAM
                ? selector(name + "_count", t, ref) : selector(name, t, ref);
    }

    /**
     * {@code name{requirement="REQ-1", status="success", reason=~"locked|wrong_password"}}: the requirement
     * and the target's {@code where} as label matchers (attribute names as Prometheus' OTLP translation makes
     * them labels, {@link PrometheusNames#label}; the resource's {@code service.name} is {@code job}).
     */
    static String selector(String name, Target t, MetricRef ref, String... extra) {
        List<String> matchers = new ArrayList<>();
        matchers.add("requirement=\"" + escape(t.requirement()) + "\"");
        new TreeMap<>(ref.where()).forEach((attribute, values) -> matchers.add(PrometheusNames.label(attribute) + (values.size() == 1
                ? "=\"" + escape(values.get(0)) + "\""
                : "=~\"" + escape(String.join("|", values.stream().map(PrometheusRules::regexQuote).toList())) + "\"")));
        matchers.addAll(List.of(extra));
        return name + "{" + String.join(", ", matchers) + "}";
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

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

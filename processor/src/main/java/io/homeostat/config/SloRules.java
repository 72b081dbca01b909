package io.homeostat.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.Durations;
import io.homeostat.model.MetricRef;
import io.homeostat.model.Operator;
import io.homeostat.model.SloSpec;
import io.homeostat.model.SpanSli;
import io.homeostat.model.Target;
import io.homeostat.slo.BurnTiers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * SLO targets as Prometheus rules in Sloth's layout (github.com/slok/sloth, spec {@code prometheus/v1}): per SLO
 * a group of SLI recording rules ({@code slo:sli_error:ratio_rate<window>} for every window its tiers use, and the
 * period), a group of meta recording rules ({@code slo:objective:ratio}, {@code slo:error_budget:ratio},
 * {@code slo:current_burn_rate:ratio}, {@code slo:period_error_budget_remaining:ratio}, ...) and a group of alert
 * rules: one {@code HomeostasisBurnRate} per tier (page: severity critical; ticket: warning), firing while any of
 * its window pairs has both error ratios above burn rate × (1 − objective), as Sloth writes them. Two things Sloth
 * does not do, so that the rules judge as Homeostat does: the windows are the target's (the Workbook's scaled to
 * its period, or its own tiers), and a pair needs {@code slo.min_events} events in its short window (low traffic).
 *
 * <p>Also the SLOs as a Sloth spec file ({@link #slothSpec}), for teams that generate their rules with Sloth.
 */
final class SloRules {
    static final String ALERT = "HomeostasisBurnRate";
    static final String WINDOW = "{{.window}}";

    private SloRules() {}

    /**
     * An SLO's events as PromQL, with {@code {{.window}}} for the range (Sloth's template variable).
     *
     * @param events the total's increase over the window, for the low-traffic guard
     */
    record Sli(String errorQuery, String totalQuery, String events, List<String> warnings) {
        String error(Duration window) {
            return errorQuery.replace(WINDOW, PrometheusRules.range(window));
        }

        String total(Duration window) {
            return totalQuery.replace(WINDOW, PrometheusRules.range(window));
        }
    }

    /** The bad and all events of an SLO target, as the processor counts them ({@code SloMeasurer}). */
    static Sli sli(ResolvedTarget resolved, PrometheusNames.Style names) throws RuleSemantics.Inexpressible {
        Target t = resolved.target();
        String w = "[" + WINDOW + "]";
        String req = "requirement=\"" + PrometheusRules.escape(t.requirement()) + "\"";
        List<String> warnings = new ArrayList<>();
        boolean upper = t.operator() == Operator.LT || t.operator() == Operator.LTE;
        if (t.ratio() == null && SpanSli.of(t.metric()).isPresent()) {
            String calls = PrometheusRules.spanCalls(names);
            String total = "sum(rate(" + calls + "{" + req + "}" + w + "))";
            String increase = "sum(increase(" + calls + "{" + req + "}" + w + "))";
            return switch (SpanSli.of(t.metric()).get()) {
                case SUCCESS_RATE, ERROR_RATE -> new Sli("(sum(rate(" + calls + "{" + req + ", status_code=\""
                        + PrometheusRules.ERROR_STATUS + "\"}" + w + ")) or vector(0))", total, increase, warnings);
                case DURATION_MS -> {
                    String duration = PrometheusRules.spanDuration(names);
                    String le = RuleSemantics.number(t.target());
                    warnings.add(resolved.id() + ": the rules count the spans in the bucket le=\"" + le + "\" of " + duration
                            + "_bucket: configure the spanmetrics connector's histogram with a bucket boundary at " + le
                            + " ms (its defaults have none)");
                    yield new Sli(bucketBad(duration + "_count{" + req + "}", duration + "_bucket{" + req + ", le=\"" + le
                            + "\"}", w, upper), "sum(rate(" + duration + "_count{" + req + "}" + w + "))",
                            "sum(increase(" + duration + "_count{" + req + "}" + w + "))", warnings);
                }
                default -> throw new RuleSemantics.Inexpressible(t.metric() + " is not a share of good events");
            };
        }
        MetricResolution resolution = resolved.resolution();
        if (t.ratio() != null) {
            MetricResolution.RatioOperands operands = resolution.ratio();
            if (operands == null || operands.good() == null || operands.total() == null) {
                throw new RuleSemantics.Inexpressible("cannot export the SLO '" + t.metric() + "': the type of its ratio's "
                        + "operands is unknown; declare " + t.ratio().good().metric() + " and " + t.ratio().total().metric()
                        + " in telemetry.metrics of config/observability.yml");
            }
            String numerator = countRate(t, t.ratio().good(), operands.good(), w, names, "rate");
            String total = countRate(t, t.ratio().total(), operands.total(), w, names, "rate");
            String events = countRate(t, t.ratio().total(), operands.total(), w, names, "increase");
            String bad = upper ? "(" + numerator + " or vector(0))" : "(" + total + " - (" + numerator + " or vector(0)))";
            return new Sli(bad, total, events, warnings);
        }
        MetricDeclaration declaration = resolution.declaration();
        if (declaration == null) {
            throw new RuleSemantics.Inexpressible("cannot export the SLO on '" + t.metric() + "': its type is unknown; "
                    + "declare it in telemetry.metrics of config/observability.yml (a histogram)");
        }
        if (declaration.type() != MetricType.HISTOGRAM) {
            throw new RuleSemantics.Inexpressible("an SLO on " + t.metric() + " counts the observations that meet the "
                    + "target; Prometheus counts them in a classic histogram's buckets only, and " + t.metric() + " is a "
                    + declaration.type().code());
        }
        String name = PrometheusNames.metric(t.metric(), declaration.unit(), declaration.type(), names);
        String le = RuleSemantics.number(t.target());
        warnings.add(resolved.id() + ": the rules count the observations in the bucket le=\"" + le + "\" of " + name
                + "_bucket: " + t.metric() + " must have a bucket boundary at " + le);
        String count = PrometheusRules.selector(name + "_count", t, t.metricRef());
        String bucket = PrometheusRules.selector(name + "_bucket", t, t.metricRef(), "le=\"" + le + "\"");
        return new Sli(bucketBad(count, bucket, w, upper), "sum(rate(" + count + w + "))", "sum(increase(" + count + w + "))",
                warnings);
    }

    /** Bad observations of a histogram: above the bound for an upper bound (lt 500), at or below it otherwise. */
    private static String bucketBad(String count, String bucket, String w, boolean upper) {
        return upper ? "(sum(rate(" + count + w + ")) - sum(rate(" + bucket + w + ")))" : "sum(rate(" + bucket + w + "))";
    }

    /** A ratio operand's events per second (or increase): a counter's, or a distribution's observations. */
    private static String countRate(Target t, MetricRef ref, MetricDeclaration declaration, String w,
                                    PrometheusNames.Style names, String function) throws RuleSemantics.Inexpressible {
        String name = PrometheusNames.metric(ref.metric(), declaration.unit(), declaration.type(), names);
        return switch (declaration.type().shape()) {
            case MONOTONIC_SUM -> "sum(" + function + "(" + PrometheusRules.selector(name, t, ref) + w + "))";
            case DISTRIBUTION -> {
                if (declaration.type() == MetricType.EXPONENTIAL_HISTOGRAM) {
                    yield "histogram_count(sum(" + function + "(" + PrometheusRules.selector(name, t, ref) + w + ")))";
                }
                yield "sum(" + function + "(" + PrometheusRules.selector(name + "_count", t, ref) + w + "))";
            }
            case GAUGE, SUM -> throw new RuleSemantics.Inexpressible("ratio operand " + ref.metric() + " is a "
                    + declaration.type().code() + ", whose value is no count of events: an SLO's ratio needs counters");
        };
    }

    /** Sloth's identity labels of an SLO. */
    static Map<String, String> slothLabels(ResolvedTarget resolved, ObservabilityConfig config) {
        Map<String, String> labels = new LinkedHashMap<>();
        String service = service(config);
        String slo = sloName(resolved);
        labels.put("sloth_id", service + "-" + slo);
        labels.put("sloth_service", service);
        labels.put("sloth_slo", slo);
        return labels;
    }

    static String service(ObservabilityConfig config) {
        String name = config == null || config.serviceName() == null || config.serviceName().isBlank() ? "homeostat"
                : config.serviceName();
        return name;
    }

    /** The SLO's name: its target id, lower case, anything but letters and digits as {@code -}. */
    static String sloName(ResolvedTarget resolved) {
        return resolved.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    /** The three groups of an SLO: SLI recordings, meta recordings, and (alerting burn_rate) the tiers' alerts. */
    static List<ObjectNode> groups(ResolvedTarget resolved, ObservabilityConfig config, PrometheusNames.Style names,
                                   List<String> warnings) throws RuleSemantics.Inexpressible {
        Target t = resolved.target();
        SloSpec slo = t.slo();
        Sli sli = sli(resolved, names);
        warnings.addAll(sli.warnings());
        Map<String, String> sloth = slothLabels(resolved, config);
        String selector = selector(sloth);
        List<BurnTiers.Tier> tiers = BurnTiers.of(slo);
        List<Duration> windows = new ArrayList<>(BurnTiers.windows(tiers));
        if (windows.isEmpty()) windows.add(Duration.ofMinutes(5));
        Duration shortest = windows.get(0);

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode recordings = f.objectNode();
        recordings.put("name", "homeostat-slo-sli-recordings-" + sloth.get("sloth_id"));
        ArrayNode sliRules = recordings.putArray("rules");
        for (Duration window : windows) {
            ObjectNode rule = sliRules.addObject();
            rule.put("record", "slo:sli_error:ratio_rate" + PrometheusRules.range(window));
            rule.put("expr", "(" + sli.error(window) + ")\n/\n(" + sli.total(window) + ")\n");
            ObjectNode labels = rule.putObject("labels");
            common(labels, resolved, sloth);
            labels.put("sloth_window", PrometheusRules.range(window));
        }
        String period = PrometheusRules.range(slo.period());
        ObjectNode periodRule = sliRules.addObject();
        periodRule.put("record", "slo:sli_error:ratio_rate" + period);
        String base = "slo:sli_error:ratio_rate" + PrometheusRules.range(shortest) + selector;
        periodRule.put("expr", "sum_over_time(" + base + "[" + period + "])\n/ ignoring (sloth_window)\ncount_over_time("
                + base + "[" + period + "])\n");
        periodRule.putObject("labels").put("sloth_window", period);

        ObjectNode meta = f.objectNode();
        meta.put("name", "homeostat-slo-meta-recordings-" + sloth.get("sloth_id"));
        ArrayNode metaRules = meta.putArray("rules");
        String objective = RuleSemantics.number(slo.objective());
        metaRecording(metaRules, "slo:objective:ratio", "vector(" + objective + ")", resolved, sloth);
        metaRecording(metaRules, "slo:error_budget:ratio", "vector(1-" + objective + ")", resolved, sloth);
        metaRecording(metaRules, "slo:time_period:days", "vector(" + RuleSemantics.number(slo.period().toMillis() / 86_400_000.0)
                + ")", resolved, sloth);
        metaRecording(metaRules, "slo:current_burn_rate:ratio", "slo:sli_error:ratio_rate" + PrometheusRules.range(shortest)
                + selector + "\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio" + selector + "\n",
                resolved, sloth);
        metaRecording(metaRules, "slo:period_burn_rate:ratio", "slo:sli_error:ratio_rate" + period + selector
                + "\n/ on(sloth_id, sloth_slo, sloth_service) group_left\nslo:error_budget:ratio" + selector + "\n",
                resolved, sloth);
        metaRecording(metaRules, "slo:period_error_budget_remaining:ratio", "1 - slo:period_burn_rate:ratio" + selector,
                resolved, sloth);
        ObjectNode info = metaRecording(metaRules, "sloth_slo_info", "vector(1)", resolved, sloth);
        ((ObjectNode) info.get("labels")).put("sloth_spec", "prometheus/v1").put("sloth_mode", "homeostat-rules-export");

        List<ObjectNode> groups = new ArrayList<>(List.of(recordings, meta));
        if (!slo.burnRateAlerting()) return groups;
        ObjectNode alerts = f.objectNode();
        alerts.put("name", "homeostat-slo-alerts-" + sloth.get("sloth_id"));
        ArrayNode alertRules = alerts.putArray("rules");
        String budget = RuleSemantics.number(1 - slo.objective());
        for (BurnTiers.Tier tier : tiers) {
            List<String> pairs = new ArrayList<>();
            for (SloSpec.BurnWindow pair : tier.windows()) {
                String factor = RuleSemantics.number(pair.burnRate());
                String condition = "(\n    (slo:sli_error:ratio_rate" + PrometheusRules.range(pair.shortWindow()) + selector + " > ("
                        + factor + " * " + budget + "))\n    and ignoring (sloth_window)\n    (slo:sli_error:ratio_rate"
                        + PrometheusRules.range(pair.longWindow()) + selector + " > (" + factor + " * " + budget + "))";
                if (slo.minEvents() > 1) {
                    condition += "\n    and on ()\n    (" + sli.events().replace(WINDOW, PrometheusRules.range(pair.shortWindow()))
                            + " >= " + slo.minEvents() + ")";
                }
                pairs.add(condition + "\n)");
            }
            ObjectNode rule = alertRules.addObject();
            rule.put("alert", ALERT);
            rule.put("expr", String.join("\nor ignoring (sloth_window)\n", pairs) + "\n");
            ObjectNode labels = rule.putObject("labels");
            labels.put("severity", tier.severity());
            labels.put("tier", tier.name());
            labels.put("sloth_severity", tier.name());
            common(labels, resolved, sloth);
            ObjectNode annotations = rule.putObject("annotations");
            annotations.put("summary", t.requirement() + ": the error budget of " + RuleSemantics.condition(resolved) + " ("
                    + RuleSemantics.number(slo.objective() * 100) + "% over " + period + ") burns too fast (" + tier.name() + ")");
            annotations.put("title", "(" + tier.name() + ") {{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget "
                    + "burn rate is too fast.");
            if (t.description() != null) annotations.put("description", t.description());
            new TreeMap<>(t.annotations()).forEach(annotations::put);
        }
        groups.add(alerts);
        return groups;
    }

    private static ObjectNode metaRecording(ArrayNode rules, String record, String expr, ResolvedTarget resolved,
                                            Map<String, String> sloth) {
        ObjectNode rule = rules.addObject();
        rule.put("record", record);
        rule.put("expr", expr.endsWith("\n") ? expr : expr + "\n");
        common(rule.putObject("labels"), resolved, sloth);
        return rule;
    }

    /** Sloth's labels, then Homeostat's (as its alerts carry them), then the target's own. */
    private static void common(ObjectNode labels, ResolvedTarget resolved, Map<String, String> sloth) {
        sloth.forEach(labels::put);
        PrometheusRules.commonLabels(labels, resolved);
    }

    static String selector(Map<String, String> sloth) {
        List<String> matchers = new ArrayList<>();
        sloth.forEach((k, v) -> matchers.add(k + "=\"" + PrometheusRules.escape(v) + "\""));
        return "{" + String.join(", ", matchers) + "}";
    }

    // ------------------------------------------------------------------------------------------------ Sloth spec

    /** The spec file and what it cannot say (also in its comments). */
    record Spec(String yaml, List<String> notes) {}

    /**
     * The SLO targets as Sloth specs ({@code version: prometheus/v1}), one YAML document per period (Sloth takes the
     * period from its command line, {@code --default-slo-period}); plain targets are left out (noted).
     */
    static Spec slothSpec(TargetFiles.Loaded loaded, String sourceName, PrometheusNames.Style names) throws ConfigException {
        Map<Duration, List<ResolvedTarget>> byPeriod = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (ResolvedTarget target : loaded.targets()) {
            if (!target.target().isSlo()) {
                notes.add(target.id() + ": not an SLO (no objective or slo), left out of the Sloth spec");
                continue;
            }
            byPeriod.computeIfAbsent(target.target().slo().period(), p -> new ArrayList<>()).add(target);
        }
        StringBuilder out = new StringBuilder();
        JsonNodeFactory f = JsonNodeFactory.instance;
        for (Map.Entry<Duration, List<ResolvedTarget>> period : byPeriod.entrySet()) {
            String days = Durations.format(period.getKey());
            ObjectNode spec = f.objectNode();
            spec.put("version", "prometheus/v1");
            spec.put("service", service(loaded.config()));
            ArrayNode slos = spec.putArray("slos");
            List<String> comments = new ArrayList<>();
            for (ResolvedTarget resolved : period.getValue()) {
                Target t = resolved.target();
                Sli sli;
                try {
                    sli = sli(resolved, names);
                } catch (RuleSemantics.Inexpressible e) {
                    problems.add(RuleSemantics.problem(resolved, "Sloth", e));
                    continue;
                }
                sli.warnings().forEach(w -> comments.add("Note: " + w));
                ObjectNode slo = slos.addObject();
                slo.put("name", sloName(resolved));
                slo.put("objective", new java.math.BigDecimal(RuleSemantics.number(t.slo().objective() * 100)));
                slo.put("description", t.description() != null ? t.description() : t.requirement() + ": "
                        + RuleSemantics.condition(resolved));
                ObjectNode labels = slo.putObject("labels");
                labels.put("requirement", t.requirement());
                labels.put("target_id", resolved.id());
                new TreeMap<>(t.labels()).forEach(labels::put);
                ObjectNode events = slo.putObject("sli").putObject("events");
                events.put("error_query", sli.errorQuery());
                events.put("total_query", sli.totalQuery());
                ObjectNode alerting = slo.putObject("alerting");
                alerting.put("name", ALERT);
                ObjectNode alertLabels = alerting.putObject("labels");
                alertLabels.put("requirement", t.requirement());
                alertLabels.put("target_id", resolved.id());
                ObjectNode annotations = alerting.putObject("annotations");
                annotations.put("summary", t.requirement() + ": the error budget of " + RuleSemantics.condition(resolved)
                        + " burns too fast");
                new TreeMap<>(t.annotations()).forEach(annotations::put);
                List<BurnTiers.Tier> tiers = BurnTiers.of(t.slo());
                for (String tier : List.of(SloSpec.PAGE, SloSpec.TICKET)) {
                    ObjectNode alert = alerting.putObject(tier + "_alert");
                    boolean has = tiers.stream().anyMatch(x -> x.name().equals(tier));
                    if (!has || !t.slo().burnRateAlerting()) alert.put("disable", true);
                    else alert.putObject("labels").put("severity", SloSpec.severity(tier)).put("tier", tier);
                }
                if (t.slo().tiers() != null) {
                    comments.add("Note: " + resolved.id() + " has its own tiers; Sloth uses its period's windows "
                            + "(--slo-period-windows-path for others): `rules export --format prometheus` has them");
                }
                if (t.slo().minEvents() > 1) {
                    comments.add("Note: " + resolved.id() + ": Sloth has no minimum of events (slo.min_events "
                            + t.slo().minEvents() + "): its rules also alert on low traffic; `rules export --format "
                            + "prometheus` guards each pair");
                }
            }
            if (slos.isEmpty()) continue;
            if (out.length() > 0) out.append("---\n");
            out.append("# Sloth spec (prometheus/v1) of the SLO targets of ").append(sourceName).append(" with period ")
                    .append(days).append(".\n");
            out.append("# Generated by `homeostat rules export --format sloth`: edit the source, not this file.\n");
            out.append("# sloth generate -i <this file> --default-slo-period=").append(days);
            boolean sloth = days.equals("30d") || days.equals("28d");
            out.append(sloth ? "\n" : " --slo-period-windows-path=<windows for " + days + "> (Sloth knows 30d and 28d)\n");
            if (!days.equals("30d")) {
                comments.add("Note: Sloth keeps the Workbook's windows for other periods and changes the share of budget "
                        + "(its 28d catalogue, its 7d example); Homeostat scales the windows by period / 30d as Pyrra does");
            }
            for (String comment : comments) out.append("# ").append(comment).append('\n');
            notes.addAll(comments);
            out.append(RulesYaml.write(spec));
        }
        RuleSemantics.throwIfAny(problems);
        return new Spec(out.toString(), List.copyOf(notes));
    }
}

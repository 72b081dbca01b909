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
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SLO targets as Datadog objects: a metric-based SLO ({@code POST /api/v1/slo}: good and total events as count
 * queries, the objective as a percentage over the period) and, for burn-rate alerting, one burn-rate monitor
 * ({@code POST /api/v1/monitor}, type {@code slo alert}) per window pair of each tier:
 * {@code burn_rate("<slo id>").over("30d").long_window("1h").short_window("5m") > 14.4}, priority 1 for a page and 3
 * for a ticket. A monitor names its SLO by id, which Datadog gives when the SLO is created: the JSON says
 * {@link #sloIdPlaceholder}, the Terraform the SLO resource's {@code id}.
 *
 * <p>A distribution's share counts its good observations with a threshold query ({@code count(v: v<500):...}, which
 * needs percentiles enabled on the distribution). What Datadog cannot do as Homeostat does fails the export, naming
 * the target: periods other than 7d, 30d and 90d (Datadog's SLO timeframes), gauges as ratio operands, a metric
 * whose type is not declared. What it does differently is noted: it has no minimum of events per window.
 */
final class DatadogSlos {
    static final Set<String> TIMEFRAMES = Set.of("7d", "30d", "90d");

    private DatadogSlos() {}

    /**
     * One SLO target's Datadog objects.
     *
     * @param monitors one per window pair of each tier (none for {@code alerting: window})
     */
    record Slo(ResolvedTarget target, ObjectNode api, List<Monitor> monitors, List<String> notes) {}

    /** A burn-rate monitor; its query names the SLO with {@link #sloIdPlaceholder}. */
    record Monitor(String tier, SloSpec.BurnWindow window, ObjectNode api) {}

    /** What stands for an SLO's id in a monitor's query until Datadog has created the SLO. */
    static String sloIdPlaceholder(ResolvedTarget target) {
        return "${slo_id:" + target.id() + "}";
    }

    static Slo slo(ResolvedTarget resolved, ObservabilityConfig config, String sourceName) throws RuleSemantics.Inexpressible {
        Target t = resolved.target();
        SloSpec spec = t.slo();
        String timeframe = Durations.format(spec.period());
        if (!TIMEFRAMES.contains(timeframe)) {
            throw new RuleSemantics.Inexpressible("the SLO's period " + timeframe + " is not a Datadog SLO timeframe (7d, 30d, "
                    + "90d)");
        }
        String[] counts = counts(resolved);
        List<String> notes = new ArrayList<>();
        if (t.ratio() == null && resolved.resolution().distribution()) {
            notes.add("the SLO counts good observations with a threshold query (count(v: v" + t.operator().symbol()
                    + RuleSemantics.number(t.target()) + ")): enable percentiles on the distribution " + t.metric());
        }
        if (spec.minEvents() > 1) {
            notes.add("slo.min_events " + spec.minEvents() + " is not carried: Datadog's burn-rate alerts have no minimum of "
                    + "events per window and also alert on low traffic");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode api = f.objectNode();
        String name = t.requirement() + ": " + (t.description() != null ? t.description() : RuleSemantics.condition(resolved));
        api.put("name", name);
        api.put("type", "metric");
        api.put("description", "Homeostat SLO " + resolved.id() + ": " + RuleSemantics.condition(resolved) + ", "
                + RuleSemantics.number(spec.objective() * 100) + "% of events over " + timeframe + " (" + sourceName + ")");
        ObjectNode query = api.putObject("query");
        query.put("numerator", counts[0]);
        query.put("denominator", counts[1]);
        ArrayNode thresholds = api.putArray("thresholds");
        ObjectNode threshold = thresholds.addObject();
        threshold.put("timeframe", timeframe);
        threshold.put("target", new java.math.BigDecimal(RuleSemantics.number(spec.objective() * 100)));
        ArrayNode tags = api.putArray("tags");
        tags(resolved, config).forEach(tags::add);

        List<Monitor> monitors = new ArrayList<>();
        if (spec.burnRateAlerting()) {
            for (BurnTiers.Tier tier : BurnTiers.of(spec)) {
                for (SloSpec.BurnWindow w : tier.windows()) {
                    monitors.add(new Monitor(tier.name(), w, monitor(resolved, config, tier, w, timeframe, name)));
                }
            }
        }
        return new Slo(resolved, api, monitors, List.copyOf(notes));
    }

    private static ObjectNode monitor(ResolvedTarget resolved, ObservabilityConfig config, BurnTiers.Tier tier,
                                      SloSpec.BurnWindow w, String timeframe, String sloName) {
        Target t = resolved.target();
        String rate = RuleSemantics.number(w.burnRate());
        ObjectNode api = JsonNodeFactory.instance.objectNode();
        api.put("name", sloName + " burns its error budget " + rate + "x too fast (" + tier.name() + ", "
                + window(w.longWindow()) + "/" + window(w.shortWindow()) + ")");
        api.put("type", "slo alert");
        api.put("query", query(sloIdPlaceholder(resolved), timeframe, w));
        StringBuilder message = new StringBuilder();
        message.append("## ").append(t.description() != null ? t.description() : t.requirement() + " SLO").append("\n\n");
        message.append("**Requirement**: ").append(t.requirement()).append('\n');
        if (t.constraint() != null) message.append("**Constraint**: ").append(t.constraint()).append('\n');
        if (!t.businessRules().isEmpty()) message.append("**Business rules**: ").append(String.join(", ", t.businessRules())).append('\n');
        message.append("\nThe error budget of ").append(RuleSemantics.condition(resolved)).append(" (")
                .append(RuleSemantics.number(t.slo().objective() * 100)).append("% over ").append(timeframe)
                .append(") burns faster than ").append(rate).append("x in both the ").append(window(w.longWindow()))
                .append(" and the ").append(window(w.shortWindow())).append(" window: ").append(tier.name()).append(".\n\n");
        message.append("**Traceability**:\n- Requirement: ").append(t.requirement()).append("\n- Target: ").append(resolved.id()).append('\n');
        api.put("message", message.toString());
        ArrayNode tags = api.putArray("tags");
        tags(resolved, config).forEach(tags::add);
        tags.add("tier:" + tier.name());
        api.put("priority", SloSpec.PAGE.equals(tier.name()) ? 1 : 3);
        ObjectNode options = api.putObject("options");
        options.put("notify_no_data", false);
        ObjectNode thresholds = options.putObject("thresholds");
        thresholds.put("critical", new java.math.BigDecimal(rate));
        return api;
    }

    /** {@code burn_rate("<id>").over("30d").long_window("1h").short_window("5m") > 14.4}. */
    static String query(String sloId, String timeframe, SloSpec.BurnWindow w) {
        return "burn_rate(\"" + sloId + "\").over(\"" + timeframe + "\").long_window(\"" + window(w.longWindow())
                + "\").short_window(\"" + window(w.shortWindow()) + "\") > " + RuleSemantics.number(w.burnRate());
    }

    /** Datadog's windows: whole minutes, hours or days. */
    static String window(Duration d) {
        return DatadogMonitors.evaluationWindow(d);
    }

    /** Good and total events as Datadog count queries (the SLO's numerator and denominator). */
    static String[] counts(ResolvedTarget resolved) throws RuleSemantics.Inexpressible {
        Target t = resolved.target();
        boolean upper = t.operator() == Operator.LT || t.operator() == Operator.LTE;
        if (t.ratio() == null && SpanSli.of(t.metric()).isPresent()) {
            if (SpanSli.of(t.metric()).get() == SpanSli.DURATION_MS) {
                return threshold(t, DatadogMonitors.SPAN_DURATION, "{requirement:" + t.requirement() + "}");
            }
            String calls = DatadogMonitors.SPAN_CALLS;
            return new String[] {"sum:" + calls + "{requirement:" + t.requirement() + ",!" + DatadogMonitors.ERROR_TAG
                    + "}.as_count()", "sum:" + calls + "{requirement:" + t.requirement() + "}.as_count()"};
        }
        if (t.ratio() == null) {
            MetricDeclaration declaration = resolved.resolution().declaration();
            if (declaration == null || declaration.type().shape() != MetricType.Shape.DISTRIBUTION
                    || declaration.type() == MetricType.SUMMARY) {
                throw new RuleSemantics.Inexpressible("an SLO on " + t.metric() + " counts the observations that meet "
                        + t.operator().code() + " " + RuleSemantics.number(t.target()) + ": declare it as a histogram in "
                        + "telemetry.metrics (a Datadog distribution), or write it as a ratio of counters");
            }
            return threshold(t, t.metric(), DatadogMonitors.scope(t, t.metricRef()));
        }
        MetricResolution.RatioOperands operands = resolved.resolution().ratio();
        if (operands == null || operands.good() == null || operands.total() == null) {
            throw new RuleSemantics.Inexpressible("cannot export the SLO '" + t.metric() + "': the type of its ratio's "
                    + "operands is unknown; declare them in telemetry.metrics of config/observability.yml");
        }
        String numerator = count(t, t.ratio().good(), operands.good());
        String total = count(t, t.ratio().total(), operands.total());
        return new String[] {upper ? total + " - " + numerator : numerator, total};
    }

    private static String count(Target t, MetricRef ref, MetricDeclaration declaration) throws RuleSemantics.Inexpressible {
        String scope = DatadogMonitors.scope(t, ref);
        if (declaration.type().shape() == MetricType.Shape.MONOTONIC_SUM) return "sum:" + ref.metric() + scope + ".as_count()";
        if (declaration.type() == MetricType.SUMMARY) return "sum:" + ref.metric() + ".count" + scope + ".as_count()";
        throw new RuleSemantics.Inexpressible("ratio operand " + ref.metric() + " is a " + declaration.type().code()
                + ": a Datadog metric SLO counts events with count queries (counters, .as_count())");
    }

    /**
     * A distribution's observations that meet the bound, with a threshold query ({@code count(v: v<500):...}; needs
     * percentiles enabled on the distribution), and all of them.
     */
    private static String[] threshold(Target t, String metric, String scope) {
        return new String[] {"count(v: v" + t.operator().symbol() + RuleSemantics.number(t.target()) + "):" + metric + scope
                + ".as_count()", "count:" + metric + scope + ".as_count()"};
    }

    /** The monitors' tags, and the target's id (before managed_by). */
    private static List<String> tags(ResolvedTarget resolved, ObservabilityConfig config) {
        List<String> tags = DatadogMonitors.tags(resolved, config);
        tags.add(tags.size() - 1, "homeostat_target:" + resolved.id().toLowerCase(Locale.ROOT));
        return tags;
    }
}

package io.homeostat.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.Durations;
import io.homeostat.model.Json;
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
 * Datadog compares both thresholds with the query's one comparator: the alert level's, so that the monitor
 * warns exactly where Homeostat's alert starts ({@code lt 800} at 800 itself); where the critical comparison
 * is strict and the alert level's is not, a value exactly at the critical threshold is critical here and a
 * warning in Homeostat. What a monitor cannot carry ({@code for}, {@code min_events}, a firing alert held
 * until the target itself is met) is named in each monitor's notes ({@link Monitor#notes()}): comments in
 * the YAML and Terraform, standard error next to the API's JSON.
 *
 * <p>Three renderings of one monitor: the seed's alert YAML ({@link #export}), the monitor API's JSON
 * ({@link #exportApi}, validated in the tests against the Monitor schema of Datadog's OpenAPI specification)
 * and Terraform {@code datadog_monitor} resources ({@link #exportTerraform}).
 */
// Implements: REQ-RUNTIME-002 (deviation alerts with REQ-* context, the seed's phase 5, for other monitoring systems)
public final class DatadogMonitors {
    static final String SPAN_CALLS = "traces.span.metrics.calls";
    static final String SPAN_DURATION = "traces.span.metrics.duration";
    static final String ERROR_TAG = "status.code:STATUS_CODE_ERROR";
    static final int DEFAULT_PRIORITY = 1;

    private DatadogMonitors() {}

    /**
     * One target's monitor: the definition as Datadog's monitor API takes it ({@code options.notify_no_data},
     * {@code options.thresholds}, {@code priority}, {@code tags}), and what it cannot carry of Homeostat's judgement.
     *
     * @param notes one line each: where the monitor judges differently from Homeostat, and why
     */
    public record Monitor(ResolvedTarget target, ObjectNode api, List<String> notes) {}

    /** The monitors of every target, in order; fails naming every target Datadog cannot judge as Homeostat does. */
    public static List<Monitor> monitors(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        List<Monitor> monitors = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (ResolvedTarget target : loaded.targets()) {
            // An SLO alerted on by burn rate has burn-rate monitors on its Datadog SLO instead ({@link DatadogSlos}).
            if (target.target().burnRateAlerting()) continue;
            try {
                monitors.add(monitor(target, loaded.config(), sourceName));
            } catch (RuleSemantics.Inexpressible e) {
                problems.add(RuleSemantics.problem(target, "Datadog", e));
            }
        }
        slos(loaded, sourceName, problems);
        RuleSemantics.throwIfAny(problems);
        return monitors;
    }

    /** The Datadog SLO (and burn-rate monitors) of every SLO target; fails naming every one Datadog cannot judge. */
    static List<DatadogSlos.Slo> slos(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<DatadogSlos.Slo> slos = slos(loaded, sourceName, problems);
        RuleSemantics.throwIfAny(problems);
        return slos;
    }

    private static List<DatadogSlos.Slo> slos(TargetFiles.Loaded loaded, String sourceName, List<ConfigProblem> problems) {
        List<DatadogSlos.Slo> slos = new ArrayList<>();
        for (ResolvedTarget target : loaded.targets()) {
            if (!target.target().isSlo()) continue;
            try {
                slos.add(DatadogSlos.slo(target, loaded.config(), sourceName));
            } catch (RuleSemantics.Inexpressible e) {
                problems.add(RuleSemantics.problem(target, "Datadog", e));
            }
        }
        return slos;
    }

    /** One monitor per target in the seed's alert YAML, as {@code file name → YAML}; the names are the seed's {@code <metric>_alert.yml}. */
    public static Map<String, String> export(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        Map<String, String> files = new LinkedHashMap<>();
        for (Monitor monitor : monitors(loaded, sourceName)) files.put(fileName(monitor.target(), files), seedYaml(monitor, sourceName));
        for (DatadogSlos.Slo slo : slos(loaded, sourceName)) {
            String base = slo.target().resolution().written().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
            if (files.containsKey(base + "_slo.yml")) base = slo.target().id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
            StringBuilder header = new StringBuilder("# SLO for: ").append(slo.target().target().requirement()).append(" (")
                    .append(slo.target().id()).append("), POST /api/v1/slo\n# Generated by `homeostat rules export --format datadog` from ")
                    .append(sourceName).append(": edit the source, not this file.\n");
            slo.notes().forEach(note -> header.append("# Note: ").append(note).append('\n'));
            files.put(base + "_slo.yml", header + "\n" + RulesYaml.write(slo.api()));
            for (DatadogSlos.Monitor monitor : slo.monitors()) {
                String name = base + "_burn_rate_" + monitor.tier() + "_" + DatadogSlos.window(monitor.window().longWindow()) + ".yml";
                files.put(name, "# Burn-rate monitor of the SLO " + slo.target().id() + " (" + monitor.tier() + "), POST "
                        + "/api/v1/monitor\n# Note: replace " + DatadogSlos.sloIdPlaceholder(slo.target())
                        + " with the id Datadog gives the SLO (" + base + "_slo.yml)\n\n" + RulesYaml.write(monitor.api()));
            }
        }
        return files;
    }

    /** All monitors as one YAML stream ({@code ---} between documents). */
    public static String exportStream(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        return String.join("---\n", export(loaded, sourceName).values());
    }

    /** A JSON array of monitors, each exactly the body of {@code POST /api/v1/monitor}. */
    public static String exportApi(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Monitor monitor : monitors(loaded, sourceName)) array.add(monitor.api());
        for (DatadogSlos.Slo slo : slos(loaded, sourceName)) slo.monitors().forEach(m -> array.add(m.api()));
        return json(array);
    }

    /** A JSON array of the SLO targets' SLOs, each exactly the body of {@code POST /api/v1/slo}. */
    public static String exportSloApi(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (DatadogSlos.Slo slo : slos(loaded, sourceName)) array.add(slo.api());
        return json(array);
    }

    private static String json(ArrayNode array) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(array) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write monitors as JSON", e);
        }
    }

    /** Terraform: one {@code datadog_monitor} resource per target (the Datadog provider's schema). */
    public static String exportTerraform(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        StringBuilder out = new StringBuilder("# Datadog monitors for the homeostasis targets of ").append(sourceName).append(".\n")
                .append("# Generated by `homeostat rules export --format datadog-terraform`: edit the source, not this file.\n")
                .append("# Needs the DataDog/datadog provider.\n");
        List<String> names = new ArrayList<>();
        for (Monitor monitor : monitors(loaded, sourceName)) out.append('\n').append(terraform(monitor, names));
        for (DatadogSlos.Slo slo : slos(loaded, sourceName)) out.append('\n').append(terraform(slo, names));
        return out.toString();
    }

    /** A {@code datadog_service_level_objective} and its burn-rate {@code datadog_monitor}s, which name it by its id. */
    private static String terraform(DatadogSlos.Slo slo, List<String> taken) {
        ObjectNode api = slo.api();
        String name = resourceName(slo.target(), "slo", taken);
        StringBuilder hcl = new StringBuilder();
        for (String note : slo.notes()) hcl.append("# Note: ").append(note).append('\n');
        hcl.append("resource \"datadog_service_level_objective\" \"").append(name).append("\" {\n");
        hcl.append("  name        = ").append(hclString(api.get("name").asText())).append('\n');
        hcl.append("  type        = \"metric\"\n");
        hcl.append("  description = ").append(hclString(api.get("description").asText())).append('\n');
        hcl.append("  query {\n    numerator   = ").append(hclString(api.get("query").get("numerator").asText()))
                .append("\n    denominator = ").append(hclString(api.get("query").get("denominator").asText())).append("\n  }\n");
        JsonNode threshold = api.get("thresholds").get(0);
        hcl.append("  thresholds {\n    timeframe = \"").append(threshold.get("timeframe").asText()).append("\"\n    target    = ")
                .append(threshold.get("target").asText()).append("\n  }\n");
        List<String> tags = new ArrayList<>();
        api.get("tags").forEach(tag -> tags.add(hclString(tag.asText())));
        hcl.append("  tags        = [").append(String.join(", ", tags)).append("]\n}\n");
        for (DatadogSlos.Monitor monitor : slo.monitors()) {
            ObjectNode m = monitor.api();
            String monitorName = resourceName(slo.target(), "burn_rate_" + monitor.tier() + "_"
                    + DatadogSlos.window(monitor.window().longWindow()), taken);
            // The query names the SLO resource's id: an interpolation, so written without hclString's escaping.
            String query = DatadogSlos.query("${datadog_service_level_objective." + name + ".id}",
                    threshold.get("timeframe").asText(), monitor.window()).replace("\"", "\\\"");
            hcl.append("\nresource \"datadog_monitor\" \"").append(monitorName).append("\" {\n");
            hcl.append("  name     = ").append(hclString(m.get("name").asText())).append('\n');
            hcl.append("  type     = \"slo alert\"\n");
            hcl.append("  query    = \"").append(query).append("\"\n");
            hcl.append("  priority = \"").append(m.get("priority").asInt()).append("\"\n");
            List<String> monitorTags = new ArrayList<>();
            m.get("tags").forEach(tag -> monitorTags.add(hclString(tag.asText())));
            hcl.append("  tags     = [").append(String.join(", ", monitorTags)).append("]\n");
            hcl.append("  message  = <<-EOT\n");
            for (String line : m.get("message").asText().split("\n", -1)) {
                if (!line.isEmpty()) hcl.append("    ").append(hclTemplate(line));
                hcl.append('\n');
            }
            hcl.setLength(hcl.length() - 1);
            hcl.append("  EOT\n\n  monitor_thresholds {\n    critical = ").append(m.get("options").get("thresholds").get("critical").asText())
                    .append("\n  }\n}\n");
        }
        return hcl.toString();
    }

    private static String resourceName(ResolvedTarget target, String suffix, List<String> taken) {
        String base = (target.id() + "_" + suffix).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) base = "target_" + base;
        String name = base;
        for (int i = 2; taken.contains(name); i++) name = base + "_" + i;
        taken.add(name);
        return name;
    }

    /** Every monitor's notes as {@code <target id>: <note>} lines (for standard error, next to JSON). */
    public static List<String> notes(TargetFiles.Loaded loaded, String sourceName) throws ConfigException {
        List<String> lines = new ArrayList<>();
        for (Monitor monitor : monitors(loaded, sourceName)) {
            monitor.notes().forEach(note -> lines.add(monitor.target().id() + ": " + note));
        }
        for (DatadogSlos.Slo slo : slos(loaded, sourceName)) {
            slo.notes().forEach(note -> lines.add(slo.target().id() + ": " + note));
            if (!slo.monitors().isEmpty()) {
                lines.add(slo.target().id() + ": its burn-rate monitors name the SLO as " + DatadogSlos.sloIdPlaceholder(slo.target())
                        + ": create the SLO first (--format datadog-slo-api), then put the id Datadog returns in their query");
            }
        }
        return lines;
    }

    private static String fileName(ResolvedTarget target, Map<String, String> taken) {
        String base = target.resolution().written().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_") + "_alert";
        String name = base + ".yml";
        if (taken.containsKey(name)) {
            name = target.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_") + "_alert.yml";
        }
        return name;
    }

    private static Monitor monitor(ResolvedTarget resolved, ObservabilityConfig config, String sourceName)
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
        // Datadog compares both thresholds with the query's one comparator: that of the alert level, where
        // Homeostat starts alerting (lt 800 alerts at 800 itself: >=), so the warning is exact.
        RuleSemantics.Comparison alerting = levels.warning() != null ? levels.warning() : levels.critical();
        List<String> notes = new ArrayList<>();
        if (levels.warning() != null && !levels.warning().comparator().equals(levels.critical().comparator())) {
            notes.add("Datadog compares both thresholds with " + alerting.comparator() + ": a value of exactly "
                    + RuleSemantics.number(levels.critical().threshold()) + " is critical here, a warning in Homeostat ("
                    + "critical beyond it: " + levels.critical().comparator() + " " + RuleSemantics.number(levels.critical().threshold()) + ")");
        }
        if (!t.forDuration().isZero()) {
            notes.add("for " + Durations.format(t.forDuration()) + " is not carried: a metric monitor has no pending period and "
                    + "alerts at the first evaluation beyond the threshold (Homeostat waits " + Durations.format(t.forDuration()) + ")");
        }
        if (t.minEvents() > 1) {
            notes.add("min_events " + t.minEvents() + " is not carried: a metric monitor cannot require a number of events and "
                    + "also judges windows with fewer (Homeostat gives no verdict on them)");
        }
        RuleSemantics.Band band = RuleSemantics.deviatingBand(resolved);
        // A firing alert holds until the target itself is met: with one severity, a critical recovery threshold at the
        // target says just that; with two, Datadog's would also keep a critical state through the warning band.
        boolean recoverAtTarget = band != null && levels.warning() == null && !levels.critical().distance();
        if (recoverAtTarget) {
            notes.add("critical_recovery " + RuleSemantics.number(t.target()) + ": recovers once the target holds, as "
                    + "Homeostat resolves; Datadog does not document whether a value of exactly "
                    + RuleSemantics.number(t.target()) + " recovers");
        } else if (band != null) {
            notes.add("recovers once the value is back within the alert level " + RuleSemantics.number(t.alertThreshold())
                    + "; Homeostat resolves only when the target itself holds (" + t.operator().code() + " "
                    + RuleSemantics.number(t.target()) + "). Recovery thresholds are not set: Datadog's would also hold "
                    + "a critical state through the warning band, where Homeostat turns the alert to warning");
        }
        if (t.window().toMillis() % 60_000 != 0) {
            notes.add("window " + Durations.format(t.window()) + " becomes last_" + evaluationWindow(t.window())
                    + ": monitors evaluate whole minutes");
        }

        ObjectNode api = JsonNodeFactory.instance.objectNode();
        api.put("name", t.description() != null ? t.requirement() + ": " + t.description()
                : t.requirement() + ": " + RuleSemantics.condition(resolved));
        api.put("type", "metric alert");
        String value = levels.critical().distance()
                ? "abs(" + query.expression() + " - " + RuleSemantics.number(t.target()) + ")" : query.expression();
        api.put("query", query.timeAggregation() + ":" + value + " " + alerting.comparator() + " "
                + RuleSemantics.number(levels.critical().threshold()));
        api.put("message", message(resolved, sourceName));
        ArrayNode tags = api.putArray("tags");
        tags(resolved, config).forEach(tags::add);
        api.put("priority", priority(t));
        ObjectNode options = api.putObject("options");
        options.put("notify_no_data", t.notifyNoData());
        if (t.notifyNoData()) options.put("no_data_timeframe", Math.max(2, minutes(t.noDataAfter())));
        // Homeostat judges every window that has events, full or not.
        options.put("require_full_window", false);
        ObjectNode thresholds = options.putObject("thresholds");
        putNumber(thresholds, "critical", levels.critical().threshold());
        if (levels.warning() != null) putNumber(thresholds, "warning", levels.warning().threshold());
        if (recoverAtTarget) putNumber(thresholds, "critical_recovery", t.target());
        return new Monitor(resolved, api, List.copyOf(notes));
    }

    /** The seed's alert YAML: {@code notify_no_data} at the top as the seed writes it, notes as comments. */
    private static String seedYaml(Monitor monitor, String sourceName) {
        ResolvedTarget resolved = monitor.target();
        Target t = resolved.target();
        ObjectNode api = monitor.api();
        ObjectNode yaml = JsonNodeFactory.instance.objectNode();
        yaml.set("name", api.get("name"));
        yaml.set("type", api.get("type"));
        yaml.put("query", api.get("query").asText() + "\n");
        yaml.set("message", api.get("message"));
        yaml.set("tags", api.get("tags"));
        yaml.set("priority", api.get("priority"));
        yaml.put("notify_no_data", t.notifyNoData());
        ObjectNode options = yaml.putObject("options");
        options.set("thresholds", api.get("options").get("thresholds"));
        if (t.notifyNoData()) options.set("no_data_timeframe", api.get("options").get("no_data_timeframe"));

        StringBuilder header = new StringBuilder();
        header.append("# Alert for: ").append(t.requirement()).append(" (").append(resolved.resolution().written()).append(")\n");
        if (t.constraint() != null) header.append("# Constraint: ").append(t.constraint()).append('\n');
        header.append("# Generated by `homeostat rules export --format datadog` from ").append(sourceName)
                .append(": edit the source, not this file.\n");
        for (String note : monitor.notes()) header.append("# Note: ").append(note).append('\n');
        return header.append('\n') + RulesYaml.write(yaml);
    }

    /** A {@code datadog_monitor} resource; its name from the target id, unique in {@code taken}. */
    private static String terraform(Monitor monitor, List<String> taken) {
        ObjectNode api = monitor.api();
        ObjectNode options = (ObjectNode) api.get("options");
        String base = monitor.target().id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) base = "target_" + base;
        String name = base;
        for (int i = 2; taken.contains(name); i++) name = base + "_" + i;
        taken.add(name);
        StringBuilder hcl = new StringBuilder();
        for (String note : monitor.notes()) hcl.append("# Note: ").append(note).append('\n');
        hcl.append("resource \"datadog_monitor\" \"").append(name).append("\" {\n");
        hcl.append("  name     = ").append(hclString(api.get("name").asText())).append('\n');
        hcl.append("  type     = ").append(hclString(api.get("type").asText())).append('\n');
        hcl.append("  query    = ").append(hclString(api.get("query").asText())).append('\n');
        hcl.append("  priority = \"").append(api.get("priority").asInt()).append("\"\n");
        List<String> tags = new ArrayList<>();
        api.get("tags").forEach(tag -> tags.add(hclString(tag.asText())));
        hcl.append("  tags     = [").append(String.join(", ", tags)).append("]\n");
        hcl.append("  message  = <<-EOT\n");
        for (String line : api.get("message").asText().split("\n", -1)) {
            if (!line.isEmpty()) hcl.append("    ").append(hclTemplate(line));
            hcl.append('\n');
        }
        hcl.setLength(hcl.length() - 1);
        hcl.append("  EOT\n\n");
        hcl.append("  notify_no_data      = ").append(options.get("notify_no_data").asBoolean()).append('\n');
        if (options.has("no_data_timeframe")) {
            hcl.append("  no_data_timeframe   = ").append(options.get("no_data_timeframe").asInt()).append('\n');
        }
        hcl.append("  require_full_window = ").append(options.get("require_full_window").asBoolean()).append("\n\n");
        hcl.append("  monitor_thresholds {\n");
        JsonNode thresholds = options.get("thresholds");
        hcl.append("    critical = ").append(thresholds.get("critical").asText()).append('\n');
        if (thresholds.has("warning")) hcl.append("    warning  = ").append(thresholds.get("warning").asText()).append('\n');
        if (thresholds.has("critical_recovery")) {
            hcl.append("    critical_recovery = ").append(thresholds.get("critical_recovery").asText()).append('\n');
        }
        hcl.append("  }\n}\n");
        return hcl.toString();
    }

    /** A quoted HCL string: quotes, backslashes and newlines escaped, {@code ${} and {@code %{} kept literal. */
    static String hclString(String text) {
        return "\"" + hclTemplate(text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")) + "\"";
    }

    /** Literal text in an HCL template (a heredoc line): {@code ${} and {@code %{} doubled so they are not interpolated. */
    static String hclTemplate(String text) {
        return text.replace("${", "$${").replace("%{", "%%{");
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

    /** A target's tags (a list the caller may add to). */
    static List<String> tags(ResolvedTarget resolved, ObservabilityConfig config) {
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

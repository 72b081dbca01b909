package io.homeostat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.homeostat.model.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code homeostat status}: the current state of every target, and the telemetry that carried no
 * requirement, from the compacted status topic (records as in {@code schemas/status.schema.json}).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the current state of every target and the unattributed telemetry per service (the status topic).")
public final class StatusCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Spec CommandSpec spec;

    @Option(names = "--status-topic", defaultValue = "homeostasis.status", description = "Status topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        kafka.checkReachable();
        TopicReader.Snapshot snapshot = TopicReader.readToEnd(kafka.clientProperties(), topic);
        if (!snapshot.exists()) {
            throw new CommandFailure("the topic " + topic + " does not exist at " + kafka.bootstrapServers()
                    + " (`homeostat run` creates it; or check --status-topic)");
        }
        List<JsonNode> targets = new ArrayList<>();
        List<JsonNode> unattributed = new ArrayList<>();
        for (Map.Entry<String, byte[]> record : new java.util.TreeMap<>(snapshot.latest()).entrySet()) {
            JsonNode value;
            try {
                value = Json.MAPPER.readTree(record.getValue());
            } catch (IOException e) {
                err.println("skipped the unreadable status record '" + record.getKey() + "'");
                continue;
            }
            switch (value.path("kind").asText()) {
                case "target" -> targets.add(value);
                case "unattributed" -> unattributed.add(value);
                default -> err.println("skipped the status record '" + record.getKey() + "' of unknown kind "
                        + value.path("kind"));
            }
        }
        err.flush();
        if (output == OutputFormat.json) {
            ArrayNode all = Json.MAPPER.createArrayNode();
            targets.forEach(all::add);
            unattributed.forEach(all::add);
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            out.flush();
            return 0;
        }
        if (targets.isEmpty() && unattributed.isEmpty()) {
            out.println("No status on " + topic + " yet (is `homeostat run` running?).");
            out.flush();
            return 0;
        }
        if (!targets.isEmpty()) {
            Table table = new Table("TARGET", "STATE", "ACTUAL", "TARGET_IS", "GOOD", "DEVIATION", "SEVERITY", "EVENTS",
                    "FIRING_SINCE", "LAST_EVALUATED");
            for (JsonNode t : targets) {
                table.row(t.path("target_id").asText(), t.path("state").asText(), number(t.get("actual")),
                        t.path("operator").asText() + " " + number(t.get("target")), percent(t.get("good_ratio")),
                        t.hasNonNull("deviation_percent") ? String.format(Locale.ROOT, "%.1f%%", t.get("deviation_percent").asDouble()) : null,
                        text(t.get("severity")), t.path("events").asLong(), text(t.get("firing_since")),
                        text(t.get("last_evaluated")));
            }
            table.print(out);
            printErrorBudgets(out, targets);
        }
        if (!unattributed.isEmpty()) {
            if (!targets.isEmpty()) out.println();
            Table table = new Table("UNATTRIBUTED_SERVICE", "SPANS", "DATA_POINTS", "LOG_RECORDS", "LAST_SEEN");
            for (JsonNode u : unattributed) {
                table.row(u.path("service").asText(), u.path("spans").asLong(), u.path("data_points").asLong(),
                        u.path("log_records").asLong(), text(u.get("last_seen")));
            }
            table.print(out);
        }
        out.flush();
        return 0;
    }

    /** The error budget of every SLO target (its {@code slo} object), when there is one. */
    private static void printErrorBudgets(PrintWriter out, List<JsonNode> targets) {
        Table table = new Table("SLO_TARGET", "OBJECTIVE", "PERIOD", "GOOD/TOTAL", "SLI", "BUDGET_LEFT", "BUDGET_EVENTS",
                "BURN_RATES", "TIERS");
        boolean any = false;
        for (JsonNode t : targets) {
            JsonNode slo = t.get("slo");
            if (slo == null || !slo.isObject()) continue;
            any = true;
            StringBuilder burn = new StringBuilder();
            slo.path("burn_rates").fields().forEachRemaining(e -> burn.append(burn.isEmpty() ? "" : " ").append(e.getKey())
                    .append('=').append(e.getValue().isNumber() ? String.format(Locale.ROOT, "%.2f", e.getValue().asDouble()) : "-"));
            StringBuilder tiers = new StringBuilder();
            for (JsonNode tier : slo.path("tiers")) {
                tiers.append(tiers.isEmpty() ? "" : " ").append(tier.path("tier").asText()).append('=').append(tier.path("state").asText());
            }
            String sli = slo.path("sli").isNumber() ? String.format(Locale.ROOT, "%.3f%%", slo.get("sli").asDouble() * 100) : null;
            table.row(t.path("target_id").asText(), String.format(Locale.ROOT, "%s%%", TargetsCommand.number(slo.path("objective").asDouble() * 100)),
                    slo.path("period").asText(), slo.path("good").asLong() + "/" + slo.path("total").asLong(), sli,
                    String.format(Locale.ROOT, "%.1f%%", slo.path("error_budget_remaining").asDouble() * 100),
                    String.format(Locale.ROOT, "%.0f", slo.path("error_budget_remaining_events").asDouble()),
                    slo.hasNonNull("problem") ? "(" + slo.get("problem").asText() + ")" : burn.toString(), tiers.toString());
        }
        if (!any) return;
        out.println();
        table.print(out);
    }

    private static String number(JsonNode value) {
        return value == null || !value.isNumber() ? null : TargetsCommand.number(value.asDouble());
    }

    private static String percent(JsonNode value) {
        return value == null || !value.isNumber() ? null : String.format(Locale.ROOT, "%.1f%%", value.asDouble() * 100);
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? null : value.asText();
    }
}

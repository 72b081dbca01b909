package io.homeostat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.homeostat.model.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * requirement, from the compacted status topic (records as in {@code schemas/status.schema.json}), or with
 * {@code --api} from the status API of a running processor (its latest verdicts, not the topic's last records).
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the current state of every target, the unattributed telemetry per service and what the "
                + "cardinality caps refused (the status topic).",
                "With --api, ask a running `homeostat run` instead (any instance answers for all): its latest verdicts."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Spec CommandSpec spec;

    @Option(names = "--status-topic", defaultValue = "homeostasis.status", description = "Status topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Option(names = "--api", paramLabel = "URL",
            description = "Read the status API of a running processor at this address (e.g. http://localhost:8080) instead of the status topic.")
    URI api;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<JsonNode> targets = new ArrayList<>();
        List<JsonNode> unattributed = new ArrayList<>();
        List<JsonNode> overflow = new ArrayList<>();
        String source;
        if (api != null) {
            source = fromApi(targets, unattributed, err);
        } else {
            source = fromTopic(targets, unattributed, overflow, err);
        }
        err.flush();
        if (output == OutputFormat.json) {
            ArrayNode all = Json.MAPPER.createArrayNode();
            targets.forEach(all::add);
            unattributed.forEach(all::add);
            overflow.forEach(all::add);
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            out.flush();
            return 0;
        }
        if (targets.isEmpty() && unattributed.isEmpty() && overflow.isEmpty()) {
            out.println("No status " + source + " yet (is `homeostat run` running, with targets applied?).");
            out.flush();
            return 0;
        }
        print(out, targets, unattributed, overflow);
        return 0;
    }

    /** The status API's targets (their latest verdicts; a target not judged yet as state "-") and unattributed counts. */
    private String fromApi(List<JsonNode> targets, List<JsonNode> unattributed, PrintWriter err) {
        String base = api.toString();
        URI list = URI.create(base.endsWith("/") ? base : base + "/").resolve("api/v1/targets");
        HttpResponse<byte[]> response;
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(kafka.timeout).build();
            response = client.send(HttpRequest.newBuilder(list).timeout(kafka.timeout.plusSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandFailure("cannot read the status API at " + list + ": " + ErrorReporting.describe(e)
                    + " (is `homeostat run` serving HTTP there? --api)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while reading " + list, e);
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new CommandFailure(list + " answered HTTP " + response.statusCode() + " with something that is not JSON "
                    + "(is it a Homeostat processor? --api)", e);
        }
        if (response.statusCode() != 200) {
            throw new CommandFailure(list + " answered HTTP " + response.statusCode() + ": "
                    + body.path("message").asText("(no message)"));
        }
        for (JsonNode entry : body.path("targets")) {
            JsonNode status = entry.get("status");
            if (status != null && status.isObject()) {
                targets.add(status);
            } else {
                var pending = Json.MAPPER.createObjectNode().put("kind", "target")
                        .put("target_id", entry.path("target_id").asText()).put("state", "-");
                pending.set("operator", entry.path("definition").path("operator"));
                pending.set("target", entry.path("definition").path("target"));
                targets.add(pending);
            }
        }
        body.path("unattributed").forEach(unattributed::add);
        for (JsonNode problem : body.path("errors")) {
            err.println("instance " + problem.path("instance").asText() + " did not answer (" + problem.path("message").asText()
                    + "): its targets are missing");
        }
        return "from " + api;
    }

    private String fromTopic(List<JsonNode> targets, List<JsonNode> unattributed, List<JsonNode> overflow, PrintWriter err)
            throws Exception {
        kafka.checkReachable();
        TopicReader.Snapshot snapshot = TopicReader.readToEnd(kafka.clientProperties(), topic);
        if (!snapshot.exists()) {
            throw new CommandFailure("the topic " + topic + " does not exist at " + kafka.bootstrapServers()
                    + " (`homeostat run` creates it; or check --status-topic)");
        }
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
                case "overflow" -> overflow.add(value);
                default -> err.println("skipped the status record '" + record.getKey() + "' of unknown kind "
                        + value.path("kind"));
            }
        }
        return "on " + topic;
    }

    private static void print(PrintWriter out, List<JsonNode> targets, List<JsonNode> unattributed, List<JsonNode> overflow) {
        if (!targets.isEmpty()) {
            Table table = new Table("TARGET", "STATE", "INPUT", "ACTUAL", "TARGET_IS", "GOOD", "DEVIATION", "SEVERITY",
                    "EVENTS", "FIRING_SINCE", "LAST_EVALUATED");
            for (JsonNode t : targets) {
                table.row(t.path("target_id").asText(), t.path("state").asText(), input(t), number(t.get("actual")),
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
        if (!overflow.isEmpty()) {
            if (!targets.isEmpty() || !unattributed.isEmpty()) out.println();
            Table table = new Table("OVERFLOW_TASK", "CAP", "LIMIT", "TRACKED", "REFUSED", "REFUSED_ITEMS", "EXPIRED",
                    "LAST_REFUSED", "LAST_REFUSED_AT");
            for (JsonNode o : overflow) {
                for (String cap : new String[] {"requirements", "series", "target_series", "services"}) {
                    JsonNode c = o.path(cap);
                    table.row(o.path("task").asText(), cap, c.path("limit").asLong(), c.path("tracked").asLong(),
                            c.path("refused").asLong(), c.path("refused_items").asLong(), c.path("expired").asLong(),
                            text(c.get("last_refused")), text(c.get("last_refused_at")));
                }
            }
            table.print(out);
        }
        out.flush();
    }

    /**
     * {@code live}, or why verdicts wait: {@code catching_up} or {@code unreadable}, with the first partitions they
     * wait for ("the service went quiet" reads {@code no_data} with {@code live}; "we cannot read" {@code unreadable}).
     */
    static String input(JsonNode status) {
        String input = text(status.get("input"));
        if (input == null) return null;
        JsonNode heldBy = status.path("input_held_by");
        if (!heldBy.isArray() || heldBy.isEmpty()) return input;
        StringBuilder text = new StringBuilder(input).append(" (").append(heldBy.get(0).asText());
        if (heldBy.size() > 1) text.append(", +").append(heldBy.size() - 1);
        return text.append(')').toString();
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

package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --format datadog-api} against the Monitor schema of Datadog's published OpenAPI specification
 * (src/test/resources/datadog/monitor.schema.json, see the README there), {@code --format datadog-terraform},
 * and what a monitor cannot carry.
 */
class DatadogMonitorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static JsonNode schemaDocument;
    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = DatadogMonitorsTest.class.getResourceAsStream("/datadog/monitor.schema.json")) {
            schemaDocument = JSON.readTree(in);
        }
        schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaDocument);
    }

    static JsonNode api(String file) throws Exception {
        return JSON.readTree(DatadogMonitors.exportApi(RulesExportTest.load(file), file));
    }

    /** The schema allows fields it does not define; we write none: each field must be one it names (recursively). */
    static void onlyDefinedFields(JsonNode value, String definition, String where, List<String> unknown) {
        JsonNode properties = schemaDocument.path("$defs").path(definition).path("properties");
        Iterator<String> names = value.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode property = properties.get(name);
            if (property == null) {
                unknown.add(where + "." + name);
            } else if (property.has("$ref") && value.get(name).isObject()) {
                onlyDefinedFields(value.get(name), property.get("$ref").asText().replace("#/$defs/", ""), where + "." + name, unknown);
            }
        }
    }

    @Test
    void everyMonitorOfTheSeedAndTheExtendedExampleValidatesAgainstDatadogsMonitorSchema() throws Exception {
        int validated = 0;
        for (String file : List.of("config/observability.yml", "schemas/examples/observability-extended.yml")) {
            JsonNode monitors = api(file);
            assertThat(monitors.isArray()).isTrue();
            assertThat(monitors.size()).isEqualTo(DatadogMonitors.monitors(RulesExportTest.load(file), file).size());
            for (JsonNode monitor : monitors) {
                Set<ValidationMessage> problems = schema.validate(monitor);
                assertThat(problems).as("%s against Datadog's Monitor schema", monitor.path("name").asText()).isEmpty();
                List<String> unknown = new ArrayList<>();
                onlyDefinedFields(monitor, "Monitor", "monitor", unknown);
                assertThat(unknown).as("fields the Monitor schema does not define").isEmpty();
                assertThat(monitor.fieldNames()).toIterable().containsExactly("name", "type", "query", "message", "tags",
                        "priority", "options");
                assertThat(monitor.path("options").path("notify_no_data").isBoolean()).isTrue();
                assertThat(monitor.path("options").path("thresholds").path("critical").isNumber()).isTrue();
                assertThat(monitor.path("query").asText()).as("the query's threshold is the critical one (the API demands it)")
                        .endsWith(" " + monitor.path("options").path("thresholds").path("critical").asText());
                validated++;
            }
        }
        assertThat(validated).as("the seed's 2 and the extended example's 12 targets").isEqualTo(2 + 12);
    }

    @Test
    void theSchemaRejectsWhatTheApiWouldSoTheCheckCanFail() throws Exception {
        ObjectNode monitor = (ObjectNode) api("config/observability.yml").get(0).deepCopy();
        assertThat(schema.validate(monitor)).isEmpty();
        monitor.put("type", "threshold alert");
        assertThat(schema.validate(monitor)).as("an unknown type").isNotEmpty();
        ObjectNode noQuery = (ObjectNode) api("config/observability.yml").get(0).deepCopy();
        noQuery.remove("query");
        assertThat(schema.validate(noQuery)).as("query is required").isNotEmpty();
        ObjectNode textPriority = (ObjectNode) api("config/observability.yml").get(0).deepCopy();
        textPriority.put("priority", "P1");
        assertThat(schema.validate(textPriority)).as("priority is an integer").isNotEmpty();
        ObjectNode misplaced = (ObjectNode) api("config/observability.yml").get(0).deepCopy();
        misplaced.put("notify_no_data", true); // the seed's YAML has it here; the API wants options.notify_no_data
        List<String> unknown = new ArrayList<>();
        onlyDefinedFields(misplaced, "Monitor", "monitor", unknown);
        assertThat(unknown).containsExactly("monitor.notify_no_data");
    }

    @Test
    void warningComparatorsHonourLteAndGteAndWhatCannotBeCarriedIsNoted() throws Exception {
        TargetFiles.Loaded extended = RulesExportTest.load("schemas/examples/observability-extended.yml");
        List<DatadogMonitors.Monitor> monitors = DatadogMonitors.monitors(extended, "x");
        DatadogMonitors.Monitor failures = byId(monitors, "REQ-F-AUTH-001/login_attempts");
        assertThat(failures.api().path("query").asText()).as("lt 2: Homeostat alerts at 2 itself").endsWith(".as_rate() >= 2.4");
        assertThat(failures.api().path("options").path("thresholds").path("warning").asDouble()).isEqualTo(2);
        assertThat(failures.notes()).singleElement().asString().contains("exactly 2.4 is critical here");
        DatadogMonitors.Monitor duration = byId(monitors, "REQ-F-AUTH-001/span.duration_ms");
        assertThat(duration.api().path("query").asText()).as("lte 800: alerts beyond 800").endsWith(" > 960");
        assertThat(duration.notes()).isEmpty();
        assertThat(byId(monitors, "REQ-F-AUTH-001/lockouts").notes()).singleElement().asString()
                .startsWith("for 10m is not carried");
        assertThat(byId(monitors, "REQ-NFR-PERF-001/login_latency_ms").notes()).singleElement().asString()
                .startsWith("min_events 20 is not carried");
        DatadogMonitors.Monitor free = byId(monitors, "REQ-NFR-CAP-001/session_store.free_ratio");
        assertThat(free.api().path("query").asText()).endsWith("<= 0.1");
        assertThat(free.api().path("options").path("thresholds").path("critical_recovery").asDouble())
                .as("held until the target gt 0.2 holds").isEqualTo(0.2);
        assertThat(byId(monitors, "REQ-F-AUTH-001/login_success_rate").notes()).anySatisfy(n -> assertThat(n)
                .startsWith("recovers once the value is back within the alert level 0.98"));
        assertThat(DatadogMonitors.notes(extended, "x")).contains("REQ-F-AUTH-001/lockouts: " + byId(monitors,
                "REQ-F-AUTH-001/lockouts").notes().get(0));
    }

    private static DatadogMonitors.Monitor byId(List<DatadogMonitors.Monitor> monitors, String id) {
        return monitors.stream().filter(m -> m.target().id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void terraformResourcesCarryTheSameMonitors() throws Exception {
        TargetFiles.Loaded extended = RulesExportTest.load("schemas/examples/observability-extended.yml");
        String hcl = DatadogMonitors.exportTerraform(extended, "x");
        JsonNode api = JSON.readTree(DatadogMonitors.exportApi(extended, "x"));
        Matcher resources = Pattern.compile("(?m)^resource \"datadog_monitor\" \"([a-z][a-z0-9_]*)\" \\{$").matcher(hcl);
        List<String> names = new ArrayList<>();
        while (resources.find()) names.add(resources.group(1));
        assertThat(names).hasSize(api.size()).doesNotHaveDuplicates().contains("req_nfr_perf_001_login_latency_ms");
        for (JsonNode monitor : api) {
            assertThat(hcl).contains("  query    = " + DatadogMonitors.hclString(monitor.path("query").asText()) + "\n");
            assertThat(hcl).contains("  name     = " + DatadogMonitors.hclString(monitor.path("name").asText()) + "\n");
        }
        assertThat(hcl).contains("  monitor_thresholds {\n    critical = 600\n    warning  = 500\n  }",
                "    critical_recovery = 0.2\n", "  notify_no_data      = true\n  no_data_timeframe   = 10\n",
                "  priority = \"2\"", "# Note: for 10m is not carried", "  message  = <<-EOT\n    ## Login response time < 500ms\n");
        assertThat(count(hcl, "<<-EOT")).isEqualTo(count(hcl, "\n  EOT\n")).isEqualTo(api.size());
        assertThat(count(hcl, "{")).as("braces balance").isEqualTo(count(hcl, "}"));
        assertThat(DatadogMonitors.hclString("a \"b\" ${c} %{d}\\")).isEqualTo("\"a \\\"b\\\" $${c} %%{d}\\\\\"");
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }
}

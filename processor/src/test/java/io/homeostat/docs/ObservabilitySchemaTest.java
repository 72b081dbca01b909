package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.config.ConfigProblem;
import io.homeostat.config.Variables;
import io.homeostat.config.YamlTree;
import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SeedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** schemas/observability.schema.json describes the config/observability.yml that the commands read. */
class ObservabilitySchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A YAML file as `targets apply` reads it: ${VAR:-default} expanded (defaults only), unquoted values typed. */
    static JsonNode asTheCommandsReadIt(Path yaml) throws IOException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<YamlTree> documents = YamlTree.read(yaml.toString(), Files.readString(yaml), new Variables(Map.of()), problems);
        assertThat(problems).as("reading %s", yaml).isEmpty();
        assertThat(documents).hasSize(1);
        return documents.get(0).root();
    }

    @Test
    void theSeedFileValidatesAsWrittenAndIsTheSchemasExample() throws IOException {
        JsonNode seed = new YAMLMapper().readTree(SeedFiles.observabilityYml());
        Schemas.assertValid("observability.schema.json", seed);
        JsonNode schema = Schemas.schema("observability.schema.json").getSchemaNode();
        assertThat(schema.path("examples").get(0)).as("the schema's example is config/observability.yml").isEqualTo(seed);
    }

    @Test
    void anEntryAcceptsExactlyTheTargetFieldsAndId() throws IOException {
        JsonNode target = JSON.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/target.schema.json")));
        JsonNode entry = Schemas.schema("observability.schema.json").getSchemaNode().at("/$defs/entry/properties");
        TreeSet<String> expected = new TreeSet<>();
        target.path("properties").fieldNames().forEachRemaining(expected::add);
        expected.add("id");
        TreeSet<String> actual = new TreeSet<>();
        entry.fieldNames().forEachRemaining(actual::add);
        assertThat(actual).isEqualTo(expected);
        for (String field : expected) {
            if (List.of("id", "requirement", "metric").contains(field)) continue;
            assertThat(entry.get(field)).as("entry field %s is the target's", field).isEqualTo(target.path("properties").get(field));
        }
    }

    @Test
    void theSchemaRejectsWhatTheCommandsReject() throws IOException {
        JsonNode broken = new YAMLMapper().readTree(SeedFiles.broken());
        var messages = Schemas.validate("observability.schema.json", broken);
        assertThat(messages).isNotEmpty();
        assertThat(messages.toString()).contains("alert_treshold");

        ObjectNode seed = (ObjectNode) new YAMLMapper().readTree(SeedFiles.observabilityYml());
        ((ObjectNode) seed.at("/telemetry/homeostasis/REQ-F-AUTH-001")).put("operator", "below");
        assertThat(Schemas.validate("observability.schema.json", seed)).isNotEmpty();
        ObjectNode noMetric = (ObjectNode) new YAMLMapper().readTree(SeedFiles.observabilityYml());
        ((ObjectNode) noMetric.at("/telemetry/homeostasis/REQ-F-AUTH-001")).remove("metric");
        assertThat(Schemas.validate("observability.schema.json", noMetric)).isNotEmpty();
    }

    @Test
    void theExtendedExampleValidatesAsTheCommandsReadIt() throws IOException {
        JsonNode extended = asTheCommandsReadIt(RepoFiles.resolve("schemas/examples/observability-extended.yml"));
        Schemas.assertValid("observability.schema.json", extended);
        assertThat(extended.at("/telemetry/homeostasis/REQ-NFR-PERF-001/target").isNumber())
                .as("${LOGIN_LATENCY_TARGET_MS:-500} unquoted is a number").isTrue();
    }
}

package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.TargetParser;
import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.Schemas;
import io.homeostat.issues.TraceIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The schemas in schemas/ are true to the code: their examples validate, and so do the records we write. */
class SchemaTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static List<Path> examples(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(RepoFiles.resolve("schemas/examples"))) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    @Test
    void everyExampleHasASchemaAndValidates() throws IOException {
        int checked = 0;
        try (Stream<Path> files = Files.list(RepoFiles.resolve("schemas/examples"))) {
            for (Path example : files.sorted().toList()) {
                String name = example.getFileName().toString();
                String schema = name.startsWith("api-targets") ? "api-targets.schema.json"
                        : name.startsWith("api-target") ? "api-target.schema.json"
                        : name.startsWith("api-issues") ? "api-issues.schema.json"
                        : name.startsWith("api-error") ? "api-error.schema.json"
                        : name.startsWith("health") ? "health.schema.json"
                        : name.startsWith("target") ? "target.schema.json"
                        : name.startsWith("alert") ? "alert.schema.json"
                        : name.startsWith("dead-letter") ? "dead-letter.schema.json"
                        : name.startsWith("status") ? "status.schema.json"
                        : name.startsWith("issue") ? "issue.schema.json"
                        : name.startsWith("intent") ? "intent.schema.json"
                        : name.startsWith("observability") ? "observability.schema.json" : null;
                assertThat(schema).as("schema for example %s", name).isNotNull();
                if (name.endsWith(".yml")) {
                    Schemas.assertValid(schema, ObservabilitySchemaTest.asTheCommandsReadIt(example));
                } else {
                    Schemas.assertValid(schema, Files.readAllBytes(example));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(14);
    }

    /**
     * Every ```json block of the README and the manual (docs/, but for the external contract, kept as written)
     * is one of our records and validates against its schema; a target is also accepted by the processor's
     * parser. The pages that carry the examples must keep at least as many as they have now.
     */
    @Test
    void everyJsonExampleInTheDocsValidates() throws Exception {
        Map<String, int[]> counts = new TreeMap<>();     // page -> {targets, other records}
        for (Path page : DocsPages.pagesWithExamples()) {
            String markdown = Files.readString(page, StandardCharsets.UTF_8);
            java.util.regex.Matcher blocks = java.util.regex.Pattern.compile("```json\\n(.*?)```", java.util.regex.Pattern.DOTALL)
                    .matcher(markdown);
            int[] count = counts.computeIfAbsent(DocsPages.name(page), k -> new int[2]);
            while (blocks.find()) {
                try (var documents = MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(blocks.group(1))) {
                    while (documents.hasNext()) {
                        JsonNode json = documents.next();
                        String schema = schemaOf(json);
                        assertThat(schema).as("%s: a ```json block that is none of Homeostat's records (fence another system's"
                                + " JSON as ```text): %s", DocsPages.name(page), json).isNotNull();
                        Schemas.assertValid(schema, json);
                        if (schema.equals("target.schema.json")) {
                            TargetParser.parse(json);
                            count[0]++;
                        } else {
                            count[1]++;
                        }
                    }
                }
            }
        }
        assertThat(counts.get("docs/targets.md")[0]).as("target examples in docs/targets.md").isGreaterThanOrEqualTo(5);
        assertThat(counts.get("docs/alerts.md")[1]).as("alert and status examples in docs/alerts.md").isGreaterThanOrEqualTo(2);
        assertThat(counts.get("docs/issues-and-intents.md")[1]).as("issue and intent examples in docs/issues-and-intents.md")
                .isGreaterThanOrEqualTo(3);
        int targets = counts.values().stream().mapToInt(c -> c[0]).sum();
        int others = counts.values().stream().mapToInt(c -> c[1]).sum();
        assertThat(targets).as("target examples in the README and docs/").isGreaterThanOrEqualTo(5);
        assertThat(others).as("alert, status, issue and intent examples in the README and docs/").isGreaterThanOrEqualTo(5);
    }

    private static String schemaOf(JsonNode json) {
        if (json.has("fingerprint")) return "alert.schema.json";
        if (json.has("kind")) return "status.schema.json";
        if (json.has("issue_id")) return "issue.schema.json";
        if (json.has("intent_id")) return "intent.schema.json";
        if (json.has(DeadLetters.REASON)) return "dead-letter.schema.json";
        if (json.has("requirement") || json.has("metric")) return "target.schema.json";
        return null;
    }

    @Test
    void everyTargetExampleIsAlsoAcceptedByTheProcessor() throws Exception {
        List<Path> targets = examples("target");
        assertThat(targets).isNotEmpty();
        for (Path example : targets) {
            TargetParser.parse(Files.readAllBytes(example));
        }
    }

    @Test
    void schemaAndProcessorRejectTheSameBrokenTargets() throws Exception {
        ObjectNode valid = (ObjectNode) MAPPER.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/examples/target-latency.json")));
        List<ObjectNode> broken = List.of(
                valid.deepCopy().put("operator", "below"),
                valid.deepCopy().put("target", "fast"),
                valid.deepCopy().put("alert_treshold", 0.9),
                valid.deepCopy().put("window", "soon"),
                valid.deepCopy().put("min_events", 0),
                (ObjectNode) valid.deepCopy().remove(List.of("metric")));
        for (ObjectNode target : broken) {
            assertThat(Schemas.validate("target.schema.json", target)).as("schema on %s", target).isNotEmpty();
            assertThatThrownBy(() -> TargetParser.parse(target)).as("processor on %s", target).isNotNull();
        }
    }

    @Test
    void deadLetterHeaderNamesAreTheSchemasRequiredOnes() throws IOException {
        var required = Schemas.schema("dead-letter.schema.json").getSchemaNode().get("required");
        assertThat(MAPPER.convertValue(required, List.class)).containsExactlyInAnyOrder(DeadLetters.REASON,
                DeadLetters.CLASS, DeadLetters.SOURCE_TOPIC, DeadLetters.SOURCE_PARTITION, DeadLetters.SOURCE_OFFSET);
        assertThat(new String(Files.readAllBytes(RepoFiles.resolve("schemas/examples/dead-letter-headers.json")),
                StandardCharsets.UTF_8)).contains(DeadLetters.REASON);
    }

    @Test
    void issueAndIntentExamplesCarryTheIdsTheProcessorWouldDerive() throws IOException {
        List<Path> issues = examples("issue");
        List<Path> intents = examples("intent");
        assertThat(issues).isNotEmpty();
        assertThat(intents).isNotEmpty();
        for (Path example : issues) {
            JsonNode issue = MAPPER.readTree(Files.readAllBytes(example));
            assertThat(issue.get("issue_id").asText()).as("%s", example.getFileName()).isEqualTo(TraceIds.issueId(
                    issue.get("requirement").asText(), issue.get("error_type").asText(),
                    issue.get("normalized_message").asText(), issue.get("top_frame").asText()));
            assertThat(issue.get("intent_id").asText()).isEqualTo(TraceIds.intentId(issue.get("issue_id").asText()));
        }
        for (Path example : intents) {
            JsonNode intent = MAPPER.readTree(Files.readAllBytes(example));
            assertThat(intent.get("intent_id").asText()).as("%s", example.getFileName())
                    .isEqualTo(TraceIds.intentId(intent.get("source_id").asText()));
        }
    }

    @Test
    void theIssueAndIntentSchemasRejectWhatTheContractForbids() throws IOException {
        ObjectNode issue = (ObjectNode) MAPPER.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/examples/issue-open.json")));
        ObjectNode intent = (ObjectNode) MAPPER.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/examples/intent-deviation.json")));
        List<ObjectNode> brokenIssues = List.of(
                issue.deepCopy().put("issue_id", "ISSUE-20261125201822"),     // the seed's timestamp id
                issue.deepCopy().put("severity", "warning"),
                issue.deepCopy().put("status", "closed"),
                issue.deepCopy().put("occurrences", 0),
                (ObjectNode) issue.deepCopy().remove(List.of("affected_users")));
        for (ObjectNode broken : brokenIssues) {
            assertThat(Schemas.validate("issue.schema.json", broken)).as("%s", broken).isNotEmpty();
        }
        List<ObjectNode> brokenIntents = List.of(
                intent.deepCopy().put("intent_id", "INT-FB-20261125201822"),
                intent.deepCopy().put("priority", "P2"),
                intent.deepCopy().put("source_kind", "production_issue"),    // then the source must be an issue id
                intent.deepCopy().put("source_id", "ISSUE-063b3ee28c86ee4d"));
        for (ObjectNode broken : brokenIntents) {
            assertThat(Schemas.validate("intent.schema.json", broken)).as("%s", broken).isNotEmpty();
        }
    }

    @Test
    void outputSchemasAcceptFieldsAddedLaterTargetsStayStrictAndSaySo() throws Exception {
        for (String[] example : new String[][] {{"alert.schema.json", "alert-firing.json"}, {"status.schema.json", "status-target.json"},
            {"issue.schema.json", "issue-open.json"}, {"intent.schema.json", "intent-deviation.json"}}) {
            ObjectNode record = (ObjectNode) MAPPER.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/examples/" + example[1])));
            record.put("a_field_of_a_later_release", 42);
            assertThat(Schemas.published(example[0]).validate(record)).as("consumers ignore unknown fields: " + example[0]).isEmpty();
            assertThat(Schemas.schema(example[0]).validate(record)).as("yet the tests know every field written").isNotEmpty();
        }
        // Homeostat's own readers (the CLI, the bridge) read such a record.
        ObjectNode alert = (ObjectNode) MAPPER.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/examples/alert-firing.json")));
        alert.put("a_field_of_a_later_release", "x");
        io.homeostat.model.Alert read = io.homeostat.model.Json.MAPPER.treeToValue(alert, io.homeostat.model.Alert.class);
        assertThat(read.alertId()).isEqualTo(alert.get("alert_id").asText());

        ObjectNode target = (ObjectNode) MAPPER.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/examples/target-latency.json")));
        target.put("burn_rate_windows", "1h");
        assertThat(Schemas.published("target.schema.json").validate(target)).isNotEmpty();
        assertThatThrownBy(() -> io.homeostat.model.TargetParser.parse(target.toString()))
                .hasMessageContaining("unknown field 'burn_rate_windows'")
                .hasMessageContaining("this version accepts requirement, metric, target, operator")
                .hasMessageContaining("a field of a newer version is refused, not ignored");
    }
}

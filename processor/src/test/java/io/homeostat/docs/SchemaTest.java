package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.TargetParser;
import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.Schemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                String schema = name.startsWith("target") ? "target.schema.json"
                        : name.startsWith("alert") ? "alert.schema.json"
                        : name.startsWith("dead-letter") ? "dead-letter.schema.json"
                        : name.startsWith("status") ? "status.schema.json"
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
        assertThat(checked).isGreaterThanOrEqualTo(6);
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
}

package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.testing.RepoFiles;
import io.homeostat.topology.HomeostatTopology;
import io.homeostat.topology.TopologyDiagram;
import io.homeostat.topology.TopologySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * topology-docs/ must describe the code's topology. To refresh the files after a topology change:
 * {@code ./mvnw -pl processor test -Dtest=TopologyDocsTest -Dhomeostat.writeTopologyDocs=true}
 * (or {@code homeostat topology > topology-docs/topology.txt} and {@code --format mermaid}).
 */
class TopologyDocsTest {
    private final TopologyDescription description = HomeostatTopology.build(TopologySettings.defaults()).describe();

    @Test
    void describedTopologyMatchesTheCode() throws IOException {
        check("topology-docs/topology.txt", description.toString());
    }

    @Test
    void mermaidDiagramMatchesTheCode() throws IOException {
        String mermaid = TopologyDiagram.mermaid(description);
        assertThat(mermaid).contains("otlp_spans").contains("homeostasis.alerts").contains("requirement-slices")
                .contains("otlp_logs").contains("homeostasis.issues").contains("homeostasis.intents").contains("production-issues");
        check("topology-docs/topology.mmd", mermaid);
    }

    private static void check(String relative, String actual) throws IOException {
        Path file = RepoFiles.resolve(relative);
        if (Boolean.getBoolean("homeostat.writeTopologyDocs")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(file, StandardCharsets.UTF_8))
                .as("%s is stale; regenerate it (see TopologyDocsTest)", relative)
                .isEqualTo(actual);
    }
}

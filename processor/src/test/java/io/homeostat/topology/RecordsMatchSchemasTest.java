package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.Json;
import io.homeostat.testing.Schemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every record the processor writes in a full lifecycle validates against its schema in schemas/ (issues
 * and intents are checked by {@link TopologyHarness#issues()} and {@link TopologyHarness#intents()}).
 */
class RecordsMatchSchemasTest {
    @TempDir Path stateDir;

    @Test
    void alertsIssuesIntentsAndDeadLettersOfAFullLifecycleValidate() {
        try (TopologyHarness h = new TopologyHarness(stateDir)) {
            TestOutputTopic<String, byte[]> rawAlerts = h.driver.createOutputTopic(TopologyHarness.TOPICS.alerts(),
                    new StringDeserializer(), new ByteArrayDeserializer());
            h.putTarget(HomeostatTopologyTest.PERF_ID, HomeostatTopologyTest.LATENCY_TARGET);
            h.putTarget("REQ-F-AUTH-001/span.error_rate", """
                    {"requirement": "REQ-F-AUTH-001", "metric": "span.error_rate", "target": 0, "operator": "lte", "window": "3s"}""");
            h.putTarget("broken", "{\"requirement\": 7}");
            h.spans.pipeInput(new byte[] {1, 2, 3}, h.now());
            h.seconds(10, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.DEGRADED, 0); // fires (critical)
            h.seconds(3, "REQ-F-AUTH-001", 20, HomeostatTopologyTest.HEALTHY, 1);             // error rate > 0 fires
            h.seconds(10, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.HEALTHY, 0);  // resolves; auth: no events
            h.deleteTarget(HomeostatTopologyTest.PERF_ID);
            h.tick();

            List<TestRecord<String, byte[]>> alerts = rawAlerts.readRecordsToList();
            assertThat(alerts).hasSizeGreaterThanOrEqualTo(4);
            for (TestRecord<String, byte[]> alert : alerts) Schemas.assertValid("alert.schema.json", alert.value());
            assertThat(alerts).extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .anyMatch(json -> json.contains("\"deviation_percent\":null")) // target 0
                    .anyMatch(json -> json.contains("\"resolved_reason\":\"no_events\""))
                    .anyMatch(json -> json.contains("\"resolved_reason\":\"target_met\""));

            assertThat(h.issues()).as("the error spans of REQ-F-AUTH-001").isNotEmpty()
                    .allSatisfy(issue -> assertThat(issue.requirement()).isEqualTo("REQ-F-AUTH-001"));
            assertThat(h.intents()).extracting(intent -> intent.sourceKind())
                    .contains("production_issue", "deviation");

            List<TestRecord<byte[], byte[]>> letters = h.deadLetters.readRecordsToList();
            assertThat(letters).hasSize(2);
            for (TestRecord<byte[], byte[]> letter : letters) {
                ObjectNode headers = Json.MAPPER.createObjectNode();
                for (Header header : letter.headers()) headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
                Schemas.assertValid("dead-letter.schema.json", headers);
            }
        }
    }
}

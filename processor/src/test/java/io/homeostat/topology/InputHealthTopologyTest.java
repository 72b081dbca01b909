package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import io.homeostat.otlp.OtlpEncoding;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "The service went quiet" against "we cannot read", through the whole topology: while the runner says an input
 * partition cannot be fetched, no slice closes as empty, a firing alert does not resolve as {@code no_events}, no
 * no-data alert fires, and the status topic says {@code unreadable}; the data that arrives afterwards (what the
 * producers buffered during the outage) lands in its own windows, and the alert stays one episode.
 */
class InputHealthTopologyTest {
    static final String REQ = "REQ-F-AUTH-001";
    static final String TARGET_ID = REQ + "/span.success_rate";
    static final String TARGET = """
            {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.95, "operator": "gte",
             "window": "5s", "min_events": 10, "notify_no_data": true, "no_data_after": "10s",
             "critical_deviation_percent": 99}""";
    static final double[] FAST = {20};

    @TempDir Path stateDir;
    final Map<String, InputHealth.Partition> health = new ConcurrentHashMap<>();
    TopologyHarness h;

    void start() {
        h = new TopologyHarness(stateDir, TopologyHarness.T0, TopologyHarness.RUNTIME, Duration.ofSeconds(1),
                (topic, partition) -> health.getOrDefault(topic, new InputHealth.Partition(0, true, 1)));
        h.putTarget(TARGET_ID, TARGET);
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    @Test
    void anUnreadableInputIsNotSilenceAndTheOutageLeavesOneEpisode() throws IOException {
        start();
        h.seconds(6, REQ, 20, FAST, 0);
        h.seconds(8, REQ, 20, FAST, 10); // half of them fail: fires
        assertThat(alerts()).extracting(Alert::status).containsExactly(Alert.FIRING);

        statuses();
        // The broker goes away: nothing can be fetched for 40 s, while the service keeps failing.
        Instant outageStart = h.now();
        health.put(TopologyHarness.TOPICS.spans(), new InputHealth.Partition(0, false, 1));
        health.put(TopologyHarness.TOPICS.metrics(), new InputHealth.Partition(0, false, 1));
        h.idle(40);
        assertThat(alerts()).as("no resolve as no_events, no no-data alert while nothing can be read").isEmpty();
        List<JsonNode> during = statuses();
        assertThat(during).isNotEmpty();
        assertThat(during.get(during.size() - 1).path("input").asText()).isEqualTo("unreadable");
        assertThat(during.get(during.size() - 1).path("input_held_by").toString()).contains("otlp_spans-0");
        assertThat(during).allSatisfy(s -> assertThat(s.path("state").asText()).isEqualTo("firing"));

        // It comes back: the spans the service's exporter buffered meanwhile arrive (still failing), then live traffic.
        health.clear();
        for (int second = 0; second < 40; second++) {
            h.sdk().spans(REQ, 20, outageStart.plusSeconds(second).plusMillis(500), FAST, 10);
            h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
        }
        h.seconds(5, REQ, 20, FAST, 10);
        h.seconds(10, REQ, 20, FAST, 0);
        assertThat(alerts()).as("the same episode resolves once, when the target is met again")
                .extracting(a -> a.status() + ":" + a.resolvedReason())
                .containsExactly(Alert.RESOLVED + ":" + Alert.RESOLVED_TARGET_MET);
        assertThat(h.counter("late-events-dropped")).isZero();
        List<JsonNode> after = statuses();
        assertThat(after.get(after.size() - 1).path("input").asText()).isEqualTo("live");
    }

    @Test
    void whenEverythingIsReadASilentServiceIsJudgedSilent() throws IOException {
        start();
        h.seconds(6, REQ, 20, FAST, 0);
        h.seconds(8, REQ, 20, FAST, 10);
        assertThat(alerts()).extracting(Alert::status).containsExactly(Alert.FIRING);
        h.idle(20);
        assertThat(alerts()).extracting(a -> a.kind() + ":" + a.status() + ":" + a.resolvedReason())
                .contains("deviation:resolved:" + Alert.RESOLVED_NO_EVENTS, "no_data:firing:null");
        List<JsonNode> quiet = statuses();
        assertThat(quiet.get(quiet.size() - 1).path("state").asText()).isEqualTo("no_data");
        assertThat(quiet.get(quiet.size() - 1).path("input").asText()).isEqualTo("live");
    }

    @Test
    void aPartitionWithABacklogHoldsVerdictsUntilItIsReadAndSaysSo() throws IOException {
        start();
        h.seconds(6, REQ, 20, FAST, 0);
        statuses();
        // The consumer knows of records on the broker it has not fetched yet.
        health.put(TopologyHarness.TOPICS.spans(), new InputHealth.Partition(5_000, true, 1));
        h.idle(20);
        List<JsonNode> behind = statuses();
        assertThat(behind).as("the last window with data, judged again, not an empty one").isNotEmpty()
                .allSatisfy(s -> assertThat(s.path("state").asText()).isEqualTo("ok"));
        assertThat(behind.get(behind.size() - 1).path("input").asText()).isEqualTo("catching_up");
        assertThat(behind.get(behind.size() - 1).path("input_held_by").toString()).isEqualTo("[\"otlp_spans-0\"]");
        assertThat(alerts()).isEmpty();
        health.clear();
        h.idle(20);
        assertThat(alerts()).as("read to its end and still silent: silence now counts")
                .extracting(Alert::kind).contains(Alert.KIND_NO_DATA);
    }

    private List<Alert> alerts() {
        return h.alerts.readRecordsToList().stream().map(TestRecord::value).toList();
    }

    private List<JsonNode> statuses() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (TestRecord<String, byte[]> record : h.status.readRecordsToList()) {
            if (record.key().equals(TARGET_ID)) out.add(Json.MAPPER.readTree(record.value()));
        }
        return out;
    }
}

package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Alert;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.Json;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SdkMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP metrics from the OpenTelemetry SDK, no-data, `for`, and the status topic, under a mocked wall clock. */
class MetricsTopologyTest {
    static final String PERF = "REQ-NFR-PERF-001";
    static final String AUTH = "REQ-F-AUTH-001";

    @TempDir Path stateDir;
    TopologyHarness h;
    SdkMetrics sdk;

    @BeforeEach
    void start() {
        h = new TopologyHarness(stateDir);
        sdk = new SdkMetrics("customer-portal", h.now(), false); // cumulative, the SDK's default
    }

    @AfterEach
    void stop() {
        sdk.close();
        h.close();
    }

    /** One second: record, collect at the end of the second (as a periodic reader would), advance the clock. */
    void second(Runnable recording) {
        recording.run();
        h.pipeMetrics(sdk.collect(h.now().plusMillis(900), OtlpEncoding.PROTOBUF));
        h.tick();
    }

    void seconds(int n, Runnable recording) {
        for (int i = 0; i < n; i++) second(recording);
    }

    Runnable latencies(double... ms) {
        return () -> {
            for (double v : ms) sdk.latency(PERF, v);
        };
    }

    Runnable attempts(int success, int failure) {
        return () -> {
            for (int i = 0; i < success; i++) sdk.attempt(AUTH, "success");
            for (int i = 0; i < failure; i++) sdk.attempt(AUTH, "failure");
        };
    }

    List<JsonNode> statuses() {
        List<JsonNode> out = new ArrayList<>();
        for (TestRecord<String, byte[]> record : h.status.readRecordsToList()) {
            if (record.value() == null) continue;
            Schemas.assertValid("status.schema.json", record.value());
            try {
                out.add(Json.MAPPER.readTree(record.value()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Test
    void seedLatencyHistogramTargetFiresOnTheShareOfSlowLoginsAndResolves() {
        h.putTarget(PERF + "/login_latency_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "window": "5s", "min_events": 20}""");
        double[] healthy = {40, 80, 150, 180, 300};          // every one under 500 ms
        double[] degraded = {150, 300, 700, 900, 1500};     // 60 % over 500 ms
        seconds(8, latencies(repeat(healthy, 4)));
        assertThat(h.alerts.isEmpty()).isTrue();
        seconds(8, latencies(repeat(degraded, 4)));
        List<Alert> fired = h.alerts.readValuesToList();
        assertThat(fired).isNotEmpty().allSatisfy(a -> {
            assertThat(a.firing()).isTrue();
            assertThat(a.metric()).isEqualTo("login_latency_ms");
            assertThat(a.goodRatio()).isLessThan(0.95);
            assertThat(a.actual()).as("p95 from the seed's buckets").isGreaterThan(500);
        });
        List<JsonNode> statuses = statuses();
        JsonNode degradedWindow = statuses.get(statuses.size() - 1);
        assertThat(degradedWindow.get("state").asText()).isEqualTo("firing");
        assertThat(degradedWindow.get("good_ratio").asDouble()).as("a fully degraded window: 2 of 5 under 500 ms")
                .isEqualTo(0.4);
        assertThat(degradedWindow.get("events").asLong()).isEqualTo(100);
        seconds(8, latencies(repeat(healthy, 4)));
        assertThat(h.alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("resolved");
            assertThat(a.resolvedReason()).isEqualTo("target_met");
        });
        assertThat(h.counter("data-points-decoded")).isEqualTo(24);
    }

    @Test
    void successRateAsARatioOfTheSeedsLoginAttemptsCounter() {
        h.putTarget(AUTH + "/login_success_rate", """
                {"requirement": "REQ-F-AUTH-001", "metric": "login_success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "window": "5s", "min_events": 100,
                 "ratio": {"good": {"metric": "login_attempts", "where": {"status": "success"}},
                           "total": {"metric": "login_attempts", "where": {"status": ["success", "failure"]}}}}""");
        seconds(8, attempts(100, 0));
        seconds(8, attempts(99, 1)); // 99 %: met
        assertThat(h.alerts.isEmpty()).isTrue();
        seconds(8, attempts(90, 10)); // 90 %
        assertThat(h.alerts.readValuesToList()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.firing()).isTrue();
            assertThat(a.actual()).isLessThan(0.98);
        });
        List<JsonNode> statuses = statuses();
        JsonNode last = statuses.get(statuses.size() - 1);
        assertThat(last.get("state").asText()).isEqualTo("firing");
        assertThat(last.get("events").asLong()).as("the window's attempts: 5 s × 100").isEqualTo(500);
        assertThat(last.get("actual").asDouble()).isEqualTo(0.9);
    }

    @Test
    void theSeedsSingularBusinessRuleIsASeriesAttributeThatWhereSelects() {
        // The seed's login records failures with business_rule="BR-001" (invalid e-mail): a target on that rule alone.
        h.putTarget(AUTH + "/invalid_email", """
                {"requirement": "REQ-F-AUTH-001", "metric": "login_attempts", "target": 5, "operator": "lte",
                 "window": "5s", "where": {"business_rule": "BR-001"}}""");
        seconds(8, () -> {
            for (int i = 0; i < 3; i++) sdk.attempt(AUTH, "failure", "BR-002");
            sdk.attempt(AUTH, "failure", "BR-001");
            sdk.attempt(AUTH, "success");
        });
        assertThat(h.alerts.isEmpty()).as("one BR-001 failure a second: 5 in the window, not 20").isTrue();
        seconds(8, () -> {
            for (int i = 0; i < 3; i++) sdk.attempt(AUTH, "failure", "BR-001");
        });
        assertThat(h.alerts.readValuesToList()).isNotEmpty().allSatisfy(a -> {
            assertThat(a.firing()).isTrue();
            assertThat(a.actual()).as("BR-001 failures only: 3 a second now").isGreaterThan(5.0).isLessThanOrEqualTo(15.0);
        });
    }

    @Test
    void noDataFiresWithNoInputAtAllAndResolvesWhenDataReturns() {
        h.putTarget(PERF + "/login_latency_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "window": "5s", "notify_no_data": true, "no_data_after": "10s"}""");
        h.idle(60); // not one record on any input topic
        List<Alert> alerts = h.alerts.readValuesToList();
        assertThat(alerts).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("no_data");
            assertThat(a.status()).isEqualTo("firing");
            assertThat(a.actual()).isNull();
            assertThat(a.events()).isZero();
        });
        List<JsonNode> statuses = statuses();
        assertThat(statuses.get(statuses.size() - 1).get("state").asText()).isEqualTo("no_data");

        seconds(5, latencies(100, 120, 140));
        assertThat(h.alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("no_data");
            assertThat(a.status()).isEqualTo("resolved");
            assertThat(a.resolvedReason()).isEqualTo("data_returned");
            assertThat(a.fingerprint()).isEqualTo(alerts.get(0).fingerprint());
        });
    }

    @Test
    void withoutNotifyNoDataSilenceNeverAlerts() {
        h.putTarget(PERF + "/login_latency_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "window": "5s", "no_data_after": "5s"}""");
        h.idle(120);
        assertThat(h.alerts.isEmpty()).isTrue();
    }

    @Test
    void forSuppressesAShortBlip() {
        h.putTarget(PERF + "/login_latency_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "window": "2s", "for": "6s"}""");
        seconds(6, latencies(100, 150));
        seconds(2, latencies(900, 950)); // a 2-second blip, shorter than `for`
        seconds(6, latencies(100, 150));
        assertThat(h.alerts.isEmpty()).as("the blip").isTrue();
        assertThat(statuses()).anySatisfy(s -> assertThat(s.get("state").asText()).isEqualTo("deviating"));
        seconds(12, latencies(900, 950)); // sustained
        assertThat(h.alerts.readValuesToList()).singleElement().satisfies(a -> assertThat(a.firing()).isTrue());
    }

    @Test
    void statusTopicShowsEveryStateAndUnattributedTelemetry() {
        h.putTarget(PERF + "/login_latency_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "window": "3s", "min_events": 10}""");
        seconds(4, latencies(100)); // 1 per second: fewer than min_events
        seconds(4, latencies(repeat(new double[] {100}, 10)));
        seconds(4, latencies(repeat(new double[] {900}, 10)));
        h.deleteTarget(PERF + "/login_latency_ms");
        h.tick();
        // telemetry without a requirement is reported per service
        h.sdk().span("health-check", Map.of(), h.now(), 1, false);
        h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
        try (io.homeostat.testing.SdkLogs logs = new io.homeostat.testing.SdkLogs("customer-portal")) {
            logs.log(io.opentelemetry.api.logs.Severity.ERROR, "disk full", Map.of(), h.now(), null);
            logs.log(io.opentelemetry.api.logs.Severity.INFO, "started", Map.of(), h.now(), null);
            h.logs.pipeInput(null, logs.batch(OtlpEncoding.PROTOBUF), h.now());
        }
        h.tick();

        List<TestRecord<String, byte[]>> records = h.status.readRecordsToList();
        List<String> states = new ArrayList<>();
        boolean tombstone = false;
        JsonNode unattributed = null;
        for (TestRecord<String, byte[]> r : records) {
            if (r.value() == null) {
                assertThat(r.key()).isEqualTo(PERF + "/login_latency_ms");
                tombstone = true;
                continue;
            }
            Schemas.assertValid("status.schema.json", r.value());
            JsonNode node = readTree(r.value());
            if (node.get("kind").asText().equals("unattributed")) unattributed = node;
            else states.add(node.get("state").asText());
        }
        assertThat(states).contains("insufficient_data", "ok", "firing");
        assertThat(tombstone).as("a deleted target's status is tombstoned").isTrue();
        assertThat(unattributed).isNotNull();
        assertThat(unattributed.get("service").asText()).isEqualTo("customer-portal");
        assertThat(unattributed.get("spans").asLong()).isEqualTo(1);
        assertThat(unattributed.get("log_records").asLong()).as("every log record without a requirement").isEqualTo(2);
    }

    @Test
    void anUnchangedStateIsRepublishedAtTheStatusIntervalNotEveryVerdict(@TempDir Path otherState) {
        try (TopologyHarness slow = new TopologyHarness(otherState, TopologyHarness.T0, java.time.Duration.ofSeconds(10))) {
            slow.putTarget("REQ-A/span.count", """
                    {"requirement": "REQ-A", "metric": "span.count", "target": 1, "operator": "gte", "window": "2s"}""");
            slow.seconds(25, "REQ-A", 5, new double[] {10}, 0); // ok all along: 25 verdicts
            List<TestRecord<String, byte[]>> records = slow.status.readRecordsToList();
            assertThat(records).hasSizeBetween(2, 4); // the first verdict, then a refresh every 10 s
            slow.seconds(3, "REQ-A", 0, new double[] {10}, 0); // no spans: state changes to no_data at once
            assertThat(slow.status.readRecordsToList()).extracting(r -> readTree(r.value()).get("state").asText())
                    .contains("no_data");
        }
    }

    @Test
    void telemetryFarInTheFutureIsDeadLettered() {
        sdk.latency(PERF, 100);
        h.pipeMetrics(sdk.collect(h.now().plusSeconds(3600), OtlpEncoding.PROTOBUF));
        h.sdk().spans(PERF, 3, h.now().plusSeconds(7200), new double[] {5}, 0);
        h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
        List<TestRecord<byte[], byte[]>> letters = h.deadLetters.readRecordsToList();
        assertThat(letters).hasSize(2).allSatisfy(letter -> {
            assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.CLASS))
                    .isEqualTo(FutureTimestampException.class.getName());
            assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.REASON)).contains("--max-future");
        });
        assertThat(h.counter("data-points-decoded")).isZero();
    }

    @Test
    void lateMetricDataIsCountedOnTheStatusTopic() {
        h.putTarget(PERF + "/login_latency_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "window": "5s"}""");
        try (SdkMetrics delta = new SdkMetrics("customer-portal", h.now(), true)) {
            h.idle(40);
            delta.latency(PERF, 100).latency(PERF, 200);
            h.pipeMetrics(delta.collect(h.now().minusSeconds(20), OtlpEncoding.PROTOBUF));
            h.idle(2);
        }
        assertThat(h.counter("late-events-dropped")).isEqualTo(2);
        List<JsonNode> statuses = statuses();
        assertThat(statuses.get(statuses.size() - 1).get("late_events").asLong()).isEqualTo(2);
    }

    static double[] repeat(double[] values, int times) {
        double[] out = new double[values.length * times];
        for (int i = 0; i < out.length; i++) out[i] = values[i % values.length];
        return out;
    }

    static JsonNode readTree(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

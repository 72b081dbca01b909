package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.model.Alert;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.Timestamps;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HomeostatTopologyTest {
    static final String PERF = "REQ-NFR-PERF-001";
    static final String PERF_ID = PERF + "/span.duration_ms";
    static final String LATENCY_TARGET = """
            {"requirement": "REQ-NFR-PERF-001", "metric": "span.duration_ms", "target": 500, "operator": "lt",
             "alert_threshold": 0.95, "description": "Login response time < 500ms", "window": "5s",
             "min_events": 10, "constraint": "C-001", "labels": {"team": "identity"}}""";
    /** 20 spans a second; healthy: all under 500 ms; degraded: 800 ms. */
    static final double[] HEALTHY = {120, 180, 240, 300, 150};
    static final double[] DEGRADED = {800};

    @TempDir Path stateDir;
    TopologyHarness h;

    @BeforeEach
    void start() {
        h = new TopologyHarness(stateDir);
        h.putTarget(PERF_ID, LATENCY_TARGET);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void healthyTrafficRaisesNoAlert() {
        h.seconds(15, PERF, 20, HEALTHY, 0);
        assertThat(h.alerts.isEmpty()).isTrue();
        assertThat(h.counter("spans-decoded")).isEqualTo(300);
        assertThat(h.counter("span-partials-forwarded")).as("one partial per batch, not per span").isEqualTo(15);
    }

    @Test
    void degradedTrafficFiresOneAlertWithTheContractsFields() {
        h.seconds(5, PERF, 20, HEALTHY, 0);
        h.seconds(10, PERF, 20, DEGRADED, 0);

        List<TestRecord<String, Alert>> fired = h.alerts.readRecordsToList();
        assertThat(fired).hasSize(1);
        TestRecord<String, Alert> record = fired.get(0);
        Alert a = record.value();
        assertThat(record.key()).isEqualTo(a.fingerprint());
        assertThat(a.status()).isEqualTo("firing");
        assertThat(a.kind()).isEqualTo("deviation");
        assertThat(a.targetId()).isEqualTo(PERF_ID);
        assertThat(a.requirement()).isEqualTo(PERF);
        assertThat(a.metric()).isEqualTo("span.duration_ms");
        assertThat(a.operator()).isEqualTo("lt");
        assertThat(a.target()).isEqualTo(500);
        assertThat(a.alertThreshold()).isEqualTo(0.95);
        assertThat(a.goodRatio()).isLessThan(0.95);
        assertThat(a.actual()).as("p95 of the window").isGreaterThan(500);
        assertThat(a.deviationPercent()).isCloseTo((a.actual() - 500) / 5, within(1e-6));
        assertThat(a.severity()).isEqualTo(a.deviationPercent() > 20 ? "critical" : "warning");
        assertThat(a.events()).isEqualTo(100); // 5 one-second slices of 20 spans
        assertThat(Timestamps.parse(a.windowEnd()) - Timestamps.parse(a.windowStart())).isEqualTo(5_000);
        assertThat(a.startsAt()).isEqualTo(a.timestamp());
        assertThat(a.endsAt()).isNull();
        assertThat(a.alertId()).isEqualTo(a.fingerprint() + "-" + Timestamps.parse(a.startsAt()));
        assertThat(a.description()).isEqualTo("Login response time < 500ms");
        assertThat(a.constraint()).isEqualTo("C-001");
        assertThat(a.labels()).containsEntry("team", "identity");
        assertThat(a.sampleTraceIds()).isNotEmpty().allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    @Test
    void fullyDegradedWindowReportsTheDegradedLatency() {
        h.seconds(10, PERF, 20, DEGRADED, 0);
        List<Alert> alerts = h.alerts.readValuesToList();
        assertThat(alerts).hasSize(1);
        Alert last = alerts.get(0);
        // every span took 800 ms: p95 is 800 within the sketch's 1 %, nothing was good
        h.seconds(5, PERF, 20, DEGRADED, 0);
        assertThat(h.alerts.isEmpty()).as("no repeat while unchanged").isTrue();
        assertThat(last.severity()).isEqualTo("critical");
        assertThat(last.goodRatio()).isZero();
        assertThat(last.actual()).isCloseTo(800, within(8.0));
    }

    @Test
    void recoveryResolvesTheAlert() {
        h.seconds(10, PERF, 20, DEGRADED, 0);
        Alert fired = h.alerts.readValue();
        h.seconds(10, PERF, 20, HEALTHY, 0);
        List<Alert> after = h.alerts.readValuesToList();
        assertThat(after).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("resolved");
            assertThat(r.fingerprint()).isEqualTo(fired.fingerprint());
            assertThat(r.alertId()).isEqualTo(fired.alertId());
            assertThat(r.endsAt()).isNotNull();
            assertThat(r.goodRatio()).isGreaterThanOrEqualTo(0.95);
            assertThat(r.resolvedReason()).isEqualTo("target_met");
        });
    }

    @Test
    void targetTombstoneResolvesItsAlertAndStopsEvaluation() {
        h.seconds(10, PERF, 20, DEGRADED, 0);
        assertThat(h.alerts.readValue().firing()).isTrue();
        h.deleteTarget(PERF_ID);
        h.tick();
        assertThat(h.alerts.readValuesToList()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("resolved");
            assertThat(r.resolvedReason()).isEqualTo("target_deleted");
        });
        h.seconds(10, PERF, 20, DEGRADED, 0);
        assertThat(h.alerts.isEmpty()).isTrue();
        assertThat(h.counter("targets-deleted")).isEqualTo(1);
    }

    @Test
    void undecodableRecordGoesToTheDeadLetterTopicAndTheNextRecordIsStillProcessed() {
        byte[] garbage = "definitely not OTLP".getBytes(StandardCharsets.UTF_8);
        h.spans.pipeInput("key-1".getBytes(StandardCharsets.UTF_8), garbage, h.now());
        h.seconds(10, PERF, 20, DEGRADED, 0);

        TestRecord<byte[], byte[]> letter = h.deadLetters.readRecord();
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("key-1");
        Headers headers = letter.headers();
        assertThat(header(headers, DeadLetters.REASON)).contains("not an OTLP ExportTraceServiceRequest");
        assertThat(header(headers, DeadLetters.CLASS)).isEqualTo("io.homeostat.otlp.OtlpDecodeException");
        assertThat(header(headers, DeadLetters.SOURCE_TOPIC)).isEqualTo("otlp_spans");
        assertThat(header(headers, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(headers, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(h.deadLetters.isEmpty()).isTrue();
        assertThat(h.alerts.readValuesToList()).hasSize(1);
        assertThat(h.counter("span-records-dead-lettered")).isEqualTo(1);
    }

    @Test
    void invalidTargetIsDeadLetteredAndThePreviousVersionStaysActive() {
        String broken = LATENCY_TARGET.replace("\"lt\"", "\"below\"");
        h.putTarget(PERF_ID, broken);
        TestRecord<byte[], byte[]> letter = h.deadLetters.readRecord();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo(broken);
        assertThat(header(letter.headers(), DeadLetters.REASON))
                .contains("unknown operator 'below'").contains("previous version stays active");
        assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("homeostasis.targets");

        h.seconds(10, PERF, 20, DEGRADED, 0);
        assertThat(h.alerts.readValuesToList()).singleElement()
                .satisfies(a -> assertThat(a.operator()).isEqualTo("lt"));
    }

    @Test
    void targetChangedLiveUsesTheNewThreshold() {
        double[] around300 = {280, 300, 320};
        h.seconds(8, PERF, 20, around300, 0);
        assertThat(h.alerts.isEmpty()).isTrue();
        h.putTarget(PERF_ID, LATENCY_TARGET.replace("\"target\": 500", "\"target\": 200"));
        h.seconds(2, PERF, 20, around300, 0);
        assertThat(h.alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.firing()).isTrue();
            assertThat(a.target()).isEqualTo(200);
            assertThat(a.actual()).isGreaterThan(200);
        });
    }

    @Test
    void successRateTargetUsesTheAlertLevel() {
        String auth = "REQ-F-AUTH-001";
        h.putTarget(auth + "/span.success_rate", """
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "window": "5s", "min_events": 10, "business_rules": "BR-001,BR-002"}""");
        h.seconds(8, auth, 100, HEALTHY, 1);   // 99 %: met
        h.seconds(8, auth, 100, HEALTHY, 2);   // 98 %: below the target, not below the alert level
        assertThat(h.alerts.isEmpty()).isTrue();
        h.seconds(8, auth, 100, HEALTHY, 5);   // 95 %: fires as soon as the window's rate drops below 98 %
        assertThat(h.alerts.readValuesToList()).singleElement().satisfies(a -> {
            assertThat(a.actual()).isLessThan(0.98).isGreaterThanOrEqualTo(0.95);
            assertThat(a.businessRules()).containsExactly("BR-001", "BR-002");
            assertThat(a.severity()).isEqualTo("warning"); // |0.95 − 0.99| / 0.99 = 4 %
        });
    }

    @Test
    void lateDataIsCountedNotMerged() {
        h.idle(40); // idle input: the wall clock closes slices (after the start-up allowance)
        // Spans that ended 20 s ago: their slice closed long ago.
        h.sdk().spans(PERF, 50, h.now().minusSeconds(20), DEGRADED, 0);
        h.pipeSpans(h.sdk().batch(io.homeostat.otlp.OtlpEncoding.PROTOBUF));
        h.idle(3);
        assertThat(h.counter("late-events-dropped")).isEqualTo(50);
        assertThat(h.alerts.isEmpty()).isTrue();
    }

    @Test
    void dataWithinGraceOfTheNewestIsOnTimeOlderIsLate() {
        // Slice 1 s, grace 1 s, on the data's clock (ten minutes behind the wall clock, as in a replay).
        java.time.Instant base = h.now().minus(java.time.Duration.ofMinutes(10));
        sendAt(base.plusMillis(500), 20);
        sendAt(base.plusMillis(2_050), 20); // the newest data: just past the start of the slice [2 s, 3 s)
        sendAt(base.plusMillis(1_500), 20); // 0.55 s behind the newest: on time, whatever slice it falls in
        assertThat(h.counter("late-events-dropped")).isZero();
        sendAt(base.plusMillis(500), 20); // 1.55 s behind the newest, a slice that ended over a grace ago: late
        assertThat(h.counter("late-events-dropped")).isEqualTo(20);
    }

    private void sendAt(java.time.Instant end, int spans) {
        h.sdk().spans(PERF, spans, end, HEALTHY, 0);
        h.pipeSpans(h.sdk().batch(io.homeostat.otlp.OtlpEncoding.PROTOBUF));
        h.tick();
    }

    @Test
    void dataBehindTheWallClockIsJudgedOnItsOwnClockNotDroppedAsLate() {
        // A replay, or a consumer catching up: every span ended ten minutes before it is processed.
        java.time.Duration lag = java.time.Duration.ofMinutes(10);
        for (int i = 0; i < 5; i++) h.secondBehind(lag, PERF, 20, HEALTHY, 0);
        for (int i = 0; i < 10; i++) h.secondBehind(lag, PERF, 20, DEGRADED, 0);
        assertThat(h.counter("late-events-dropped")).isZero();
        Alert fired = h.alerts.readValue();
        assertThat(fired.firing()).isTrue();
        assertThat(Timestamps.parse(fired.windowEnd()))
                .as("the window is placed in the data's time")
                .isLessThanOrEqualTo(h.now().minus(lag).toEpochMilli());
    }

    @Test
    void spansWithoutRequirementAreCountedPerService() {
        h.sdk().span("health-check", java.util.Map.of(), h.now(), 2, false);
        h.sdk().span("health-check", java.util.Map.of(), h.now(), 2, false);
        h.pipeSpans(h.sdk().batch(io.homeostat.otlp.OtlpEncoding.JSON));
        assertThat(h.counter("spans-unattributed")).isEqualTo(2);
        assertThat(h.driver.metrics().keySet()).anySatisfy(name -> {
            assertThat(name.name()).isEqualTo("spans-unattributed-total");
            assertThat(name.tags()).containsEntry("service", "customer-portal");
        });
    }

    static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }
}

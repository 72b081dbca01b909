package io.homeostat.forward;

import static io.homeostat.forward.BridgeFixture.await;
import static io.homeostat.forward.BridgeFixture.byTarget;
import static io.homeostat.forward.BridgeFixture.firing;
import static io.homeostat.forward.BridgeFixture.resolved;
import static io.homeostat.forward.BridgeFixture.withSeverity;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Alert;
import io.homeostat.model.DeadLetters;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.RealAlertmanager;
import io.homeostat.testing.WebhookRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge against a real Alertmanager ({@link RealAlertmanager}: Debian's prometheus-alertmanager, grouping by
 * requirement, calling a webhook) and a real broker: what Alertmanager shows, how it groups, what its webhook
 * is told, and what happens while Alertmanager is down.
 */
class AlertmanagerBridgeTest {
    static EmbeddedKafka kafka;

    @TempDir Path dir;

    @BeforeAll
    static void broker() throws Exception {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    static AlertBridge bridge(BridgeFixture f, RealAlertmanager am, Duration resend) {
        return new AlertBridge(f.settings(BridgeSettings.Mode.ALERTMANAGER, resend), f.kafka.clientProperties(),
                Receivers.alertmanager(List.of(am.url()), Duration.ofSeconds(5), Map.of(), resend),
                new AlertMapping(Map.of("cluster", "test"), "http://homeostat.example/status/{target_id}"));
    }

    /** Webhook messages (from Alertmanager) that carry the alert of this target with this status. */
    static Predicate<JsonNode> notifies(String targetId, String status) {
        return message -> {
            for (JsonNode alert : message.path("alerts")) {
                if (targetId.equals(alert.path("labels").path("target_id").asText())
                        && status.equals(alert.path("status").asText())) return true;
            }
            return false;
        };
    }

    @Test
    void aFiringAlertAppearsWithItsLabelsGroupedByRequirementAndAResolvedOneLeaves() throws Exception {
        BridgeFixture f = new BridgeFixture(kafka);
        try (WebhookRecorder hook = new WebhookRecorder(); RealAlertmanager am = new RealAlertmanager(dir, hook.url());
             BridgeFixture.Running running = BridgeFixture.run(bridge(f, am, Duration.ofSeconds(30)))) {
            long now = System.currentTimeMillis();
            Alert latency = firing("REQ-A/login_latency_ms", "REQ-A", "critical", now - 5_000);
            Alert errors = firing("REQ-A/span.error_rate", "REQ-A", "warning", now - 4_000);
            Alert other = firing("REQ-B/login_success_rate", "REQ-B", "warning", now - 3_000);
            f.publish(latency, errors, other);

            await("three alerts in Alertmanager", () -> am.alerts().size() == 3);
            JsonNode shown = byTarget(am.alerts(), "REQ-A/login_latency_ms").orElseThrow();
            assertThat(shown.path("labels")).isEqualTo(json(Map.of("alertname", "HomeostasisDeviation",
                    "requirement", "REQ-A", "metric", "login_latency_ms", "target_id", "REQ-A/login_latency_ms",
                    "severity", "critical", "team", "identity", "cluster", "test")));
            JsonNode annotations = shown.path("annotations");
            assertThat(annotations.path("summary").asText()).isEqualTo(
                    "REQ-A: login_latency_ms lt 500 violated, actual 750 (41.0% of events good, need 95%), 50.0% off target");
            assertThat(annotations.path("description").asText()).isEqualTo("Login response time < 500ms");
            assertThat(annotations.path("constraint").asText()).isEqualTo("C-001");
            assertThat(annotations.path("business_rules").asText()).isEqualTo("BR-001,BR-003");
            assertThat(annotations.path("sample_trace_ids").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(annotations.path("runbook_url").asText()).isEqualTo("https://example.invalid/runbooks/login");
            assertThat(annotations.path("homeostat_fingerprint").asText()).isEqualTo(latency.fingerprint());
            assertThat(java.time.Instant.parse(shown.path("startsAt").asText()))
                    .isEqualTo(java.time.Instant.parse(latency.startsAt()));
            assertThat(shown.path("generatorURL").asText()).isEqualTo("http://homeostat.example/status/REQ-A%2Flogin_latency_ms");
            assertThat(shown.path("status").path("state").asText()).isEqualTo("active");
            assertThat(shown.path("fingerprint").asText()).as("the bridge computes Alertmanager's own fingerprint")
                    .isEqualTo(new AlertMapping(Map.of("cluster", "test"), null).toAlertmanager(latency).fingerprint());

            JsonNode groups = am.get("alerts/groups");
            Map<String, Integer> sizes = new java.util.TreeMap<>();
            groups.forEach(g -> sizes.put(g.path("labels").path("requirement").asText(), g.path("alerts").size()));
            assertThat(sizes).as("grouped by requirement").isEqualTo(Map.of("REQ-A", 2, "REQ-B", 1));
            assertThat(groups).allSatisfy(g -> assertThat(g.path("labels").size()).isEqualTo(1));

            hook.await(notifies("REQ-A/login_latency_ms", "firing"), 1, BridgeFixture.TIMEOUT);
            hook.await(notifies("REQ-B/login_success_rate", "firing"), 1, BridgeFixture.TIMEOUT);
            await("offsets committed after Alertmanager accepted", f::committedToEnd);
            assertThat(f.stateTopic().keySet()).containsExactlyInAnyOrder(latency.fingerprint(), errors.fingerprint(),
                    other.fingerprint());

            f.publish(resolved(latency, System.currentTimeMillis()));
            await("the resolved alert leaves Alertmanager's active alerts",
                    () -> byTarget(am.alerts(), "REQ-A/login_latency_ms").isEmpty() && am.alerts().size() == 2);
            hook.await(notifies("REQ-A/login_latency_ms", "resolved"), 1, BridgeFixture.TIMEOUT);
            await("the resolved alert leaves the bridge's state", () -> !f.stateTopic().containsKey(latency.fingerprint()));
            assertThat(running.bridge().firing()).isEqualTo(2);
            assertThat(hook.received(notifies("REQ-A/login_latency_ms", "firing"))).as("no second firing notification")
                    .hasSize(1);
        }
    }

    @Test
    void aSeverityChangeEndsTheOldLabelSetAndFiresTheNew() throws Exception {
        BridgeFixture f = new BridgeFixture(kafka);
        try (WebhookRecorder hook = new WebhookRecorder(); RealAlertmanager am = new RealAlertmanager(dir, hook.url());
             BridgeFixture.Running ignored = BridgeFixture.run(bridge(f, am, Duration.ofSeconds(30)))) {
            Alert warning = firing("REQ-C/login_latency_ms", "REQ-C", "warning", System.currentTimeMillis() - 10_000);
            f.publish(warning);
            await("the warning in Alertmanager", () -> byTarget(am.alerts(), warning.targetId())
                    .map(a -> a.path("labels").path("severity").asText().equals("warning")).orElse(false));
            f.publish(withSeverity(warning, "critical", System.currentTimeMillis()));
            await("only the critical one left", () -> am.alerts().size() == 1 && byTarget(am.alerts(), warning.targetId())
                    .map(a -> a.path("labels").path("severity").asText().equals("critical")).orElse(false));
        }
    }

    @Test
    void alertmanagerDownForAWhileThenUpLosesNothing() throws Exception {
        BridgeFixture f = new BridgeFixture(kafka);
        try (WebhookRecorder hook = new WebhookRecorder(); RealAlertmanager am = new RealAlertmanager(dir, hook.url());
             BridgeFixture.Running running = BridgeFixture.run(bridge(f, am, Duration.ofSeconds(2)))) {
            Alert before = firing("REQ-D/login_latency_ms", "REQ-D", "critical", System.currentTimeMillis() - 60_000);
            f.publish(before);
            await("the first alert in Alertmanager", () -> byTarget(am.alerts(), before.targetId()).isPresent());
            await("its offset committed", f::committedToEnd);

            am.stop();
            long now = System.currentTimeMillis();
            Alert whileDown = firing("REQ-E/login_latency_ms", "REQ-E", "warning", now);
            Alert flapped = firing("REQ-F/span.error_rate", "REQ-F", "critical", now);
            f.publish(whileDown, flapped);
            f.publish(resolved(flapped, now + 1_000));
            await("the bridge failing to deliver, and saying how much waits",
                    () -> running.bridge().stats().failedAttempts() >= 3 && running.bridge().stats().waiting() > 0);
            assertThat(f.committedToEnd()).as("nothing committed while Alertmanager is down").isFalse();

            am.start(); // same port, same storage; the alerts it held in memory are gone
            await("the alert published while it was down", () -> byTarget(am.alerts(), whileDown.targetId()).isPresent());
            await("the alert that was firing before, re-sent from the bridge's view",
                    () -> byTarget(am.alerts(), before.targetId()).isPresent());
            await("offsets committed once delivered", f::committedToEnd);
            assertThat(byTarget(am.alerts(), flapped.targetId())).as("fired and resolved while down: not active").isEmpty();
            hook.await(notifies(whileDown.targetId(), "firing"), 1, BridgeFixture.TIMEOUT);
            assertThat(running.bridge().stats().waiting()).isZero();
            assertThat(f.stateTopic().keySet()).containsExactlyInAnyOrder(before.fingerprint(), whileDown.fingerprint());
        }
    }

    @Test
    void whatCannotBeDeliveredGoesToTheDeadLetterTopicWithTheReasonAndTheRestFlows() throws Exception {
        BridgeFixture f = new BridgeFixture(kafka);
        try (WebhookRecorder hook = new WebhookRecorder(); RealAlertmanager am = new RealAlertmanager(dir, hook.url());
             BridgeFixture.Running running = BridgeFixture.run(bridge(f, am, Duration.ofSeconds(30)))) {
            long now = System.currentTimeMillis();
            Alert good = firing("REQ-G/login_latency_ms", "REQ-G", "warning", now);
            Alert impossible = resolved(firing("REQ-H/login_latency_ms", "REQ-H", "warning", now), now - 3_600_000);
            f.publishRaw("not-an-alert", "{\"hello\": ".getBytes(StandardCharsets.UTF_8));
            f.publish(impossible, good);
            await("the good alert in Alertmanager", () -> byTarget(am.alerts(), good.targetId()).isPresent());
            await("offsets committed past the bad records", f::committedToEnd);
            List<ConsumerRecord<byte[], byte[]>> dead = f.readAll(f.deadLetterTopic);
            assertThat(dead).hasSize(2);
            List<String> reasons = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : dead) {
                reasons.add(new String(record.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8));
                assertThat(new String(record.headers().lastHeader(DeadLetters.SOURCE_TOPIC).value(), StandardCharsets.UTF_8))
                        .isEqualTo(f.alertsTopic);
            }
            assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("unreadable alert"));
            assertThat(reasons).anySatisfy(r -> assertThat(r).contains("refused the alert", "HTTP 400", "start time must be before end time"));
            assertThat(running.bridge().stats().deadLettered()).isEqualTo(2);
        }
    }

    static JsonNode json(Map<String, String> map) {
        return io.homeostat.model.Json.MAPPER.valueToTree(new java.util.TreeMap<>(map));
    }
}

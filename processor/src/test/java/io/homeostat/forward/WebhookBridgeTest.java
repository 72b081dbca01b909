package io.homeostat.forward;

import static io.homeostat.forward.BridgeFixture.await;
import static io.homeostat.forward.BridgeFixture.firing;
import static io.homeostat.forward.BridgeFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Alert;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.WebhookRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code --webhook}: Alertmanager's webhook payload straight from the bridge, with the same delivery guarantees. */
class WebhookBridgeTest {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    static Predicate<JsonNode> group(String requirement) {
        return m -> requirement.equals(m.path("groupLabels").path("requirement").asText());
    }

    @Test
    void messagesInAlertmanagersShapeGroupedByRequirementAndNothingLostWhileTheReceiverFails() throws Exception {
        BridgeFixture f = new BridgeFixture(kafka);
        try (WebhookRecorder hook = new WebhookRecorder();
             BridgeFixture.Running running = BridgeFixture.run(new AlertBridge(
                     f.settings(BridgeSettings.Mode.WEBHOOK, Duration.ofSeconds(1)), kafka.clientProperties(),
                     Receivers.webhook(List.of(hook.url()), Duration.ofSeconds(5), Map.of(), "homeostat",
                             "http://homeostat.example"), new AlertMapping(Map.of("cluster", "test"), null)))) {
            long now = System.currentTimeMillis();
            Alert latency = firing("REQ-W/login_latency_ms", "REQ-W", "critical", now - 2_000);
            Alert errors = firing("REQ-W/span.error_rate", "REQ-W", "warning", now - 1_000);
            Alert other = firing("REQ-X/login_success_rate", "REQ-X", "warning", now);
            f.publish(latency, errors, other);

            hook.await(group("REQ-X"), 1, BridgeFixture.TIMEOUT);
            await("both REQ-W alerts notified", () -> hook.received(group("REQ-W")).stream()
                    .mapToInt(m -> m.path("alerts").size()).sum() >= 2);
            JsonNode message = hook.received(group("REQ-X")).get(0);
            assertThat(message.path("version").asText()).isEqualTo("4");
            assertThat(message.path("groupKey").asText()).isEqualTo("{}:{requirement=\"REQ-X\"}");
            assertThat(message.path("status").asText()).isEqualTo("firing");
            assertThat(message.path("receiver").asText()).isEqualTo("homeostat");
            assertThat(message.path("externalURL").asText()).isEqualTo("http://homeostat.example");
            assertThat(message.path("truncatedAlerts").asInt()).isZero();
            assertThat(message.path("commonLabels").path("cluster").asText()).isEqualTo("test");
            JsonNode alert = message.path("alerts").get(0);
            assertThat(alert.path("status").asText()).isEqualTo("firing");
            assertThat(alert.path("endsAt").asText()).isEqualTo(WebhookMessage.ZERO_TIME);
            assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("HomeostasisDeviation");
            assertThat(alert.path("fingerprint").asText()).matches("[0-9a-f]{16}")
                    .isEqualTo(new AlertMapping(Map.of("cluster", "test"), null).toAlertmanager(other).fingerprint());
            await("offsets committed", f::committedToEnd);

            hook.answer(503);
            f.publish(resolved(latency, System.currentTimeMillis()));
            await("the bridge retrying", () -> hook.refused() >= 3 && running.bridge().stats().waiting() == 1);
            assertThat(f.committedToEnd()).as("not committed while the webhook fails").isFalse();
            hook.answer(0);

            Predicate<JsonNode> resolvedLatency = m -> {
                for (JsonNode a : m.path("alerts")) {
                    if (a.path("labels").path("target_id").asText().equals(latency.targetId())
                            && a.path("status").asText().equals("resolved")) return true;
                }
                return false;
            };
            JsonNode afterOutage = hook.await(resolvedLatency, 1, BridgeFixture.TIMEOUT).get(0);
            assertThat(afterOutage.path("status").asText()).as("the group still has a firing alert").isEqualTo("firing");
            assertThat(afterOutage.path("alerts")).extracting(a -> a.path("labels").path("target_id").asText() + " "
                    + a.path("status").asText()).containsExactlyInAnyOrder(latency.targetId() + " resolved",
                    errors.targetId() + " firing");
            await("offsets committed once accepted", f::committedToEnd);
            Thread.sleep(2_000); // a few re-send rounds: webhooks repeat only after --repeat-interval (1h here)
            assertThat(hook.received(resolvedLatency)).as("told once").hasSize(1);
            assertThat(f.stateTopic().keySet()).containsExactlyInAnyOrder(errors.fingerprint(), other.fingerprint());
        }
    }
}

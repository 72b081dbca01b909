package io.homeostat.forward;

import static io.homeostat.forward.AlertmanagerBridgeTest.notifies;
import static io.homeostat.forward.BridgeFixture.await;
import static io.homeostat.forward.BridgeFixture.byTarget;
import static io.homeostat.forward.BridgeFixture.firing;
import static io.homeostat.forward.BridgeFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.Alert;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.RealAlertmanager;
import io.homeostat.testing.WebhookRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code homeostat alerts forward} as users run it, in its own JVM (configured by a --config file and the
 * environment), killed with SIGKILL and started again: Alertmanager's webhook receiver is told of each alert
 * once, a resolved alert is not resurrected, an alert still firing is re-sent by the new bridge.
 */
class BridgeRestartTest {
    static EmbeddedKafka kafka;

    @TempDir Path dir;
    private int starts;

    @BeforeAll
    static void broker() throws Exception {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    /** A bridge process, started as the README says (a config file, Kafka from the environment). */
    final class BridgeProcess implements AutoCloseable {
        final Process process;
        final Path log;
        final Instant started = Instant.now();

        BridgeProcess(BridgeFixture f, RealAlertmanager am) throws Exception {
            Path config = dir.resolve("forward.yml");
            Files.writeString(config, """
                    alertmanager: [%s]
                    alerts-topic: %s
                    dlq-topic: %s
                    group_id: %s
                    resend-interval: 1s
                    stats-interval: 0s
                    label: {cluster: test}
                    """.formatted(am.url(), f.alertsTopic, f.deadLetterTopic, f.groupId));
            log = dir.resolve("bridge-" + (++starts) + ".log");
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.homeostat.cli.Homeostat",
                    "alerts", "forward", "--config", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("HOMEOSTAT_BOOTSTRAP_SERVERS", f.kafka.bootstrapServers());
            process = builder.start();
        }

        String output() throws Exception {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        void awaitStarted() throws Exception {
            await("the bridge process forwarding (" + log + ")", () -> {
                if (!process.isAlive()) throw new AssertionError("the bridge exited: " + output());
                return output().contains("firing alert(s) restored");
            });
        }

        void kill() throws Exception {
            process.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed or committed
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) kill();
        }
    }

    @Test
    void killedAndRestartedTheBridgeCausesNoDuplicateNotificationAndResurrectsNothing() throws Exception {
        BridgeFixture f = new BridgeFixture(kafka);
        try (WebhookRecorder hook = new WebhookRecorder(); RealAlertmanager am = new RealAlertmanager(dir, hook.url())) {
            long now = System.currentTimeMillis();
            Alert latency = firing("REQ-K/login_latency_ms", "REQ-K", "critical", now - 30_000);
            try (BridgeProcess first = new BridgeProcess(f, am)) {
                first.awaitStarted();
                f.publish(latency);
                hook.await(notifies(latency.targetId(), "firing"), 1, BridgeFixture.TIMEOUT);
                await("the offset committed", f::committedToEnd);
                first.kill();
            }
            try (BridgeProcess second = new BridgeProcess(f, am)) {
                second.awaitStarted();
                assertThat(second.output()).contains("1 firing alert(s) restored", "resolve_timeout 5m")
                        .contains("version " + am.version());
                await("the restarted bridge re-sending the firing alert", () -> byTarget(am.alerts(), latency.targetId())
                        .map(a -> Instant.parse(a.path("updatedAt").asText()).isAfter(second.started)).orElse(false));
                Thread.sleep(4_000); // several group_intervals (1 s): time for a duplicate notification to show
                assertThat(hook.received(notifies(latency.targetId(), "firing"))).as("one firing notification").hasSize(1);

                // Killed right after an alert was published: delivered or not, committed or not, it is told once.
                Alert errors = firing("REQ-L/span.error_rate", "REQ-L", "warning", System.currentTimeMillis());
                f.publish(errors);
                second.kill();
                try (BridgeProcess third = new BridgeProcess(f, am)) {
                    third.awaitStarted();
                    hook.await(notifies(errors.targetId(), "firing"), 1, BridgeFixture.TIMEOUT);
                    await("the offset committed", f::committedToEnd);

                    f.publish(resolved(latency, System.currentTimeMillis()));
                    hook.await(notifies(latency.targetId(), "resolved"), 1, BridgeFixture.TIMEOUT);
                    await("the resolved alert out of the bridge's state",
                            () -> !f.stateTopic().containsKey(latency.fingerprint()));
                    third.kill();
                }
            }
            try (BridgeProcess fourth = new BridgeProcess(f, am)) {
                fourth.awaitStarted();
                assertThat(fourth.output()).contains("1 firing alert(s) restored");
                await("the still-firing alert re-sent", () -> byTarget(am.alerts(), "REQ-L/span.error_rate")
                        .map(a -> Instant.parse(a.path("updatedAt").asText()).isAfter(fourth.started)).orElse(false));
                Thread.sleep(4_000);
                assertThat(byTarget(am.alerts(), latency.targetId())).as("the resolved alert stays resolved").isEmpty();
                assertThat(hook.received(notifies(latency.targetId(), "firing"))).as("told once that it fired").hasSize(1);
                assertThat(hook.received(notifies("REQ-L/span.error_rate", "firing"))).as("told once that it fired")
                        .hasSize(1);
                assertThat(hook.received(notifies(latency.targetId(), "resolved"))).as("told once that it resolved").hasSize(1);

                fourth.process.destroy(); // SIGTERM: stops, and says so
                assertThat(fourth.process.waitFor(60, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
                assertThat(fourth.output()).contains("Signal received, stopping the alert bridge");
            }
            assertThat(List.copyOf(f.stateTopic().keySet())).containsExactly(
                    firing("REQ-L/span.error_rate", "REQ-L", "warning", 0).fingerprint());
        }
    }
}

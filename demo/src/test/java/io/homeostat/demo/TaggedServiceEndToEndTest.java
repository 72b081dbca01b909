package io.homeostat.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.cli.Homeostat;
import io.homeostat.examples.login.SimulatedSessionStore.Behaviour;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import io.homeostat.model.ProductionIssue;
import io.homeostat.tagging.Requirement;
import io.homeostat.tagging.RequirementLogger;
import io.homeostat.testing.EmbeddedKafka;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A service tagged with homeostat-tagging, end to end on a real Kafka broker: the example login service,
 * recording with the OpenTelemetry SDK and the tagging processors and exporting with homeostat-exporter-kafka,
 * degrades; the real {@code homeostat run} raises the seed's alerts and a production issue, with the
 * requirement, business rules, constraints and trace ids the service recorded. Its ERROR log lines, with and
 * without a span, become production issues of their requirements too.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TaggedServiceEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    @TempDir Path stateDir;

    @Test
    void aTaggedServiceDegradesAndHomeostatRaisesTheAlertAndTheIssueWithItsRequirementBusinessRulesAndTraceIds() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            Thread processor = new Thread(() -> Homeostat.commandLine(Map.of()).execute("run",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--application-id", "homeostat-tagged-e2e",
                    "--state-dir", stateDir.toString(), "--slice", "1s", "--grace", "1s", "--partitions", "2",
                    "--stats-interval", "0s", "--no-http"), "homeostat-run");
            processor.start();
            InMemorySpanExporter recorded = InMemorySpanExporter.create();
            List<Alert> alerts = new ArrayList<>();
            List<ProductionIssue> issues = new ArrayList<>();
            List<SpanData> spans = new ArrayList<>(); // what the service recorded (the exporter forgets at shutdown)
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer());
                 KafkaConsumer<byte[], byte[]> alertConsumer = consumer(kafka, "homeostasis.alerts");
                 KafkaConsumer<byte[], byte[]> issueConsumer = consumer(kafka, "homeostasis.issues")) {
                // The seed's two targets, with short windows.
                target(producer, "REQ-NFR-PERF-001/login_latency_ms", """
                        {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                         "alert_threshold": 0.95, "window": "4s", "min_events": 20, "constraint": "C-001"}""");
                target(producer, "REQ-F-AUTH-001/span.success_rate", """
                        {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                         "alert_threshold": 0.98, "window": "4s", "min_events": 20, "business_rules": ["BR-001", "BR-002", "BR-003"]}""");

                try (DemoService service = new DemoService(producer, new DemoService.Topics("otlp_spans", "otlp_metrics", "otlp_logs"),
                        KafkaExporterEncoding.OTLP_PROTO, 7, 1.0, List.of(SimpleSpanProcessor.create(recorded)))) {
                    Behaviour down = new Behaviour("down", 700, 0.3, 0.25);
                    long deadline = System.nanoTime() + WAIT.toNanos();
                    while (!(firing(alerts, "REQ-NFR-PERF-001") && firing(alerts, "REQ-F-AUTH-001") && !issues.isEmpty())) {
                        assertThat(System.nanoTime()).as("alerts %s, issues %s", alerts, issues).isLessThan(deadline);
                        service.phase(down, Duration.ofSeconds(2), 40);
                        poll(alertConsumer, Alert.class, alerts);
                        poll(issueConsumer, ProductionIssue.class, issues);
                    }

                    // ERROR lines: a plain SLF4J line inside a requirement's call, and a RequirementLogger line with
                    // its own requirement and business rule outside any span.
                    Requirement reset = Requirement.of("REQ-F-AUTH-002").businessRules("BR-004").constraints("C-002");
                    reset.run("resetPassword", () -> LoggerFactory.getLogger("io.homeostat.examples.login.PasswordReset")
                            .error("Password reset failed", new IllegalStateException("mail relay rejected the reset mail")));
                    RequirementLogger.of(LoggerFactory.getLogger("io.homeostat.examples.login.Audit"),
                                    Requirement.of("REQ-F-AUDIT-001").businessRules("BR-009"))
                            .error("Audit trail write failed", new IllegalStateException("audit store read-only"), "business_rule", "BR-010");
                    spans.addAll(recorded.getFinishedSpanItems());
                }
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!(issue(issues, "REQ-F-AUTH-002") != null && issue(issues, "REQ-F-AUDIT-001") != null)) {
                    assertThat(System.nanoTime()).as("issues %s", issues).isLessThan(deadline);
                    poll(issueConsumer, ProductionIssue.class, issues);
                }
            } finally {
                processor.interrupt();
                processor.join(60_000);
            }

            Set<String> traceIds = spans.stream().map(SpanData::getTraceId).collect(Collectors.toSet());
            Set<String> failedLoginTraces = spans.stream()
                    .filter(s -> s.getName().equals("REQ-F-AUTH-001:login") && s.getStatus().getStatusCode() == StatusCode.ERROR)
                    .map(SpanData::getTraceId).collect(Collectors.toSet());
            assertThat(failedLoginTraces).isNotEmpty();

            Alert latency = alerts.stream().filter(a -> a.firing() && a.requirement().equals("REQ-NFR-PERF-001")).findFirst().orElseThrow();
            assertThat(latency.metric()).isEqualTo("login_latency_ms");
            assertThat(latency.constraint()).isEqualTo("C-001");
            assertThat(latency.actual()).isGreaterThan(500);
            Alert success = alerts.stream().filter(a -> a.firing() && a.requirement().equals("REQ-F-AUTH-001")).findFirst().orElseThrow();
            assertThat(success.metric()).isEqualTo("span.success_rate");
            assertThat(success.businessRules()).containsExactly("BR-001", "BR-002", "BR-003");
            assertThat(success.actual()).isLessThan(0.98);
            assertThat(success.sampleTraceIds()).isNotEmpty().allMatch(traceIds::contains);

            ProductionIssue login = issue(issues, "REQ-F-AUTH-001");
            assertThat(login.businessRules()).containsExactly("BR-001", "BR-002", "BR-003");
            assertThat(login.constraints()).containsExactly("C-001");
            assertThat(login.service()).isEqualTo("customer-portal");
            assertThat(login.errorType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(login.normalizedMessage()).isEqualTo("Session store unavailable: timeout after <n>ms for user <user>");
            assertThat(login.traceId()).as("the trace of a failed login").isIn(failedLoginTraces);
            assertThat(login.sampleTraceIds()).allMatch(failedLoginTraces::contains);
            assertThat(issues).as("the endpoint answers 500 without an exception of its own: one bug, one issue")
                    .noneMatch(i -> i.requirement().equals("REQ-NFR-PERF-001"));

            ProductionIssue reset = issue(issues, "REQ-F-AUTH-002");
            assertThat(reset.businessRules()).containsExactly("BR-004");
            assertThat(reset.constraints()).containsExactly("C-002");
            assertThat(reset.errorType()).isEqualTo("java.lang.IllegalStateException");
            String resetTrace = spans.stream().filter(s -> s.getName().equals("REQ-F-AUTH-002:resetPassword"))
                    .findFirst().orElseThrow().getTraceId();
            assertThat(reset.traceId()).as("the log line's trace is its span's").isEqualTo(resetTrace);

            ProductionIssue audit = issue(issues, "REQ-F-AUDIT-001");
            assertThat(audit.businessRules()).as("the line's business_rule").containsExactly("BR-010");
            assertThat(audit.errorMessage()).isEqualTo("Audit trail write failed");
        }
    }

    private static boolean firing(List<Alert> alerts, String requirement) {
        return alerts.stream().anyMatch(a -> a.firing() && a.requirement().equals(requirement));
    }

    private static ProductionIssue issue(List<ProductionIssue> issues, String requirement) {
        return issues.stream().filter(i -> i.requirement().equals(requirement)).findFirst().orElse(null);
    }

    private static void target(KafkaProducer<byte[], byte[]> producer, String id, String json) throws Exception {
        producer.send(new ProducerRecord<>("homeostasis.targets", id.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static <T> void poll(KafkaConsumer<byte[], byte[]> consumer, Class<T> type, List<T> into) throws Exception {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            into.add(Json.MAPPER.readValue(record.value(), type));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafka kafka, String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "tagged-e2e-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}

package io.homeostat.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.aggregate.UnusableTelemetryException;
import io.homeostat.cli.Homeostat;
import io.homeostat.model.Alert;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.otlp.OtlpDecodeException;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.SdkSpans;
import io.homeostat.topology.FutureTimestampException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison records between good ones on a real broker, through the real {@code homeostat run} (exactly-once, the
 * shipped Streams settings and exception handlers): the reported crash (an exponential histogram at scale -10 with
 * a bucket at offset 1), undecodable bytes, spans that end before they start or after the year 2262, a log body
 * nested past protobuf's limit, an invalid target, and a record the processor cannot read on its own repartition
 * topic. The processor stays RUNNING with every stream thread alive, the good spans fire their alert, and each
 * poison record is on the dead-letter topic with its reason.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PoisonOnBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String APP = "homeostat-poison";
    private static final String REQUIREMENT = "REQ-F-POISON-001";

    static EmbeddedKafka kafka;
    @TempDir static Path stateDir;
    static Thread processor;
    static final AtomicInteger exitCode = new AtomicInteger(-1);

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka();
        processor = new Thread(() -> exitCode.set(Homeostat.commandLine(Map.of()).execute("run",
                "--bootstrap-servers", kafka.bootstrapServers(), "--application-id", APP,
                "--state-dir", stateDir.toString(), "--slice", "1s", "--grace", "1s", "--partitions", "2",
                "--stats-interval", "0s", "--no-http")), "homeostat-run");
        processor.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (processor != null) {
            processor.interrupt();
            processor.join(60_000);
        }
        if (kafka != null) kafka.close();
    }

    @Test
    void poisonRecordsBetweenGoodOnesLeaveTheProcessorRunningAndTheGoodOnesAlert() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(),
                new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> alerts = consumer("homeostasis.alerts");
             KafkaConsumer<byte[], byte[]> deadLetters = consumer("homeostasis.dlq");
             SdkSpans sdk = new SdkSpans("checkout")) {
            send(producer, "homeostasis.targets", REQUIREMENT + "/span.error_rate", """
                    {"requirement": "%s", "metric": "span.error_rate", "target": 0.01, "operator": "lte", "window": "2s",
                     "min_events": 5}""".formatted(REQUIREMENT).getBytes(StandardCharsets.UTF_8), null);

            // What each poison record is, and the class its dead letter must name.
            Map<String, String> expected = new HashMap<>();
            Runnable poison = () -> {
                try {
                    long now = System.currentTimeMillis() * 1_000_000L;
                    expected.put("scale-minus-10", UnusableTelemetryException.class.getName());
                    send(producer, "otlp_metrics", "scale-minus-10", """
                            {"resourceMetrics": [{"scopeMetrics": [{"metrics": [{"name": "odd_latency_ms",
                              "exponentialHistogram": {"aggregationTemporality": 1, "dataPoints": [{
                               "attributes": [{"key": "requirement", "value": {"stringValue": "%s"}}],
                               "timeUnixNano": "%d", "count": "3", "sum": 3.0, "scale": -10,
                               "positive": {"offset": 1, "bucketCounts": ["3"]}}]}}]}]}]}"""
                            .formatted(REQUIREMENT, now).getBytes(StandardCharsets.UTF_8), "application/json");
                    expected.put("truncated-spans", OtlpDecodeException.class.getName());
                    sdk.spans(REQUIREMENT, 20, Instant.now(), new double[] {5}, 0);
                    byte[] spans = sdk.batch(OtlpEncoding.PROTOBUF);
                    send(producer, "otlp_spans", "truncated-spans", Arrays.copyOf(spans, spans.length / 2), null);
                    expected.put("ends-before-it-starts", UnusableTelemetryException.class.getName());
                    send(producer, "otlp_spans", "ends-before-it-starts", spans(span(now, now - 5_000_000)), null);
                    expected.put("after-2262", FutureTimestampException.class.getName());
                    send(producer, "otlp_spans", "after-2262", spans(span(now, Long.MIN_VALUE)), null);
                    expected.put("nested-log-body", OtlpDecodeException.class.getName());
                    send(producer, "otlp_logs", "nested-log-body", nestedLog(150), null);
                    expected.put("invalid-target", InvalidTargetException.class.getName());
                    send(producer, "homeostasis.targets", "invalid-target",
                            "{\"requirement\": \"REQ-X\", \"metric\": \"span.count\", \"target\": 1e999, \"window\": \"-1s\"}"
                                    .getBytes(StandardCharsets.UTF_8), null);
                    // A record of the processor's own repartition topic that it cannot read: the deserialization handler.
                    expected.put("unreadable-repartition-record", null);
                    send(producer, APP + "-requirement-events-repartition", "unreadable-repartition-record",
                            new byte[] {42, 42, 42}, null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };

            awaitTopic(APP + "-requirement-events-repartition"); // the processor is up and has made its internal topics
            List<Alert> seen = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            int round = 0;
            while (seen.stream().noneMatch(a -> a.firing() && a.requirement().equals(REQUIREMENT))) {
                assertThat(System.nanoTime()).as("waiting for the alert of the good spans; seen %s", seen).isLessThan(deadline);
                if (round++ % 10 == 0) poison.run(); // poison again and again, between the good records
                sdk.spans(REQUIREMENT, 10, Instant.now(), new double[] {20}, 3); // 30 % errors: violates lte 0.01
                send(producer, "otlp_spans", null, sdk.batch(round % 2 == 0 ? OtlpEncoding.JSON : OtlpEncoding.PROTOBUF), null);
                for (ConsumerRecord<byte[], byte[]> record : alerts.poll(Duration.ofMillis(200))) {
                    seen.add(Json.MAPPER.readValue(record.value(), Alert.class));
                }
            }

            Map<String, ConsumerRecord<byte[], byte[]>> letters = new HashMap<>();
            long lettersDeadline = System.nanoTime() + WAIT.toNanos();
            while (!letters.keySet().containsAll(expected.keySet()) && System.nanoTime() < lettersDeadline) {
                for (ConsumerRecord<byte[], byte[]> letter : deadLetters.poll(Duration.ofMillis(200))) {
                    if (letter.key() != null) letters.putIfAbsent(new String(letter.key(), StandardCharsets.UTF_8), letter);
                }
            }
            assertThat(letters).containsKeys(expected.keySet().toArray(String[]::new));
            expected.forEach((key, type) -> {
                ConsumerRecord<byte[], byte[]> letter = letters.get(key);
                assertThat(header(letter, DeadLetters.REASON)).as("reason of %s", key).isNotBlank();
                if (type != null) assertThat(header(letter, DeadLetters.CLASS)).as("class of %s", key).isEqualTo(type);
                assertThat(header(letter, DeadLetters.SOURCE_TOPIC)).as("source of %s", key).isNotBlank();
            });
            assertThat(header(letters.get("scale-minus-10"), DeadLetters.REASON))
                    .contains("positive bucket index 1 at scale -10 covers values beyond the range of a double");
            assertThat(header(letters.get("unreadable-repartition-record"), DeadLetters.REASON))
                    .startsWith("cannot read a record of " + APP + "-requirement-events-repartition");
        }
        assertThat(processor.isAlive()).as("homeostat run is still running").isTrue();
        assertThat(exitCode.get()).isEqualTo(-1);
        Map<String, Object> client = streamsClientMetrics();
        assertThat(client).containsEntry("state", "RUNNING");
        assertThat(((Number) client.get("failed-stream-threads")).intValue()).as("stream threads that died").isZero();
        assertThat(((Number) client.get("alive-stream-threads")).intValue()).isEqualTo(1);
    }

    private static void awaitTopic(String topic) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            while (!admin.listTopics().names().get().contains(topic)) {
                assertThat(System.nanoTime()).as("waiting for the topic %s", topic).isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    /** Kafka Streams' client metrics of the running processor, from JMX. */
    private static Map<String, Object> streamsClientMetrics() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.streams:type=stream-metrics,*"), null);
        for (ObjectName name : names) {
            if (!String.valueOf(name.getKeyProperty("client-id")).startsWith(APP)) continue; // client ids start with the application id
            Map<String, Object> values = new HashMap<>();
            List<String> attributes = Arrays.stream(server.getMBeanInfo(name).getAttributes()).map(a -> a.getName()).toList();
            if (!attributes.contains("alive-stream-threads")) continue; // another of the client's beans
            for (String attribute : List.of("state", "alive-stream-threads", "failed-stream-threads")) {
                values.put(attribute, server.getAttribute(name, attribute));
            }
            return values;
        }
        throw new AssertionError("no Kafka Streams client of " + APP + " in JMX: " + names);
    }

    private static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static Span span(long start, long end) {
        return Span.newBuilder().setName("checkout").setStartTimeUnixNano(start).setEndTimeUnixNano(end)
                .addAttributes(attribute("requirement", REQUIREMENT)).build();
    }

    private static byte[] spans(Span span) {
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray();
    }

    private static byte[] nestedLog(int depth) {
        AnyValue body = AnyValue.newBuilder().setStringValue("bottom").build();
        for (int i = 0; i < depth; i++) body = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(body)).build();
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
                .addLogRecords(LogRecord.newBuilder().setBody(body).addAttributes(attribute("requirement", REQUIREMENT)))))
                .build().toByteArray();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value,
                             String contentType) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        if (contentType != null) headers.add("content-type", contentType.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value,
                headers)).get();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        var header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "poison-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}

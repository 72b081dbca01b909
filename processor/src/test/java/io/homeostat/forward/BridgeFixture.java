package io.homeostat.forward;

import io.homeostat.cli.TopicProvisioner;
import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Fingerprints;
import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import io.homeostat.model.Timestamps;
import io.homeostat.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Alerts on a real broker for the bridge's tests: topics, alerts written as the processor writes them, offsets. */
final class BridgeFixture {
    static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final AtomicInteger NEXT = new AtomicInteger();

    final EmbeddedKafka kafka;
    final String alertsTopic;
    final String deadLetterTopic;
    final String groupId;

    BridgeFixture(EmbeddedKafka kafka) throws Exception {
        this.kafka = kafka;
        int n = NEXT.incrementAndGet();
        alertsTopic = "alerts-" + n;
        deadLetterTopic = "dlq-" + n;
        groupId = "bridge-" + n;
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(alertsTopic, 3, (short) 1), new NewTopic(deadLetterTopic, 1, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
            TopicProvisioner.awaitWritable(admin, List.of(alertsTopic, deadLetterTopic));
        }
    }

    BridgeSettings settings(BridgeSettings.Mode mode, Duration resendInterval) {
        return new BridgeSettings(alertsTopic, deadLetterTopic, null, groupId, mode, resendInterval,
                mode == BridgeSettings.Mode.WEBHOOK ? Duration.ofHours(1) : Duration.ZERO, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofSeconds(5), (short) -1);
    }

    /** A deviation alert as the processor writes it (target labels team=identity, a runbook, a trace). */
    static Alert firing(String targetId, String requirement, String severity, long startsAt) {
        Map<String, String> labels = Map.of("team", "identity");
        String fingerprint = Fingerprints.alert(targetId, labels);
        String at = Timestamps.format(startsAt);
        return new Alert(fingerprint, Fingerprints.alertId(fingerprint, startsAt), Alert.FIRING, Alert.KIND_DEVIATION,
                targetId, requirement, targetId.substring(targetId.indexOf('/') + 1), "lt", 500, 0.95, 750.0, 0.41, 50.0,
                severity, 1200, Timestamps.format(startsAt - 60_000), at, at, null, at, null, "Login response time < 500ms",
                "C-001", List.of("BR-001", "BR-003"), labels, Map.of("runbook", "https://example.invalid/runbooks/login"),
                List.of("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    /** The same episode with another severity (a new firing record, as the processor publishes on a change). */
    static Alert withSeverity(Alert a, String severity, long at) {
        return new Alert(a.fingerprint(), a.alertId(), Alert.FIRING, a.kind(), a.targetId(), a.requirement(), a.metric(),
                a.operator(), a.target(), a.alertThreshold(), a.actual(), a.goodRatio(), a.deviationPercent(), severity,
                a.events(), a.windowStart(), a.windowEnd(), a.startsAt(), null, Timestamps.format(at), null, a.description(),
                a.constraint(), a.businessRules(), a.labels(), a.annotations(), a.sampleTraceIds());
    }

    static Alert resolved(Alert a, long endsAt) {
        String at = Timestamps.format(endsAt);
        return new Alert(a.fingerprint(), a.alertId(), Alert.RESOLVED, a.kind(), a.targetId(), a.requirement(), a.metric(),
                a.operator(), a.target(), a.alertThreshold(), 300.0, 0.99, 40.0, a.severity(), a.events(), a.windowStart(),
                a.windowEnd(), a.startsAt(), at, at, "target_met", a.description(), a.constraint(), a.businessRules(),
                a.labels(), a.annotations(), a.sampleTraceIds());
    }

    void publish(Alert... alerts) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (Alert alert : alerts) {
                producer.send(new ProducerRecord<>(alertsTopic, alert.fingerprint().getBytes(StandardCharsets.UTF_8),
                        Json.MAPPER.writeValueAsBytes(alert))).get(60, TimeUnit.SECONDS);
            }
        }
    }

    void publishRaw(String key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(alertsTopic, key.getBytes(StandardCharsets.UTF_8), value)).get(60, TimeUnit.SECONDS);
        }
    }

    /** Whether the group's committed offsets have reached the end of the alerts topic. */
    boolean committedToEnd() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 3; p++) latest.put(new TopicPartition(alertsTopic, p), OffsetSpec.latest());
            var ends = admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
            for (var end : ends.entrySet()) {
                OffsetAndMetadata at = committed.get(end.getKey());
                long position = at == null ? 0 : at.offset();
                if (position < end.getValue().offset()) return false;
            }
            return true;
        }
    }

    /** Everything on a topic now (read_committed), e.g. the dead letters or the bridge's state topic. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                if (System.nanoTime() > deadline) throw new AssertionError("could not read " + topic + " to its end");
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The bridge's view as stored: the latest value per key, tombstones removed. */
    Map<String, Alert> stateTopic() throws Exception {
        Map<String, Alert> latest = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(BridgeSettings.defaultStateTopic(groupId))) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) latest.remove(key); else latest.put(key, FiringView.decode(record.value()).alert());
        }
        return latest;
    }

    /** The bridge in a thread; {@link Running#close()} stops it and rethrows what it failed with. */
    static Running run(AlertBridge bridge) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                bridge.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "bridge-under-test");
        thread.start();
        return new Running(bridge, thread, failure);
    }

    record Running(AlertBridge bridge, Thread thread, AtomicReference<Throwable> failure) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            bridge.stop();
            thread.join(TimeUnit.SECONDS.toMillis(60));
            if (failure.get() != null) throw new AssertionError("the bridge failed", failure.get());
        }
    }

    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.call())) return;
                last = null;
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out after " + TIMEOUT.toSeconds() + " s waiting for: " + what, last);
    }

    /** The alert Alertmanager holds with this target id, if any. */
    static Optional<JsonNode> byTarget(List<JsonNode> alerts, String targetId) {
        return alerts.stream().filter(a -> targetId.equals(a.path("labels").path("target_id").asText())).findFirst();
    }
}

package io.homeostat.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything the processors published, read back from the beginning with {@code read_committed} consumers (so an
 * aborted transaction's records, which a crash leaves behind, are never counted).
 */
final class Observed {
    static final ObjectMapper JSON = new ObjectMapper();

    /** {@code events}: of the window {@code [windowStart, windowEnd)} the alert was published on, {@code -1} if absent. */
    record Alert(String alertId, String status, String kind, String targetId, long windowEnd, String resolvedReason,
                 String severity, long windowStart, long events) {
        Alert(String alertId, String status, String kind, String targetId, long windowEnd, String resolvedReason,
              String severity) {
            this(alertId, status, kind, targetId, windowEnd, resolvedReason, severity, windowEnd - Plan.WINDOW_MS, -1);
        }
    }

    record Status(String targetId, long windowStart, long windowEnd, long events, long lateEvents, String input) {}

    record Issue(String issueId, String status, String requirement, String errorType, long occurrences, Long users) {}

    record Intent(String intentId, String sourceKind, String sourceId) {}

    final List<Alert> alerts = new ArrayList<>();
    final List<Status> statuses = new ArrayList<>();
    /** Every issue record, in order per issue. */
    final List<Issue> issues = new ArrayList<>();
    final List<Intent> intents = new ArrayList<>();
    final List<String> deadLetterKeys = new ArrayList<>();

    static Observed read(Properties client, Topics topics) {
        Observed seen = new Observed();
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.alerts())) {
            JsonNode a = json(r.value());
            if (a == null) continue;
            seen.alerts.add(new Alert(a.path("alert_id").asText(), a.path("status").asText(), a.path("kind").asText(),
                    a.path("target_id").asText(), time(a.path("window_end").asText()), text(a.get("resolved_reason")),
                    text(a.get("severity")), time(a.path("window_start").asText()),
                    a.hasNonNull("events") ? a.get("events").asLong() : -1));
        }
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.status())) {
            JsonNode s = json(r.value());
            if (s == null || !"target".equals(s.path("kind").asText())) continue;
            seen.statuses.add(new Status(s.path("target_id").asText(), time(s.path("window_start").asText()),
                    time(s.path("window_end").asText()), s.path("events").asLong(), s.path("late_events").asLong(),
                    s.path("input").asText("")));
        }
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.issues())) {
            JsonNode i = json(r.value());
            if (i == null) continue;
            seen.issues.add(new Issue(i.path("issue_id").asText(), i.path("status").asText(), i.path("requirement").asText(),
                    i.path("error_type").asText(), i.path("occurrences").asLong(),
                    i.hasNonNull("affected_users") ? i.get("affected_users").asLong() : null));
        }
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.intents())) {
            JsonNode i = json(r.value());
            if (i == null) continue;
            seen.intents.add(new Intent(i.path("intent_id").asText(), i.path("source_kind").asText(),
                    i.path("source_id").asText()));
        }
        for (ConsumerRecord<byte[], byte[]> r : readAll(client, topics.deadLetters())) {
            seen.deadLetterKeys.add(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
        }
        return seen;
    }

    /** The last record of every issue. */
    Map<String, Issue> finalIssues() {
        Map<String, Issue> last = new HashMap<>();
        for (Issue issue : issues) last.put(issue.issueId(), issue);
        return last;
    }

    /** Every committed record of a topic, from the beginning to its end as of now, partition by partition. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(Properties client, String topic) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "faults-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (System.nanoTime() < deadline) {
                boolean done = true;
                for (TopicPartition tp : partitions) {
                    if (consumer.position(tp, Duration.ofSeconds(30)) < end.get(tp)) done = false;
                }
                if (done) break;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) out.add(r);
            }
        }
        return out;
    }

    private static JsonNode json(byte[] value) {
        if (value == null) return null;
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    static long time(String rfc3339) {
        return rfc3339 == null || rfc3339.isEmpty() ? Long.MIN_VALUE : Instant.parse(rfc3339).toEpochMilli();
    }

    /** The topics of a run (the contract's default names). */
    record Topics(String spans, String metrics, String logs, String targets, String alerts, String issues, String intents,
                  String status, String deadLetters) {
        static Topics defaults() {
            return new Topics("otlp_spans", "otlp_metrics", "otlp_logs", "homeostasis.targets", "homeostasis.alerts",
                    "homeostasis.issues", "homeostasis.intents", "homeostasis.status", "homeostasis.dlq");
        }

        List<String> all() {
            return List.of(spans, metrics, logs, targets, alerts, issues, intents, status, deadLetters);
        }
    }
}

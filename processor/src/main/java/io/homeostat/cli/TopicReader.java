package io.homeostat.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the CLI shows and diffs against: a topic's committed records, without a consumer group
 * (nothing is committed, no group is left behind). Consumers read {@code read_committed}, so a target
 * apply that was aborted, or is still open, is never shown as applied.
 */
final class TopicReader {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** A compacted topic's state: the latest value per key, tombstoned keys removed, in first-seen order. */
    record Snapshot(boolean exists, Map<String, byte[]> latest) {}

    private TopicReader() {}

    static Properties consumerProperties(Properties base) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    static KafkaConsumer<byte[], byte[]> consumer(Properties base) {
        return new KafkaConsumer<>(consumerProperties(base), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partitions, or empty when it does not exist. */
    static Optional<List<TopicPartition>> partitions(Properties base, String topic) throws Exception {
        try (Admin admin = Admin.create(base)) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic);
            return Optional.of(description.partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return Optional.empty();
            throw e;
        } catch (TimeoutException e) {
            throw new TimeoutException("Kafka did not answer within " + TIMEOUT.toSeconds() + "s at "
                    + base.get("bootstrap.servers"));
        }
    }

    /** Reads the topic from its start to the end it has now. */
    static Snapshot readToEnd(Properties base, String topic) throws Exception {
        Optional<List<TopicPartition>> partitions = partitions(base, topic);
        Map<String, byte[]> latest = new LinkedHashMap<>();
        if (partitions.isEmpty()) return new Snapshot(false, latest);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(base)) {
            consumer.assign(partitions.get());
            consumer.seekToBeginning(partitions.get());
            // Under read_committed this is the last stable offset: everything committed so far.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions.get(), TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read " + topic + " to its end within " + TIMEOUT.toSeconds() + "s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null) continue; // not a keyed record: nothing a compacted topic keeps
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        latest.remove(key);
                    } else {
                        latest.remove(key); // keep the order of the latest write
                        latest.put(key, record.value());
                    }
                }
            }
        }
        return new Snapshot(true, latest);
    }

    static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) return false;
        }
        return true;
    }
}

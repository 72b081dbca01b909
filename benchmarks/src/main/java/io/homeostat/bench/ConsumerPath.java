package io.homeostat.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The floor: one plain {@link KafkaConsumer} (like Homeostat's one stream thread) reading the dataset from the
 * beginning, read_committed like an exactly-once Streams consumer, parsing every OTLP request with the
 * generated classes and counting its spans. Nothing else. With {@code parse = false} it only fetches.
 */
final class ConsumerPath {
    private ConsumerPath() {}

    static PathResult run(PathConfig config, boolean parse) throws Exception {
        Properties props = config.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.runId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Kafka Streams' own consumer default
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        long spans = 0;
        long records = 0;
        long first = -1;
        long firstCpu = -1;
        double firstBroker = -1;
        long deadline = System.nanoTime() + config.timeoutMs() * 1_000_000L;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(config.topic());
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            long expectedRecords = -1;
            if (!parse) {
                // Without parsing there are no spans to count: read every record, and count the dataset's spans
                // as each record's share (the dataset's requests are equal-sized but for the last one).
                expectedRecords = consumer.endOffsets(assigned).values().stream().mapToLong(Long::longValue).sum()
                        - consumer.beginningOffsets(assigned).values().stream().mapToLong(Long::longValue).sum();
            }
            while (parse ? spans < config.expectedSpans() : records < expectedRecords) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException(config.path() + ": counted " + spans + " of " + config.expectedSpans() + " spans");
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(200));
                if (batch.isEmpty()) continue;
                if (first < 0) {
                    first = System.nanoTime();
                    firstCpu = Probes.processCpuNanos();
                    firstBroker = Probes.processCpuSeconds(config.brokerPid());
                }
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    records++;
                    if (parse) spans += countSpans(ExportTraceServiceRequest.parseFrom(record.value()));
                }
            }
            if (!parse) spans = config.expectedSpans();
        }
        long done = System.nanoTime();
        long doneCpu = Probes.processCpuNanos();
        double doneBroker = Probes.processCpuSeconds(config.brokerPid());
        return new PathResult(config.path(), spans, 0, records, (done - first) / 1e9,
                firstCpu < 0 ? -1 : (doneCpu - firstCpu) / 1e9, firstBroker < 0 || doneBroker < 0 ? -1 : doneBroker - firstBroker,
                null);
    }

    static long countSpans(ExportTraceServiceRequest request) {
        long spans = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) spans += scopeSpans.getSpansCount();
        }
        return spans;
    }
}

package io.homeostat.cli;

import io.homeostat.topology.DeadLetterHandler;
import io.homeostat.topology.FailureCounters;
import io.homeostat.topology.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration Homeostat runs with; user properties override every default here. */
public final class StreamsSettings {
    private StreamsSettings() {}

    /**
     * @param userProperties bootstrap servers and the user's pass-through properties (applied last)
     */
    public static Properties of(String applicationId, Path stateDir, int threads, String processingGuarantee,
                                Properties userProperties) {
        return of(applicationId, stateDir, threads, processingGuarantee, Topics.defaults().deadLetters(), userProperties);
    }

    /**
     * @param deadLetterTopic where the exception handlers send a record whose processing failed
     * @param userProperties  bootstrap servers and the user's pass-through properties (applied last)
     */
    public static Properties of(String applicationId, Path stateDir, int threads, String processingGuarantee,
                                String deadLetterTopic, Properties userProperties) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        // Exactly-once by default: an alert, its state and the consumed offsets commit together.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        // Every input topic is read from the start on first run: targets are a compacted table.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The decode tasks commit right after each flush of their partials (every twentieth of a slice, at most 250 ms, while data flows) and
        // the requirement tasks right after publishing alerts: commits happen when they are useful. The interval
        // only covers the rest, and a longer one keeps a commit from landing between a record's journal entry and
        // the flush that deletes it (the entry would reach the changelog instead of cancelling out in the cache).
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        // An OTLP request is one record of hundreds of KB once decompressed; Streams' defaults are sized for
        // small records (1000 buffered per partition, 1000 per poll: hundreds of MB of heap in a backlog). A
        // hundred per partition is plenty to keep the thread busy, and keeps the partitions of a backlog close in
        // event time (a task far ahead of another makes the other's spans late at the requirement tasks).
        props.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, 100);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 100);
        // Partials and alerts are small; batching them a little saves requests at no visible latency.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // No global stores here; opting in now silences Streams' start-up warning and matches Kafka 5.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // No input record may stop a stream thread: an unexpected exception while handling one record sends it to
        // the dead-letter topic (counted, logged once) and processing goes on.
        props.putAll(DeadLetterHandler.streamsConfig(deadLetterTopic, new FailureCounters()));
        props.putAll(userProperties);
        return props;
    }
}

package io.homeostat.cli;

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
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        // Exactly-once by default: an alert, its state and the consumed offsets commit together.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        // Every input topic is read from the start on first run: targets are a compacted table.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Partials and alerts are small; batching them a little saves requests at no visible latency.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // No global stores here; opting in now silences Streams' start-up warning and matches Kafka 5.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putAll(userProperties);
        return props;
    }
}

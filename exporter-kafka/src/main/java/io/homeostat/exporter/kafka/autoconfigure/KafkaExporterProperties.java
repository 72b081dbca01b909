package io.homeostat.exporter.kafka.autoconfigure;

import io.homeostat.exporter.kafka.KafkaExporterConfig;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;

/**
 * The exporters' configuration from the SDK's autoconfiguration properties (system properties or
 * {@code OTEL_*} environment variables), named after the Collector's Kafka exporter settings:
 * <pre>
 * otel.exporter.kafka.brokers           localhost:9092
 * otel.exporter.kafka.encoding          otlp_proto | otlp_json   (per signal: otel.exporter.kafka.traces.encoding, ...)
 * otel.exporter.kafka.traces.topic      otlp_spans
 * otel.exporter.kafka.metrics.topic     otlp_metrics
 * otel.exporter.kafka.logs.topic        otlp_logs
 * otel.exporter.kafka.producer          acks=all,compression.type=zstd,...   (any Kafka producer property)
 * </pre>
 */
public final class KafkaExporterProperties {
    static final String PREFIX = "otel.exporter.kafka.";

    private KafkaExporterProperties() {}

    /** @param signal {@code traces}, {@code metrics} or {@code logs} */
    public static KafkaExporterConfig config(ConfigProperties properties, String signal) {
        KafkaExporterConfig.Builder builder = KafkaExporterConfig.builder()
                .brokers(properties.getString(PREFIX + "brokers", KafkaExporterConfig.DEFAULT_BROKERS))
                .producerProperties(properties.getMap(PREFIX + "producer"));
        String encoding = properties.getString(PREFIX + signal + ".encoding", properties.getString(PREFIX + "encoding", "otlp_proto"));
        try {
            builder.encoding(KafkaExporterEncoding.parse(encoding));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(PREFIX + "encoding: " + e.getMessage(), e);
        }
        String topic = properties.getString(PREFIX + signal + ".topic");
        if (topic != null) {
            switch (signal) {
                case "traces" -> builder.spansTopic(topic);
                case "metrics" -> builder.metricsTopic(topic);
                default -> builder.logsTopic(topic);
            }
        }
        return builder.build();
    }
}

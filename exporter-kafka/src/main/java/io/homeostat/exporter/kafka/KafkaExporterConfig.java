package io.homeostat.exporter.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where and how the exporters write, in the terms of the OpenTelemetry Collector's Kafka exporter:
 * {@code brokers}, a {@code topic} per signal (defaults: the Homeostat contract's {@code otlp_spans},
 * {@code otlp_metrics}, {@code otlp_logs}, which are also the Collector's), an {@code encoding}
 * ({@code otlp_proto} or {@code otlp_json}) and any Kafka producer property (security, compression,
 * batching) passed through as is.
 */
public final class KafkaExporterConfig {
    public static final String DEFAULT_BROKERS = "localhost:9092";
    public static final String DEFAULT_SPANS_TOPIC = "otlp_spans";
    public static final String DEFAULT_METRICS_TOPIC = "otlp_metrics";
    public static final String DEFAULT_LOGS_TOPIC = "otlp_logs";

    private final String brokers;
    private final String spansTopic;
    private final String metricsTopic;
    private final String logsTopic;
    private final KafkaExporterEncoding encoding;
    private final Map<String, String> producerProperties;

    private KafkaExporterConfig(Builder b) {
        this.brokers = b.brokers;
        this.spansTopic = b.spansTopic;
        this.metricsTopic = b.metricsTopic;
        this.logsTopic = b.logsTopic;
        this.encoding = b.encoding;
        this.producerProperties = Map.copyOf(b.producerProperties);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String brokers() {
        return brokers;
    }

    public String spansTopic() {
        return spansTopic;
    }

    public String metricsTopic() {
        return metricsTopic;
    }

    public String logsTopic() {
        return logsTopic;
    }

    public KafkaExporterEncoding encoding() {
        return encoding;
    }

    public Map<String, String> producerProperties() {
        return producerProperties;
    }

    /**
     * The producer's properties: {@code bootstrap.servers} from {@link #brokers()}, then the exporter's
     * defaults ({@code acks=all} so that an acknowledged batch is not lost, a short linger, so that several
     * batches share a request), then the configured producer properties, which win.
     */
    public Properties producerConfig() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "homeostat-otlp-exporter");
        props.putAll(producerProperties);
        return props;
    }

    @Override
    public String toString() {
        return "KafkaExporterConfig{brokers=" + brokers + ", topics=" + spansTopic + "/" + metricsTopic + "/" + logsTopic
                + ", encoding=" + encoding.configName() + ", producer=" + producerProperties.keySet() + "}";
    }

    public static final class Builder {
        private String brokers = DEFAULT_BROKERS;
        private String spansTopic = DEFAULT_SPANS_TOPIC;
        private String metricsTopic = DEFAULT_METRICS_TOPIC;
        private String logsTopic = DEFAULT_LOGS_TOPIC;
        private KafkaExporterEncoding encoding = KafkaExporterEncoding.OTLP_PROTO;
        private final Map<String, String> producerProperties = new LinkedHashMap<>();

        private Builder() {}

        /** Kafka bootstrap servers, {@code host:port[,host:port...]} (default {@value #DEFAULT_BROKERS}). */
        public Builder brokers(String brokers) {
            this.brokers = nonBlank(brokers, "brokers");
            return this;
        }

        public Builder spansTopic(String topic) {
            this.spansTopic = nonBlank(topic, "spans topic");
            return this;
        }

        public Builder metricsTopic(String topic) {
            this.metricsTopic = nonBlank(topic, "metrics topic");
            return this;
        }

        public Builder logsTopic(String topic) {
            this.logsTopic = nonBlank(topic, "logs topic");
            return this;
        }

        public Builder encoding(KafkaExporterEncoding encoding) {
            this.encoding = Objects.requireNonNull(encoding, "encoding");
            return this;
        }

        /** Any Kafka producer property ({@code security.protocol}, {@code compression.type}, ...). */
        public Builder producerProperty(String key, String value) {
            producerProperties.put(nonBlank(key, "producer property name"), Objects.requireNonNull(value, key));
            return this;
        }

        public Builder producerProperties(Map<String, String> properties) {
            properties.forEach(this::producerProperty);
            return this;
        }

        public KafkaExporterConfig build() {
            return new KafkaExporterConfig(this);
        }

        private static String nonBlank(String value, String what) {
            if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " must not be blank");
            return value.trim();
        }
    }
}

package io.homeostat.exporter.kafka;

import java.util.Locale;

/**
 * How an export request is encoded on Kafka: the OpenTelemetry Collector Kafka exporter's {@code encoding}
 * values for OTLP, with the {@code content-type} header each one sets.
 */
public enum KafkaExporterEncoding {
    /** {@code otlp_proto}: the protobuf {@code Export*ServiceRequest}, the Collector's default. */
    OTLP_PROTO("otlp_proto", "application/x-protobuf"),
    /** {@code otlp_json}: OTLP/JSON, as the OTLP/HTTP JSON exporters write it. */
    OTLP_JSON("otlp_json", "application/json");

    private final String configName;
    private final String contentType;

    KafkaExporterEncoding(String configName, String contentType) {
        this.configName = configName;
        this.contentType = contentType;
    }

    /** The name in configuration: {@code otlp_proto} or {@code otlp_json}. */
    public String configName() {
        return configName;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * Parses a configured encoding: {@code otlp_proto} or {@code otlp_json} (any case; {@code protobuf} and
     * {@code json} are accepted as short names).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KafkaExporterEncoding parse(String value) {
        String name = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (name) {
            case "otlp_proto", "protobuf", "proto" -> {
                return OTLP_PROTO;
            }
            case "otlp_json", "json" -> {
                return OTLP_JSON;
            }
            default -> throw new IllegalArgumentException("unknown OTLP encoding '" + value
                    + "': use otlp_proto or otlp_json, as the OpenTelemetry Collector's Kafka exporter does");
        }
    }
}

package io.homeostat.exporter.kafka.autoconfigure;

import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** {@code otel.traces.exporter=kafka}: spans to Kafka (see {@link KafkaExporterProperties}). */
public final class KafkaSpanExporterProvider implements ConfigurableSpanExporterProvider {
    @Override
    public SpanExporter createExporter(ConfigProperties config) {
        return KafkaSpanExporter.create(KafkaExporterProperties.config(config, "traces"));
    }

    @Override
    public String getName() {
        return "kafka";
    }
}

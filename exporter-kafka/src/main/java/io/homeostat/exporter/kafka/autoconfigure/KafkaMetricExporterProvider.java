package io.homeostat.exporter.kafka.autoconfigure;

import io.homeostat.exporter.kafka.KafkaMetricExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/** {@code otel.metrics.exporter=kafka}: metrics to Kafka (see {@link KafkaExporterProperties}). */
public final class KafkaMetricExporterProvider implements ConfigurableMetricExporterProvider {
    @Override
    public MetricExporter createExporter(ConfigProperties config) {
        return KafkaMetricExporter.create(KafkaExporterProperties.config(config, "metrics"));
    }

    @Override
    public String getName() {
        return "kafka";
    }
}

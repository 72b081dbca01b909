package io.homeostat.exporter.kafka.autoconfigure;

import io.homeostat.exporter.kafka.KafkaLogRecordExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.logs.ConfigurableLogRecordExporterProvider;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;

/** {@code otel.logs.exporter=kafka}: log records to Kafka (see {@link KafkaExporterProperties}). */
public final class KafkaLogRecordExporterProvider implements ConfigurableLogRecordExporterProvider {
    @Override
    public LogRecordExporter createExporter(ConfigProperties config) {
        return KafkaLogRecordExporter.create(KafkaExporterProperties.config(config, "logs"));
    }

    @Override
    public String getName() {
        return "kafka";
    }
}

package io.homeostat.testing;

import io.homeostat.exporter.kafka.KafkaLogRecordExporter;
import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Log records emitted through the real OpenTelemetry Java SDK logs path ({@link SdkLoggerProvider}) and
 * encoded by its official OTLP logs marshaler: the bytes a service's OTLP log exporter, or the Collector's
 * Kafka exporter, sends. What the seed's {@code RequirementLogger} records: a message with the
 * {@code requirement} attribute.
 */
public final class SdkLogs implements AutoCloseable {
    private final InMemoryLogRecordExporter exporter = InMemoryLogRecordExporter.create();
    private final SdkLoggerProvider provider;
    private final Logger logger;

    public SdkLogs(String serviceName) {
        provider = SdkLoggerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.builder()
                        .put(AttributeKey.stringKey("service.name"), serviceName).build()))
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter))
                .build();
        logger = provider.get("io.homeostat.test");
    }

    /** Emits one log record at {@code time}; {@code error}, when given, is recorded as the exception. */
    public SdkLogs log(Severity severity, String body, Map<String, String> attributes, Instant time, Throwable error) {
        LogRecordBuilder builder = logger.logRecordBuilder().setSeverity(severity).setSeverityText(severity.name())
                .setBody(body).setTimestamp(time);
        io.opentelemetry.api.common.AttributesBuilder attrs = Attributes.builder();
        attributes.forEach(attrs::put);
        builder.setAllAttributes(attrs.build());
        if (error != null) builder.setException(error);
        builder.emit();
        return this;
    }

    /** The records emitted since the last call, as the SDK hands them to its exporters. */
    public List<LogRecordData> drain() {
        List<LogRecordData> logs = List.copyOf(exporter.getFinishedLogRecordItems());
        exporter.reset();
        return logs;
    }

    /** The records emitted since the last call as one OTLP export request, and forgets them. */
    public byte[] batch(OtlpEncoding encoding) {
        return KafkaLogRecordExporter.marshal(drain(), ExportEncodings.of(encoding));
    }

    @Override
    public void close() {
        provider.close();
    }
}

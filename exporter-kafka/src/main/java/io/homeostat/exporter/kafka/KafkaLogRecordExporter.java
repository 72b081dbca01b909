package io.homeostat.exporter.kafka;

import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;
import org.apache.kafka.clients.producer.Producer;

/**
 * An OpenTelemetry SDK log record exporter that writes each batch as one OTLP {@code ExportLogsServiceRequest}
 * to a Kafka topic with the SDK's own OTLP marshaler, as the Collector's Kafka exporter does for logs.
 */
public final class KafkaLogRecordExporter implements LogRecordExporter {
    private final OtlpKafkaSink sink;

    /** Writes with {@code producer}, which the caller owns (shutdown only flushes it). */
    public KafkaLogRecordExporter(Producer<byte[], byte[]> producer, String topic, KafkaExporterEncoding encoding) {
        this.sink = new OtlpKafkaSink(producer, false, topic, encoding);
    }

    private KafkaLogRecordExporter(OtlpKafkaSink sink) {
        this.sink = sink;
    }

    /** Writes to {@code config}'s logs topic with a producer of its own, closed on shutdown. */
    public static KafkaLogRecordExporter create(KafkaExporterConfig config) {
        return new KafkaLogRecordExporter(OtlpKafkaSink.owning(config, config.logsTopic()));
    }

    /** The OTLP bytes of a batch, as the SDK's marshaler writes them. */
    public static byte[] marshal(Collection<LogRecordData> logs, KafkaExporterEncoding encoding) {
        return OtlpKafkaSink.marshal(LogsRequestMarshaler.create(logs), encoding);
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
        return sink.send(marshal(logs, sink.encoding()));
    }

    @Override
    public CompletableResultCode flush() {
        return sink.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return sink.shutdown();
    }
}

package io.homeostat.demo;

import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An OpenTelemetry SDK log record exporter that writes each batch as one OTLP {@code ExportLogsServiceRequest}
 * to a Kafka topic with the SDK's own OTLP marshaler, as the Collector's Kafka exporter does for logs.
 */
public final class KafkaLogRecordExporter implements LogRecordExporter {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final OtlpEncoding encoding;

    public KafkaLogRecordExporter(Producer<byte[], byte[]> producer, String topic, OtlpEncoding encoding) {
        this.producer = producer;
        this.topic = topic;
        this.encoding = encoding;
    }

    /** The OTLP bytes of a batch, as the SDK's marshaler writes them. */
    public static byte[] marshal(Collection<LogRecordData> logs, OtlpEncoding encoding) {
        LogsRequestMarshaler marshaler = LogsRequestMarshaler.create(logs);
        ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize() + 64);
        try {
            if (encoding == OtlpEncoding.JSON) {
                marshaler.writeJsonTo(out);
            } else {
                marshaler.writeBinaryTo(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("OTLP marshaling failed", e);
        }
        return out.toByteArray();
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
        CompletableResultCode result = new CompletableResultCode();
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", encoding.contentType().getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, marshal(logs, encoding), headers), (metadata, error) -> {
            if (error == null) result.succeed();
            else result.failExceptionally(error);
        });
        return result;
    }

    @Override
    public CompletableResultCode flush() {
        producer.flush();
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
        producer.flush();
        return CompletableResultCode.ofSuccess();
    }
}

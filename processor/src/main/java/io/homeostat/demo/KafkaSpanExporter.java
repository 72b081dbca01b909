package io.homeostat.demo;

import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An OpenTelemetry SDK span exporter that writes each batch as one OTLP {@code ExportTraceServiceRequest}
 * to a Kafka topic, with the SDK's own OTLP marshaler: the same bytes the OpenTelemetry Collector's Kafka
 * exporter writes ({@code otlp_proto} or {@code otlp_json}).
 */
public final class KafkaSpanExporter implements SpanExporter {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final OtlpEncoding encoding;

    public KafkaSpanExporter(Producer<byte[], byte[]> producer, String topic, OtlpEncoding encoding) {
        this.producer = producer;
        this.topic = topic;
        this.encoding = encoding;
    }

    /** The OTLP bytes of a batch, as the SDK's marshaler writes them. */
    public static byte[] marshal(Collection<SpanData> spans, OtlpEncoding encoding) {
        TraceRequestMarshaler marshaler = TraceRequestMarshaler.create(spans);
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
    public CompletableResultCode export(Collection<SpanData> spans) {
        CompletableResultCode result = new CompletableResultCode();
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", encoding.contentType().getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, marshal(spans, encoding), headers), (metadata, error) -> {
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

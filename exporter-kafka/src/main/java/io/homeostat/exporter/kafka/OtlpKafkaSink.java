package io.homeostat.demo;

import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * What the SDK exporters to Kafka share: one OTLP export request per record, encoded by the SDK's own
 * marshaler, with the {@code content-type} header the Collector's Kafka exporter sets.
 */
final class OtlpKafkaSink {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final OtlpEncoding encoding;

    OtlpKafkaSink(Producer<byte[], byte[]> producer, String topic, OtlpEncoding encoding) {
        this.producer = producer;
        this.topic = topic;
        this.encoding = encoding;
    }

    OtlpEncoding encoding() {
        return encoding;
    }

    static byte[] marshal(Marshaler marshaler, OtlpEncoding encoding) {
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

    CompletableResultCode send(byte[] request) {
        CompletableResultCode result = new CompletableResultCode();
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", encoding.contentType().getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, request, headers), (metadata, error) -> {
            if (error == null) result.succeed();
            else result.failExceptionally(error);
        });
        return result;
    }

    CompletableResultCode flush() {
        producer.flush();
        return CompletableResultCode.ofSuccess();
    }
}

package io.homeostat.demo;

import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * An OpenTelemetry SDK metric exporter that writes each collection as one OTLP
 * {@code ExportMetricsServiceRequest} to a Kafka topic with the SDK's own OTLP marshaler, as the
 * Collector's Kafka exporter would. Cumulative temporality, the SDK's (and Prometheus') default.
 */
public final class KafkaMetricExporter implements MetricExporter {
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final OtlpEncoding encoding;

    public KafkaMetricExporter(Producer<byte[], byte[]> producer, String topic, OtlpEncoding encoding) {
        this.producer = producer;
        this.topic = topic;
        this.encoding = encoding;
    }

    public static byte[] marshal(Collection<MetricData> metrics, OtlpEncoding encoding) {
        MetricsRequestMarshaler marshaler = MetricsRequestMarshaler.create(metrics);
        ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize() + 64);
        try {
            if (encoding == OtlpEncoding.JSON) marshaler.writeJsonTo(out);
            else marshaler.writeBinaryTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("OTLP marshaling failed", e);
        }
        return out.toByteArray();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        if (metrics.isEmpty()) return CompletableResultCode.ofSuccess();
        CompletableResultCode result = new CompletableResultCode();
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", encoding.contentType().getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, marshal(metrics, encoding), headers),
                (metadata, error) -> {
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

package io.homeostat.exporter.kafka;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import org.apache.kafka.clients.producer.Producer;

/**
 * An OpenTelemetry SDK span exporter that writes each batch as one OTLP {@code ExportTraceServiceRequest}
 * to a Kafka topic, with the SDK's own OTLP marshaler: the same bytes the OpenTelemetry Collector's Kafka
 * exporter writes ({@code otlp_proto} or {@code otlp_json}).
 */
public final class KafkaSpanExporter implements SpanExporter {
    private final OtlpKafkaSink sink;

    /** Writes with {@code producer}, which the caller owns (shutdown only flushes it). */
    public KafkaSpanExporter(Producer<byte[], byte[]> producer, String topic, KafkaExporterEncoding encoding) {
        this.sink = new OtlpKafkaSink(producer, false, topic, encoding);
    }

    private KafkaSpanExporter(OtlpKafkaSink sink) {
        this.sink = sink;
    }

    /** Writes to {@code config}'s spans topic with a producer of its own, closed on shutdown. */
    public static KafkaSpanExporter create(KafkaExporterConfig config) {
        return new KafkaSpanExporter(OtlpKafkaSink.owning(config, config.spansTopic()));
    }

    /** The OTLP bytes of a batch, as the SDK's marshaler writes them. */
    public static byte[] marshal(Collection<SpanData> spans, KafkaExporterEncoding encoding) {
        return OtlpKafkaSink.marshal(TraceRequestMarshaler.create(spans), encoding);
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        return sink.send(marshal(spans, sink.encoding()));
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

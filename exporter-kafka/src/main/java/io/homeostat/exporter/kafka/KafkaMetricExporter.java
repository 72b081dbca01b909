package io.homeostat.exporter.kafka;

import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;
import org.apache.kafka.clients.producer.Producer;

/**
 * An OpenTelemetry SDK metric exporter that writes each collection as one OTLP
 * {@code ExportMetricsServiceRequest} to a Kafka topic with the SDK's own OTLP marshaler, as the
 * Collector's Kafka exporter would. Cumulative temporality, the SDK's (and Prometheus') default.
 */
public final class KafkaMetricExporter implements MetricExporter {
    private final OtlpKafkaSink sink;

    /** Writes with {@code producer}, which the caller owns (shutdown only flushes it). */
    public KafkaMetricExporter(Producer<byte[], byte[]> producer, String topic, KafkaExporterEncoding encoding) {
        this.sink = new OtlpKafkaSink(producer, false, topic, encoding);
    }

    private KafkaMetricExporter(OtlpKafkaSink sink) {
        this.sink = sink;
    }

    /** Writes to {@code config}'s metrics topic with a producer of its own, closed on shutdown. */
    public static KafkaMetricExporter create(KafkaExporterConfig config) {
        return new KafkaMetricExporter(OtlpKafkaSink.owning(config, config.metricsTopic()));
    }

    public static byte[] marshal(Collection<MetricData> metrics, KafkaExporterEncoding encoding) {
        return OtlpKafkaSink.marshal(MetricsRequestMarshaler.create(metrics), encoding);
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
        if (metrics.isEmpty()) return CompletableResultCode.ofSuccess();
        return sink.send(marshal(metrics, sink.encoding()));
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

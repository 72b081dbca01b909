package io.homeostat.exporter.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.homeostat.exporter.kafka.autoconfigure.KafkaExporterProperties;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The exporters write what the Collector's Kafka exporter writes, and fail an export, never the application. */
class KafkaExportersTest {
    private static final AttributeKey<String> REQUIREMENT = AttributeKey.stringKey("requirement");

    private static List<SpanData> spans() {
        InMemorySpanExporter memory = InMemorySpanExporter.create();
        try (SdkTracerProvider tracing = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(memory)).build()) {
            tracing.get("test").spanBuilder("REQ-F-AUTH-001:login").setAttribute(REQUIREMENT, "REQ-F-AUTH-001").startSpan().end();
            return List.copyOf(memory.getFinishedSpanItems());
        }
    }

    @Test
    void spansAreOneExportRequestPerRecordWithTheContentTypeOfTheirEncoding() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        List<SpanData> spans = spans();
        assertThat(new KafkaSpanExporter(producer, "otlp_spans", KafkaExporterEncoding.OTLP_PROTO).export(spans)
                .join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
        assertThat(new KafkaSpanExporter(producer, "spans_json", KafkaExporterEncoding.OTLP_JSON).export(spans)
                .join(5, TimeUnit.SECONDS).isSuccess()).isTrue();

        ProducerRecord<byte[], byte[]> proto = producer.history().get(0);
        assertThat(proto.topic()).isEqualTo("otlp_spans");
        assertThat(proto.key()).isNull();
        assertThat(new String(proto.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8)).isEqualTo("application/x-protobuf");
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(proto.value());
        assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("REQ-F-AUTH-001:login");

        ProducerRecord<byte[], byte[]> json = producer.history().get(1);
        assertThat(json.topic()).isEqualTo("spans_json");
        assertThat(new String(json.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8)).isEqualTo("application/json");
        String text = new String(json.value(), StandardCharsets.UTF_8);
        ExportTraceServiceRequest.Builder fromJson = ExportTraceServiceRequest.newBuilder();
        JsonFormat.parser().merge(text, fromJson);
        assertThat(fromJson.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("REQ-F-AUTH-001:login");
        assertThat(fromJson.getResourceSpans(0).getScopeSpans(0).getSpans(0).getAttributes(0).getValue().getStringValue())
                .isEqualTo("REQ-F-AUTH-001");
        assertThat(text).as("OTLP/JSON ids are hex").contains("\"traceId\":\"" + spans.get(0).getTraceId() + "\"");
    }

    @Test
    void metricsAndLogRecordsToo() throws Exception {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build()) {
            meters.get("test").counterBuilder("login_attempts").build().add(3, io.opentelemetry.api.common.Attributes.of(REQUIREMENT, "REQ-F-AUTH-001"));
            KafkaMetricExporter exporter = new KafkaMetricExporter(producer, "otlp_metrics", KafkaExporterEncoding.OTLP_PROTO);
            assertThat(exporter.export(reader.collectAllMetrics()).join(5, TimeUnit.SECONDS).isSuccess()).isTrue();
            assertThat(exporter.export(List.of()).isSuccess()).as("nothing to send, nothing sent").isTrue();
        }
        InMemoryLogRecordExporter memory = InMemoryLogRecordExporter.create();
        try (SdkLoggerProvider logs = SdkLoggerProvider.builder().addLogRecordProcessor(SimpleLogRecordProcessor.create(memory)).build()) {
            logs.get("test").logRecordBuilder().setBody("Login failed").emit();
            new KafkaLogRecordExporter(producer, "otlp_logs", KafkaExporterEncoding.OTLP_PROTO).export(memory.getFinishedLogRecordItems())
                    .join(5, TimeUnit.SECONDS);
        }
        assertThat(producer.history()).hasSize(2);
        ExportMetricsServiceRequest metrics = ExportMetricsServiceRequest.parseFrom(producer.history().get(0).value());
        assertThat(metrics.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getName()).isEqualTo("login_attempts");
        assertThat(metrics.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getSum().getAggregationTemporality().name())
                .isEqualTo("AGGREGATION_TEMPORALITY_CUMULATIVE");
        ExportLogsServiceRequest logs = ExportLogsServiceRequest.parseFrom(producer.history().get(1).value());
        assertThat(logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getStringValue()).isEqualTo("Login failed");
    }

    @Test
    void aFailedSendFailsTheExportAndAfterShutdownNothingIsSent() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaSpanExporter exporter = new KafkaSpanExporter(producer, "otlp_spans", KafkaExporterEncoding.OTLP_PROTO);
        CompletableResultCode result = exporter.export(spans());
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));
        assertThat(result.join(5, TimeUnit.SECONDS).isSuccess()).isFalse();
        assertThat(result.getFailureThrowable()).hasMessage("broker down");

        assertThat(exporter.shutdown().isSuccess()).isTrue();
        assertThat(exporter.export(spans()).isSuccess()).isFalse();
        assertThat(producer.closed()).as("the caller's producer stays open").isFalse();
    }

    @Test
    void encodingsAreTheCollectorsNames() {
        assertThat(KafkaExporterEncoding.parse("otlp_proto")).isEqualTo(KafkaExporterEncoding.OTLP_PROTO);
        assertThat(KafkaExporterEncoding.parse("OTLP_JSON")).isEqualTo(KafkaExporterEncoding.OTLP_JSON);
        assertThat(KafkaExporterEncoding.parse("protobuf")).isEqualTo(KafkaExporterEncoding.OTLP_PROTO);
        assertThatThrownBy(() -> KafkaExporterEncoding.parse("raw")).hasMessageContaining("use otlp_proto or otlp_json");
    }

    @Test
    void autoconfigurationReadsTheCollectorStyleSettings() {
        KafkaExporterConfig config = KafkaExporterProperties.config(DefaultConfigProperties.createFromMap(Map.of(
                "otel.exporter.kafka.brokers", "k1:9092,k2:9092",
                "otel.exporter.kafka.encoding", "otlp_json",
                "otel.exporter.kafka.metrics.encoding", "otlp_proto",
                "otel.exporter.kafka.traces.topic", "spans_in",
                "otel.exporter.kafka.producer", "compression.type=zstd,acks=1")), "traces");
        assertThat(config.brokers()).isEqualTo("k1:9092,k2:9092");
        assertThat(config.spansTopic()).isEqualTo("spans_in");
        assertThat(config.metricsTopic()).isEqualTo(KafkaExporterConfig.DEFAULT_METRICS_TOPIC);
        assertThat(config.encoding()).isEqualTo(KafkaExporterEncoding.OTLP_JSON);
        assertThat(config.producerConfig()).containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "1").containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k1:9092,k2:9092");

        KafkaExporterConfig metrics = KafkaExporterProperties.config(DefaultConfigProperties.createFromMap(Map.of(
                "otel.exporter.kafka.encoding", "otlp_json", "otel.exporter.kafka.metrics.encoding", "otlp_proto")), "metrics");
        assertThat(metrics.encoding()).as("per signal wins").isEqualTo(KafkaExporterEncoding.OTLP_PROTO);
        assertThat(metrics.producerConfig()).containsEntry(ProducerConfig.ACKS_CONFIG, "all");

        assertThatThrownBy(() -> KafkaExporterProperties.config(DefaultConfigProperties.createFromMap(Map.of(
                "otel.exporter.kafka.encoding", "avro")), "logs"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("otel.exporter.kafka.encoding");
    }
}

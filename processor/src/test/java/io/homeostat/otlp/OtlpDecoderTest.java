package io.homeostat.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.testing.SdkSpans;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OtlpDecoderTest {
    private static final Instant END = Instant.parse("2026-11-24T10:15:30.123Z");

    private static List<SpanData> sdkSpans() {
        try (SdkSpans sdk = new SdkSpans("customer-portal")) {
            sdk.span("POST /login", Map.of("requirement", "REQ-NFR-PERF-001", "constraints", "C-001"), END, 742.5, false);
            sdk.span("login", Map.of("requirement", "REQ-F-AUTH-001", "business_rules", "BR-001,BR-002"), END, 12, true);
            return sdk.drain();
        }
    }

    @Test
    void protobufFromTheSdkMarshalerDecodesToTheSameSpans() throws Exception {
        List<SpanData> spans = sdkSpans();
        ExportTraceServiceRequest request = OtlpDecoder.decodeTraces(
                KafkaSpanExporter.marshal(spans, KafkaExporterEncoding.OTLP_PROTO), OtlpEncoding.PROTOBUF);
        List<Span> decoded = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
        assertThat(decoded).hasSize(2);
        Span first = decoded.get(0);
        assertThat(HexFormat.of().formatHex(first.getTraceId().toByteArray())).isEqualTo(spans.get(0).getTraceId());
        assertThat(HexFormat.of().formatHex(first.getSpanId().toByteArray())).isEqualTo(spans.get(0).getSpanId());
        assertThat(first.getEndTimeUnixNano() - first.getStartTimeUnixNano()).isEqualTo(742_500_000L);
        assertThat(Attributes.text(first.getAttributesList(), "requirement")).isEqualTo("REQ-NFR-PERF-001");
        assertThat(decoded.get(1).getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(decoded.get(1).getEventsList()).extracting(Span.Event::getName).containsExactly("exception");
        assertThat(Attributes.text(request.getResourceSpans(0).getResource().getAttributesList(), "service.name"))
                .isEqualTo("customer-portal");
    }

    @Test
    void otlpJsonFromTheSdkMarshalerDecodesToTheSameRequestAsProtobuf() throws Exception {
        List<SpanData> spans = sdkSpans();
        byte[] json = KafkaSpanExporter.marshal(spans, KafkaExporterEncoding.OTLP_JSON);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"traceId\":\"" + spans.get(0).getTraceId() + "\"");
        ExportTraceServiceRequest fromJson = OtlpDecoder.decodeTraces(json, OtlpEncoding.JSON);
        ExportTraceServiceRequest fromProto = OtlpDecoder.decodeTraces(
                KafkaSpanExporter.marshal(spans, KafkaExporterEncoding.OTLP_PROTO), OtlpEncoding.PROTOBUF);
        assertThat(fromJson).isEqualTo(fromProto);
    }

    @Test
    void withoutAHeaderBothEncodingsAreSniffed() throws Exception {
        List<SpanData> spans = sdkSpans();
        byte[] proto = KafkaSpanExporter.marshal(spans, KafkaExporterEncoding.OTLP_PROTO);
        byte[] json = KafkaSpanExporter.marshal(spans, KafkaExporterEncoding.OTLP_JSON);
        assertThat(OtlpDecoder.decodeTraces(json, null)).isEqualTo(OtlpDecoder.decodeTraces(proto, null));
        byte[] indented = ("  \n" + new String(json, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertThat(OtlpDecoder.decodeTraces(indented, null).getResourceSpansCount()).isEqualTo(1);
    }

    @Test
    void protobufThatLooksLikeJsonToTheSnifferStillDecodes() throws Exception {
        // 0x0A (field 1, "blank" newline) followed by a length of 123 (0x7B, "{"): the sniffer guesses JSON.
        ExportTraceServiceRequest request = null;
        for (int padding = 0; padding < 200 && request == null; padding++) {
            ResourceSpans rs = ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("pad")
                            .setValue(AnyValue.newBuilder().setStringValue("x".repeat(padding)))))
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("s")))
                    .build();
            if (rs.getSerializedSize() == 123) request = ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build();
        }
        assertThat(request).isNotNull();
        byte[] bytes = request.toByteArray();
        assertThat(bytes[0]).isEqualTo((byte) 0x0A);
        assertThat(bytes[1]).isEqualTo((byte) '{');
        assertThat(OtlpEncoding.sniff(bytes)).isEqualTo(OtlpEncoding.JSON);
        assertThat(OtlpDecoder.decodeTraces(bytes, null)).isEqualTo(request);
    }

    @Test
    void garbageIsRejectedWithAReasonForEachEncoding() {
        assertThatThrownBy(() -> OtlpDecoder.decodeTraces("hello, not otlp".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("not an OTLP ExportTraceServiceRequest in protobuf or JSON")
                .hasMessageContaining("as PROTOBUF")
                .hasMessageContaining("as JSON");
        assertThatThrownBy(() -> OtlpDecoder.decodeTraces("{\"resourceSpans\": 7}".getBytes(StandardCharsets.UTF_8),
                OtlpEncoding.JSON))
                .hasMessageContaining("content-type header");
        assertThatThrownBy(() -> OtlpDecoder.decodeTraces(new byte[0], null)).hasMessageContaining("empty value");
    }

    @Test
    void contentTypeHeaderIsRead() {
        RecordHeaders headers = new RecordHeaders();
        assertThat(OtlpEncoding.fromHeaders(headers)).isNull();
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        assertThat(OtlpEncoding.fromHeaders(headers)).isEqualTo(OtlpEncoding.JSON);
        RecordHeaders proto = new RecordHeaders();
        proto.add("Content-Type", "application/x-protobuf".getBytes(StandardCharsets.UTF_8));
        assertThat(OtlpEncoding.fromHeaders(proto)).isEqualTo(OtlpEncoding.PROTOBUF);
    }

    @Test
    void logExportRequestsFromTheSdkDecodeInBothEncodingsWithHexIds() throws Exception {
        byte[] protobuf;
        byte[] json;
        try (io.homeostat.testing.SdkLogs sdk = new io.homeostat.testing.SdkLogs("customer-portal")) {
            sdk.log(io.opentelemetry.api.logs.Severity.ERROR, "Login failed", Map.of("requirement", "REQ-F-AUTH-001"), END,
                    new IllegalStateException("Session store unavailable"));
            List<io.opentelemetry.sdk.logs.data.LogRecordData> logs = sdk.drain();
            protobuf = io.homeostat.exporter.kafka.KafkaLogRecordExporter.marshal(logs, KafkaExporterEncoding.OTLP_PROTO);
            json = io.homeostat.exporter.kafka.KafkaLogRecordExporter.marshal(logs, KafkaExporterEncoding.OTLP_JSON);
        }
        var fromProto = OtlpDecoder.decodeLogs(protobuf, null);
        var fromJson = OtlpDecoder.decodeLogs(json, null);
        assertThat(fromJson).isEqualTo(fromProto);
        var record = fromProto.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
        assertThat(record.getBody().getStringValue()).isEqualTo("Login failed");
        assertThat(record.getSeverityNumberValue()).isEqualTo(17);
        assertThat(Attributes.text(record.getAttributesList(), "exception.type")).isEqualTo("java.lang.IllegalStateException");
        assertThatThrownBy(() -> OtlpDecoder.decodeLogs("{\"resourceLogs\": 7}".getBytes(StandardCharsets.UTF_8), null))
                .hasMessageContaining("not an OTLP ExportLogsServiceRequest in protobuf or JSON");
        assertThatThrownBy(() -> OtlpDecoder.decodeLogs(new byte[0], OtlpEncoding.JSON))
                .hasMessageContaining("empty value: expected an OTLP ExportLogsServiceRequest");
    }
}

package io.homeostat.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.function.Supplier;

/** Decodes one Kafka record's value into one OTLP export request. */
public final class OtlpDecoder {
    private OtlpDecoder() {}

    public static ExportTraceServiceRequest decodeTraces(byte[] payload, OtlpEncoding declared)
            throws OtlpDecodeException {
        return decode(payload, declared, ExportTraceServiceRequest::newBuilder);
    }

    /**
     * Reads a trace export request into span summaries: protobuf with the {@link SpanScanner} (no generated
     * objects but for ERROR spans), OTLP/JSON through the generated classes. The same encodings, fallback
     * and messages as {@link #decodeTraces}.
     */
    public static void scanTraces(byte[] payload, OtlpEncoding declared, SpanScanner scanner, SpanSummaries into)
            throws OtlpDecodeException {
        String type = ExportTraceServiceRequest.getDescriptor().getName();
        if (payload == null || payload.length == 0) {
            throw new OtlpDecodeException("empty value: expected an OTLP " + type);
        }
        if (declared != null) {
            scan(payload, declared, true, scanner, into);
            return;
        }
        OtlpEncoding guess = OtlpEncoding.sniff(payload);
        try {
            scan(payload, guess, false, scanner, into);
        } catch (OtlpDecodeException first) {
            OtlpEncoding other = guess == OtlpEncoding.JSON ? OtlpEncoding.PROTOBUF : OtlpEncoding.JSON;
            try {
                scan(payload, other, false, scanner, into);
            } catch (OtlpDecodeException second) {
                throw new OtlpDecodeException("not an OTLP " + type + " in protobuf or JSON (no content-type header); as "
                        + guess + ": " + first.getMessage() + "; as " + other + ": " + second.getMessage(), first);
            }
        }
    }

    private static void scan(byte[] payload, OtlpEncoding encoding, boolean declared, SpanScanner scanner,
                             SpanSummaries into) throws OtlpDecodeException {
        if (encoding == OtlpEncoding.JSON) {
            ExportTraceServiceRequest request = (ExportTraceServiceRequest) decode(payload, encoding, declared,
                    ExportTraceServiceRequest.newBuilder());
            into.clear();
            into.addAll(request);
            return;
        }
        try {
            scanner.scan(payload, into);
        } catch (InvalidProtocolBufferException e) {
            into.clear();
            throw new OtlpDecodeException("not a protobuf " + ExportTraceServiceRequest.getDescriptor().getName()
                    + (declared ? " (content-type header)" : "") + ": " + e.getMessage(), e);
        }
    }

    public static ExportMetricsServiceRequest decodeMetrics(byte[] payload, OtlpEncoding declared)
            throws OtlpDecodeException {
        return decode(payload, declared, ExportMetricsServiceRequest::newBuilder);
    }

    /** Log export requests ({@code otlp_logs}), decoded exactly like traces. */
    public static ExportLogsServiceRequest decodeLogs(byte[] payload, OtlpEncoding declared)
            throws OtlpDecodeException {
        return decode(payload, declared, ExportLogsServiceRequest::newBuilder);
    }

    /**
     * @param declared the encoding named by the record's content-type header, or {@code null} to sniff;
     *                 a declared encoding is trusted, a sniffed one falls back to the other on failure
     */
    @SuppressWarnings("unchecked")
    static <M extends Message> M decode(byte[] payload, OtlpEncoding declared, Supplier<Message.Builder> builders)
            throws OtlpDecodeException {
        String type = builders.get().getDescriptorForType().getName();
        if (payload == null || payload.length == 0) {
            throw new OtlpDecodeException("empty value: expected an OTLP " + type);
        }
        if (declared != null) {
            return (M) decode(payload, declared, true, builders.get());
        }
        OtlpEncoding guess = OtlpEncoding.sniff(payload);
        try {
            return (M) decode(payload, guess, false, builders.get());
        } catch (OtlpDecodeException first) {
            OtlpEncoding other = guess == OtlpEncoding.JSON ? OtlpEncoding.PROTOBUF : OtlpEncoding.JSON;
            try {
                return (M) decode(payload, other, false, builders.get());
            } catch (OtlpDecodeException second) {
                throw new OtlpDecodeException("not an OTLP " + type + " in protobuf or JSON (no content-type header); as "
                        + guess + ": " + first.getMessage() + "; as " + other + ": " + second.getMessage(), first);
            }
        }
    }

    private static Message decode(byte[] payload, OtlpEncoding encoding, boolean declared, Message.Builder builder)
            throws OtlpDecodeException {
        String origin = declared ? " (content-type header)" : "";
        String type = builder.getDescriptorForType().getName();
        if (encoding == OtlpEncoding.JSON) {
            try {
                OtlpJson.merge(payload, builder);
            } catch (OtlpDecodeException e) {
                throw new OtlpDecodeException(e.getMessage() + origin, e);
            }
            return builder.build();
        }
        try {
            return builder.mergeFrom(payload).build();
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not a protobuf " + type + origin + ": " + e.getMessage(), e);
        }
    }
}

package io.homeostat.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** Decodes one Kafka record's value into one OTLP export request. */
public final class OtlpDecoder {
    private OtlpDecoder() {}

    /**
     * @param declared the encoding named by the record's content-type header, or {@code null} to sniff;
     *                 a declared encoding is trusted, a sniffed one falls back to the other on failure
     */
    public static ExportTraceServiceRequest decodeTraces(byte[] payload, OtlpEncoding declared)
            throws OtlpDecodeException {
        return decode(payload, declared, Kind.TRACES);
    }

    /** Log export requests ({@code otlp_logs}), decoded exactly like traces. */
    public static ExportLogsServiceRequest decodeLogs(byte[] payload, OtlpEncoding declared)
            throws OtlpDecodeException {
        return decode(payload, declared, Kind.LOGS);
    }

    /** An export request type: its name for messages, a builder for JSON, a parser for protobuf. */
    private record Kind<T extends Message>(String name, java.util.function.Supplier<Message.Builder> builder,
                                           ProtobufParser<T> parser) {
        static final Kind<ExportTraceServiceRequest> TRACES = new Kind<>("ExportTraceServiceRequest",
                ExportTraceServiceRequest::newBuilder, ExportTraceServiceRequest::parseFrom);
        static final Kind<ExportLogsServiceRequest> LOGS = new Kind<>("ExportLogsServiceRequest",
                ExportLogsServiceRequest::newBuilder, ExportLogsServiceRequest::parseFrom);
    }

    @FunctionalInterface
    private interface ProtobufParser<T> {
        T parse(byte[] payload) throws InvalidProtocolBufferException;
    }

    private static <T extends Message> T decode(byte[] payload, OtlpEncoding declared, Kind<T> kind)
            throws OtlpDecodeException {
        if (payload == null || payload.length == 0) {
            throw new OtlpDecodeException("empty value: expected an OTLP " + kind.name());
        }
        if (declared != null) {
            return decode(payload, declared, kind, true);
        }
        OtlpEncoding guess = OtlpEncoding.sniff(payload);
        try {
            return decode(payload, guess, kind, false);
        } catch (OtlpDecodeException first) {
            OtlpEncoding other = guess == OtlpEncoding.JSON ? OtlpEncoding.PROTOBUF : OtlpEncoding.JSON;
            try {
                return decode(payload, other, kind, false);
            } catch (OtlpDecodeException second) {
                throw new OtlpDecodeException("not an OTLP " + kind.name() + " in protobuf or JSON (no "
                        + "content-type header); as " + guess + ": " + first.getMessage() + "; as " + other + ": "
                        + second.getMessage(), first);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Message> T decode(byte[] payload, OtlpEncoding encoding, Kind<T> kind, boolean declared)
            throws OtlpDecodeException {
        String origin = declared ? " (content-type header)" : "";
        if (encoding == OtlpEncoding.JSON) {
            Message.Builder builder = kind.builder().get();
            try {
                OtlpJson.merge(payload, builder);
            } catch (OtlpDecodeException e) {
                throw new OtlpDecodeException(e.getMessage() + origin, e);
            }
            return (T) builder.build();
        }
        try {
            return kind.parser().parse(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not a protobuf " + kind.name() + origin + ": " + e.getMessage(), e);
        }
    }
}

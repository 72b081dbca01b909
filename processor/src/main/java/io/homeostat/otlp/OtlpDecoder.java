package io.homeostat.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
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
        if (payload == null || payload.length == 0) {
            throw new OtlpDecodeException("empty value: expected an OTLP ExportTraceServiceRequest");
        }
        if (declared != null) {
            return decodeTraces(payload, declared, true);
        }
        OtlpEncoding guess = OtlpEncoding.sniff(payload);
        try {
            return decodeTraces(payload, guess, false);
        } catch (OtlpDecodeException first) {
            OtlpEncoding other = guess == OtlpEncoding.JSON ? OtlpEncoding.PROTOBUF : OtlpEncoding.JSON;
            try {
                return decodeTraces(payload, other, false);
            } catch (OtlpDecodeException second) {
                throw new OtlpDecodeException("not an OTLP ExportTraceServiceRequest in protobuf or JSON (no "
                        + "content-type header); as " + guess + ": " + first.getMessage() + "; as " + other + ": "
                        + second.getMessage(), first);
            }
        }
    }

    private static ExportTraceServiceRequest decodeTraces(byte[] payload, OtlpEncoding encoding, boolean declared)
            throws OtlpDecodeException {
        String origin = declared ? " (content-type header)" : "";
        if (encoding == OtlpEncoding.JSON) {
            ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
            try {
                OtlpJson.merge(payload, builder);
            } catch (OtlpDecodeException e) {
                throw new OtlpDecodeException(e.getMessage() + origin, e);
            }
            return builder.build();
        }
        try {
            return ExportTraceServiceRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not a protobuf ExportTraceServiceRequest" + origin + ": " + e.getMessage(), e);
        }
    }
}

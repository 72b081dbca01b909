package io.homeostat.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How an OTLP export request is encoded on Kafka, as the OpenTelemetry Collector's Kafka exporter writes
 * it ({@code otlp_proto} or {@code otlp_json}): the {@code content-type} header when present, else sniffed.
 */
public enum OtlpEncoding {
    PROTOBUF,
    JSON;

    /** What the header says, or {@code null} when there is no (recognised) content-type header. */
    public static OtlpEncoding fromHeaders(Headers headers) {
        if (headers == null) return null;
        for (Header header : headers) {
            if (header.key() != null && header.key().equalsIgnoreCase("content-type") && header.value() != null) {
                String type = new String(header.value(), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                if (type.contains("protobuf")) return PROTOBUF;
                if (type.contains("json")) return JSON;
            }
        }
        return null;
    }

    /**
     * Sniffs the payload: the first non-blank byte {@code {} means JSON. This is only a first guess for
     * payloads without a header, because a protobuf request begins with 0x0A (a "blank" newline) and its
     * length byte may happen to be 0x7B; the decoder tries the other encoding when the guess fails.
     */
    public static OtlpEncoding sniff(byte[] payload) {
        for (byte b : payload) {
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') continue;
            return b == '{' ? JSON : PROTOBUF;
        }
        return PROTOBUF;
    }

    public String contentType() {
        return this == JSON ? "application/json" : "application/x-protobuf";
    }
}

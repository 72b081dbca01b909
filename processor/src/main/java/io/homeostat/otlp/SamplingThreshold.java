package io.homeostat.otlp;

import java.nio.charset.StandardCharsets;

/**
 * A span's adjusted count from its W3C {@code tracestate}: the OpenTelemetry entry {@code ot}, sub-key {@code th}
 * (the rejection threshold of probability sampling, as the consistent-probability samplers and the Collector's
 * probabilistic sampler write it). Per the OpenTelemetry specification ("TraceState: Probability Sampling",
 * "TraceState handling"): the value is 1 to 14 hexadecimal digits, extended with trailing zeros to 14 digits and
 * read as a 56-bit rejection threshold {@code T}; the sampling probability is {@code (2^56 − T) / 2^56} and the
 * adjusted count its inverse, {@code 2^56 / (2^56 − T)}. {@code th:0} is 100 % sampling (adjusted count 1).
 *
 * <p>No {@code ot} entry, no {@code th}, or an invalid one (empty, longer than 14 digits, not hex) leaves the
 * adjusted count <em>unknown</em> ({@link Double#NaN}): such a span was not sampled by probability as far as its
 * trace state tells, and the target's own sampling setting (or 1) applies. Reads bytes without allocating.
 */
public final class SamplingThreshold {
    /** 2^56: the number of distinct 56-bit randomness values. */
    static final double MAX_ADJUSTED_COUNT = 0x1p56;
    private static final int MAX_DIGITS = 14;

    private SamplingThreshold() {}

    /** The adjusted count of a span whose trace state is {@code traceState}; {@link Double#NaN} when unknown. */
    public static double adjustedCount(String traceState) {
        if (traceState == null || traceState.isEmpty()) return Double.NaN;
        byte[] bytes = traceState.getBytes(StandardCharsets.UTF_8);
        return adjustedCount(bytes, 0, bytes.length);
    }

    /** As {@link #adjustedCount(String)}, over the UTF-8 bytes {@code [offset, offset + length)}. */
    public static double adjustedCount(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int at = offset;
        // list = list-member *( OWS "," OWS list-member ); the first "ot" member counts (keys are unique).
        while (at < end) {
            int memberEnd = indexOf(bytes, at, end, (byte) ',');
            int keyStart = skipSpaces(bytes, at, memberEnd);
            if (memberEnd - keyStart >= 3 && bytes[keyStart] == 'o' && bytes[keyStart + 1] == 't' && bytes[keyStart + 2] == '=') {
                return fromOtValue(bytes, keyStart + 3, trimEnd(bytes, keyStart + 3, memberEnd));
            }
            at = memberEnd + 1;
        }
        return Double.NaN;
    }

    /** The {@code ot} value: {@code key:value} pairs separated by {@code ;}; the first {@code th} counts. */
    private static double fromOtValue(byte[] bytes, int start, int end) {
        int at = start;
        while (at < end) {
            int pairEnd = indexOf(bytes, at, end, (byte) ';');
            if (pairEnd - at >= 3 && bytes[at] == 't' && bytes[at + 1] == 'h' && bytes[at + 2] == ':') {
                return fromThreshold(bytes, at + 3, pairEnd);
            }
            at = pairEnd + 1;
        }
        return Double.NaN;
    }

    private static double fromThreshold(byte[] bytes, int start, int end) {
        int digits = end - start;
        if (digits < 1 || digits > MAX_DIGITS) return Double.NaN;
        long threshold = 0;
        for (int i = start; i < end; i++) {
            int digit = bytes[i] < 0 ? -1 : Character.digit(bytes[i], 16);
            if (digit < 0) return Double.NaN;
            threshold = threshold << 4 | digit;
        }
        threshold <<= 4 * (MAX_DIGITS - digits);
        return MAX_ADJUSTED_COUNT / ((1L << 56) - threshold); // exact in long: 2^56 − T is at least 1
    }

    private static int indexOf(byte[] bytes, int from, int end, byte b) {
        for (int i = from; i < end; i++) if (bytes[i] == b) return i;
        return end;
    }

    private static int skipSpaces(byte[] bytes, int from, int end) {
        while (from < end && (bytes[from] == ' ' || bytes[from] == '\t')) from++;
        return from;
    }

    private static int trimEnd(byte[] bytes, int start, int end) {
        while (end > start && (bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) end--;
        return end;
    }
}

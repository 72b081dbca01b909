package io.homeostat.otlp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), the rule
 * protobuf applies to {@code string} fields when it parses them. ASCII, nearly all of OTLP's text, takes
 * the fast loop.
 */
final class Utf8Check {
    /** Eight bytes at a time: ASCII has no high bit in any of them. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Check() {}

    static boolean isValid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        if (length >= 8) {
            while (end - i >= 8 && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) i += 8;
            // the last 8 bytes in one read (overlapping the checked ones) rather than byte by byte
            if (i == end || (i > end - 8 && ((long) LONGS.get(bytes, end - 8) & HIGH_BITS) == 0)) return true;
        }
        while (i < end && bytes[i] >= 0) i++;
        while (i < end) {
            int b = bytes[i++];
            if (b >= 0) continue;
            if (b < (byte) 0xC2) return false; // continuation byte, or overlong 2-byte lead (C0, C1)
            if (b < (byte) 0xE0) {
                if (i >= end || !continuation(bytes[i++])) return false;
            } else if (b < (byte) 0xF0) {
                if (i + 1 >= end) return false;
                int b1 = bytes[i++];
                if (!continuation(b1)
                        || (b == (byte) 0xE0 && b1 < (byte) 0xA0)   // overlong
                        || (b == (byte) 0xED && b1 >= (byte) 0xA0)  // UTF-16 surrogates
                        || !continuation(bytes[i++])) {
                    return false;
                }
            } else {
                if (b > (byte) 0xF4 || i + 2 >= end) return false;
                int b1 = bytes[i++];
                if (!continuation(b1)
                        || (b == (byte) 0xF0 && b1 < (byte) 0x90)   // overlong
                        || (b == (byte) 0xF4 && b1 >= (byte) 0x90)  // above U+10FFFF
                        || !continuation(bytes[i++]) || !continuation(bytes[i++])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean continuation(int b) {
        return b >= (byte) 0x80 && b < (byte) 0xC0;
    }
}

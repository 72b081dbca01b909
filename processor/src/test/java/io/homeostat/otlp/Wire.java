package io.homeostat.otlp;

import com.google.protobuf.MessageLite;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Protobuf wire forms by hand: what an encoder may legally (or illegally) write that the SDKs never do. */
final class Wire {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Wire of() {
        return new Wire();
    }

    Wire tag(int field, int wireType) {
        return rawVarint((long) field << 3 | wireType);
    }

    Wire rawVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
        return this;
    }

    Wire varint(int field, long value) {
        return tag(field, 0).rawVarint(value);
    }

    Wire fixed64(int field, long value) {
        tag(field, 1);
        for (int i = 0; i < 8; i++) out.write((int) (value >>> (8 * i)));
        return this;
    }

    Wire fixed32(int field, int value) {
        tag(field, 5);
        for (int i = 0; i < 4; i++) out.write(value >>> (8 * i));
        return this;
    }

    Wire bytes(int field, byte[] value) {
        tag(field, 2).rawVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    Wire string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Wire message(int field, Wire value) {
        return bytes(field, value.build());
    }

    Wire message(int field, MessageLite value) {
        return bytes(field, value.toByteArray());
    }

    Wire group(int field, Wire content) {
        tag(field, 3);
        out.writeBytes(content.build());
        return tag(field, 4);
    }

    Wire raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    Wire raw(Wire other) {
        out.writeBytes(other.build());
        return this;
    }

    /** A KeyValue with a string value. */
    static Wire keyValue(String key, String value) {
        return of().string(1, key).message(2, of().string(1, value));
    }

    byte[] build() {
        return out.toByteArray();
    }
}

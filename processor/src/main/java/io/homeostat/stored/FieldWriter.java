package io.homeostat.stored;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/** Writes the numbered fields of one record ({@link StoredFormat}); every method writes one field. */
public final class FieldWriter {
    private final CodedOutputStream out;

    private FieldWriter(ByteArrayOutputStream bytes) {
        this.out = CodedOutputStream.newInstance(bytes, 256);
    }

    /** @param formatByte {@code null} for an embedded record (no format byte, no checksum) */
    static byte[] encode(Byte formatByte, Consumer<FieldWriter> fields) {
        Buffer bytes = new Buffer();
        if (formatByte != null) bytes.write(formatByte);
        FieldWriter writer = new FieldWriter(bytes);
        fields.accept(writer);
        try {
            writer.out.flush();
        } catch (IOException e) {
            throw StoredFormat.unchecked(e);
        }
        if (formatByte != null) bytes.appendChecksum();
        return bytes.toByteArray();
    }

    /** A byte buffer that can checksum what it holds without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(256);
        }

        void appendChecksum() {
            int crc = StoredFormat.checksum(buf, 0, count);
            for (int shift = 24; shift >= 0; shift -= 8) write(crc >>> shift);
        }
    }

    public FieldWriter int64(int field, long value) {
        try {
            out.writeInt64(field, value);
        } catch (IOException e) {
            throw StoredFormat.unchecked(e);
        }
        return this;
    }

    public FieldWriter int32(int field, int value) {
        try {
            out.writeInt32(field, value);
        } catch (IOException e) {
            throw StoredFormat.unchecked(e);
        }
        return this;
    }

    public FieldWriter bool(int field, boolean value) {
        try {
            out.writeBool(field, value);
        } catch (IOException e) {
            throw StoredFormat.unchecked(e);
        }
        return this;
    }

    public FieldWriter float64(int field, double value) {
        try {
            out.writeDouble(field, value);
        } catch (IOException e) {
            throw StoredFormat.unchecked(e);
        }
        return this;
    }

    /** A string; {@code null} is no field (read back as {@code null}). */
    public FieldWriter string(int field, String value) {
        if (value == null) return this;
        try {
            out.writeString(field, value);
        } catch (IOException e) {
            throw StoredFormat.unchecked(e);
        }
        return this;
    }

    /** Bytes; {@code null} is no field. */
    public FieldWriter bytes(int field, byte[] value) {
        if (value == null) return this;
        try {
            out.writeByteArray(field, value);
        } catch (IOException e) {
            throw StoredFormat.unchecked(e);
        }
        return this;
    }

    /** A repeated string field: one field per element, in order. */
    public FieldWriter strings(int field, Collection<String> values) {
        for (String value : values) string(field, value);
        return this;
    }

    /** A map of strings: one embedded (key = 1, value = 2) entry per element, in the map's order. */
    public FieldWriter stringMap(int field, Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            message(field, entry -> entry.string(1, e.getKey()).string(2, e.getValue()));
        }
        return this;
    }

    /** An embedded record: its own numbered fields, as one length-delimited field. */
    public FieldWriter message(int field, Consumer<FieldWriter> fields) {
        return bytes(field, StoredFormat.encodeFields(fields));
    }
}

package io.homeostat.stored;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.Map;

/**
 * Reads the numbered fields of one record ({@link StoredFormat}):
 * <pre>
 * for (int field; (field = in.next()) != 0; ) {
 *     switch (field) {
 *         case COUNT -> count = in.int64();
 *         default -> in.skip(); // written by a newer version
 *     }
 * }
 * </pre>
 */
public final class FieldReader {
    private final CodedInputStream in;
    private int tag;

    FieldReader(CodedInputStream in) {
        this.in = in;
    }

    /** A record's fields, read. */
    @FunctionalInterface
    public interface Body<T> {
        T read(FieldReader in) throws IOException;
    }

    /** The number of the next field, or 0 at the end of the record. */
    public int next() throws IOException {
        tag = in.readTag();
        return tag == 0 ? 0 : WireFormat.getTagFieldNumber(tag);
    }

    /** Skips the current field (one this version does not know). */
    public void skip() throws IOException {
        in.skipField(tag);
    }

    public long int64() throws IOException {
        return in.readInt64();
    }

    public int int32() throws IOException {
        return in.readInt32();
    }

    public boolean bool() throws IOException {
        return in.readBool();
    }

    public double float64() throws IOException {
        return in.readDouble();
    }

    public String string() throws IOException {
        return in.readStringRequireUtf8();
    }

    public byte[] bytes() throws IOException {
        return in.readByteArray();
    }

    /** One entry of a {@link FieldWriter#stringMap}, put into {@code into}. */
    public void stringMapEntry(Map<String, String> into) throws IOException {
        message("map entry", entry -> {
            String key = null;
            String value = null;
            for (int field; (field = entry.next()) != 0; ) {
                switch (field) {
                    case 1 -> key = entry.string();
                    case 2 -> value = entry.string();
                    default -> entry.skip();
                }
            }
            if (key == null || value == null) throw new IOException("map entry without key or value");
            into.put(key, value);
            return null;
        });
    }

    /** An embedded record. */
    public <T> T message(String what, Body<T> fields) throws IOException {
        int length = in.readRawVarint32();
        if (length < 0) throw new IOException(what + ": negative length");
        int outer = in.pushLimit(length);
        T value = fields.read(new FieldReader(in));
        if (!in.isAtEnd()) throw new IOException(what + ": not read to its end");
        in.popLimit(outer);
        return value;
    }
}

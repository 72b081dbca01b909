package io.homeostat.stored;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes the numbered fields of one record ({@link StoredFormat}); every method writes one field. Records
 * are written on the hot path (every partial, every slice update), so they are encoded into per-thread
 * scratch buffers, one per nesting level, and copied out once.
 */
public final class FieldWriter {
    private static final int INITIAL_BUFFER = 8 * 1024;
    /** Scratch buffers larger than this are not kept for the next record. */
    private static final int MAX_KEPT_BUFFER = 1024 * 1024;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final CodedOutputStream out;
    private final Scratch scratch;

    private FieldWriter(CodedOutputStream out, Scratch scratch) {
        this.out = out;
        this.scratch = scratch;
    }

    /** Per-thread buffers, one per nesting level of the record being written. */
    private static final class Scratch {
        byte[][] buffers = new byte[4][];
        int depth;
        int length;

        byte[] buffer(int level) {
            if (level >= buffers.length) buffers = Arrays.copyOf(buffers, level * 2);
            if (buffers[level] == null) buffers[level] = new byte[INITIAL_BUFFER];
            return buffers[level];
        }

        void grow(int level) {
            buffers[level] = new byte[buffers[level].length * 2];
        }

        void shrink(int level) {
            if (buffers[level].length > MAX_KEPT_BUFFER) buffers[level] = null;
        }
    }

    /** @param formatByte {@code null} for an embedded record (no format byte, no checksum) */
    static byte[] encode(Byte formatByte, Consumer<FieldWriter> fields) {
        Scratch scratch = SCRATCH.get();
        int level = scratch.depth;
        byte[] buffer = encodeInto(scratch, level, formatByte, fields);
        byte[] record = Arrays.copyOf(buffer, scratch.length);
        scratch.shrink(level);
        return record;
    }

    /** Encodes into the scratch buffer of {@code level} (grown until it fits); its length is {@code scratch.length}. */
    private static byte[] encodeInto(Scratch scratch, int level, Byte formatByte, Consumer<FieldWriter> fields) {
        scratch.depth = level + 1;
        try {
            while (true) {
                byte[] buffer = scratch.buffer(level);
                CodedOutputStream out = CodedOutputStream.newInstance(buffer);
                try {
                    if (formatByte != null) out.writeRawByte(formatByte);
                    fields.accept(new FieldWriter(out, scratch));
                    int length = out.getTotalBytesWritten();
                    if (formatByte != null) {
                        if (length + 4 > buffer.length) {
                            scratch.grow(level); // no room for the checksum
                            continue;
                        }
                        int crc = StoredFormat.checksum(buffer, 0, length);
                        for (int shift = 24; shift >= 0; shift -= 8) buffer[length++] = (byte) (crc >>> shift);
                    }
                    scratch.length = length;
                    return buffer;
                } catch (CodedOutputStream.OutOfSpaceException e) {
                    scratch.grow(level);
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof CodedOutputStream.OutOfSpaceException)) throw e;
                    scratch.grow(level);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        } finally {
            scratch.depth = level;
        }
    }

    public FieldWriter int64(int field, long value) {
        try {
            out.writeInt64(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FieldWriter int32(int field, int value) {
        try {
            out.writeInt32(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FieldWriter bool(int field, boolean value) {
        try {
            out.writeBool(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public FieldWriter float64(int field, double value) {
        try {
            out.writeDouble(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A string; {@code null} is no field (read back as {@code null}). */
    public FieldWriter string(int field, String value) {
        if (value == null) return this;
        try {
            out.writeString(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Bytes; {@code null} is no field. */
    public FieldWriter bytes(int field, byte[] value) {
        if (value == null) return this;
        return bytes(field, value, 0, value.length);
    }

    private FieldWriter bytes(int field, byte[] value, int offset, int length) {
        try {
            out.writeByteArray(field, value, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        int level = scratch.depth;
        byte[] nested = encodeInto(scratch, level, null, fields);
        return bytes(field, nested, 0, scratch.length);
    }
}

package io.homeostat.stored;

import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * The one format of every record Homeostat keeps: every changelogged store value and every record of its
 * repartition topics. A record is one format byte, {@link #TAGGED}, then fields in the protobuf wire format
 * (protobuf-java's coded streams; no generated code), then a CRC-32C of all that (4 bytes, big-endian:
 * numbered fields would otherwise read damaged bytes as a plausible record). Each field carries its number,
 * so that
 *
 * <ul>
 *   <li>adding a field is backward and forward compatible: give it the next unused number in its codec,
 *       write it, and read it in the codec's switch; an older reader skips it, a newer reader of an older
 *       record finds it absent and uses the default the codec names;</li>
 *   <li>numbers are never reused or renumbered, and enums are written as explicit codes (never
 *       {@code ordinal()});</li>
 *   <li>a change no reader can skip (a field's meaning changes) takes a new format byte, {@code 0x11} and up,
 *       beside a reader of the old one.</li>
 * </ul>
 *
 * Records written before the formats were versioned began with a byte below {@code 0x10} (a version 1, a tag
 * or an enum ordinal), with {@code '{'} (JSON) or with text; each codec still reads its store's old form
 * ({@code stored-formats/legacy} in the tests holds their bytes) and never writes it.
 */
public final class StoredFormat {
    /** The format byte of every record written today. */
    public static final byte TAGGED = 0x10;
    private static final int CHECKSUM_BYTES = 4;

    private StoredFormat() {}

    /** A record: the format byte, then what {@code fields} writes. */
    public static byte[] write(Consumer<FieldWriter> fields) {
        return FieldWriter.encode(TAGGED, fields);
    }

    /** Whether {@code bytes} is a record of today's format (else one of a store's older forms, or garbage). */
    public static boolean isTagged(byte[] bytes) {
        return bytes.length > 0 && bytes[0] == TAGGED;
    }

    /**
     * Reads a record of today's format with {@code fields}.
     *
     * @param what what the record is, for the error message
     * @throws UnreadableException when it is not one, or is truncated or corrupt
     */
    public static <T> T read(byte[] bytes, String what, FieldReader.Body<T> fields) {
        if (!isTagged(bytes)) {
            throw unknownFormat(what, bytes);
        }
        int end = bytes.length - CHECKSUM_BYTES;
        if (end < 1) throw new UnreadableException(what + ": truncated or corrupt record: too short");
        int stored = ((bytes[end] & 0xFF) << 24) | ((bytes[end + 1] & 0xFF) << 16) | ((bytes[end + 2] & 0xFF) << 8)
                | (bytes[end + 3] & 0xFF);
        if (stored != checksum(bytes, 0, end)) {
            throw new UnreadableException(what + ": truncated or corrupt record: checksum mismatch");
        }
        return readFields(bytes, 1, end - 1, what, fields);
    }

    /** Reads fields without a format byte (an embedded message). */
    static <T> T readFields(byte[] bytes, int offset, int length, String what, FieldReader.Body<T> fields) {
        try {
            return fields.read(new FieldReader(CodedInputStream.newInstance(bytes, offset, length)));
        } catch (UnreadableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UnreadableException(what + ": truncated or corrupt record: " + e, e);
        }
    }

    /** The error for a record whose format byte no reader of this version knows. */
    public static UnreadableException unknownFormat(String what, byte[] bytes) {
        return new UnreadableException(what + ": " + (bytes.length == 0 ? "empty record"
                : "unknown format version " + bytes[0] + String.format(" (first byte 0x%02x)", bytes[0])));
    }

    /** A stored value or repartition record that cannot be read: a newer format, or damage. */
    public static final class UnreadableException extends IllegalArgumentException {
        public UnreadableException(String message) {
            super(message);
        }

        public UnreadableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static int checksum(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

}

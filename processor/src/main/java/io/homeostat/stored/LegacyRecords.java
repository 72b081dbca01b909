package io.homeostat.stored;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Reading the records written before the {@link StoredFormat} ({@link DataInputStream} layouts with a
 * version byte): the codecs read them so that state and repartition records of an older Homeostat survive an
 * upgrade; nothing writes them any more.
 */
public final class LegacyRecords {
    private LegacyRecords() {}

    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    public static <T> T read(byte[] bytes, int offset, int length, String what, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            return reader.read(in);
        } catch (IOException | RuntimeException e) {
            throw new StoredFormat.UnreadableException(what + " (format 1): truncated or corrupt record: " + e, e);
        }
    }

    public static <T> T read(byte[] bytes, String what, Reader<T> reader) {
        return read(bytes, 0, bytes.length, what, reader);
    }

    public static void checkVersion(byte actual, byte expected, String what) throws IOException {
        if (actual != expected) throw new IOException("unknown " + what + " version " + actual);
    }
}

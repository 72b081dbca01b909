package io.homeostat.aggregate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writing and reading the compact binary records of state stores and repartition topics with
 * {@link DataOutputStream}/{@link DataInputStream}: one place for the stream plumbing and for turning a
 * short or garbled record into an {@link IllegalArgumentException} that says so.
 */
public final class BinaryRecords {
    private BinaryRecords() {}

    @FunctionalInterface
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    public static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static <T> T read(byte[] bytes, int offset, int length, Reader<T> reader) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, offset, length))) {
            return reader.read(in);
        } catch (UnknownVersionException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("truncated or corrupt record: " + e, e);
        }
    }

    public static <T> T read(byte[] bytes, Reader<T> reader) {
        return read(bytes, 0, bytes.length, reader);
    }

    public static void checkVersion(byte actual, byte expected, String what) {
        if (actual != expected) throw new UnknownVersionException("unknown " + what + " version " + actual);
    }

    /** A record written by another (newer) version of Homeostat. */
    public static final class UnknownVersionException extends IllegalArgumentException {
        UnknownVersionException(String message) {
            super(message);
        }
    }
}

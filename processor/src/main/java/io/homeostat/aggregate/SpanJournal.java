package io.homeostat.aggregate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One input record's contribution to a decode task's {@link SpanSliceBuffer}, as written to the task's
 * changelogged journal store: what a restarted task replays to rebuild the buffer exactly, so that spans
 * folded into the buffer but not yet flushed downstream survive a crash under exactly-once (the journal
 * entry, the flush that deletes it and the input offsets commit together).
 *
 * <p>Per span: its requirement and slice (as indexes into per-entry tables), duration, error flag, and
 * its trace id only if the buffer asked for it (a sample) — replaying the same spans into the same empty
 * buffer asks for the same ones. Layout, version 1: version, record timestamp, requirement table, slice
 * table, span count, then per span: requirement index, slice index (varints), duration (double), flags
 * (1 error, 2 trace id asked for, 4 trace id present), trace id (16 bytes, when present).
 */
public final class SpanJournal {
    private static final byte VERSION = 1;
    private static final int ERROR = 1;
    private static final int ASKED = 2;
    private static final int PRESENT = 4;
    private static final HexFormat HEX = HexFormat.of();

    /** Builds one entry, reused from record to record. */
    public static final class Writer {
        private String[] requirements = new String[64];
        private int requirementCount;
        /** requirement -> index + 1, open addressing (a request names up to a few hundred requirements). */
        private String[] indexKeys = new String[256];
        private int[] indexValues = new int[256];
        private long[] slices = new long[8];
        private int sliceCount;
        private byte[] spans = new byte[16 * 1024];
        private int spanBytes;
        private int spanCount;

        public void clear() {
            if (requirementCount > 0) {
                Arrays.fill(indexKeys, null);
                Arrays.fill(indexValues, 0);
            }
            Arrays.fill(requirements, 0, requirementCount, null);
            requirementCount = 0;
            sliceCount = 0;
            spanBytes = 0;
            spanCount = 0;
        }

        public int spans() {
            return spanCount;
        }

        /** @param traceId the 16 trace id bytes at {@code traceIdOffset} when asked for and present, else {@code null} */
        public void add(String requirement, long sliceStart, double durationMs, boolean error, boolean asked, byte[] traceId,
                 int traceIdOffset) {
            ensure(5 + 5 + 8 + 1 + 16);
            spanBytes = putVarint(spans, spanBytes, requirementIndex(requirement));
            spanBytes = putVarint(spans, spanBytes, sliceIndex(sliceStart));
            long bits = Double.doubleToRawLongBits(durationMs);
            for (int i = 0; i < 8; i++) spans[spanBytes++] = (byte) (bits >>> (56 - 8 * i));
            spans[spanBytes++] = (byte) ((error ? ERROR : 0) | (asked ? ASKED : 0) | (traceId != null ? PRESENT : 0));
            if (traceId != null) {
                System.arraycopy(traceId, traceIdOffset, spans, spanBytes, 16);
                spanBytes += 16;
            }
            spanCount++;
        }

        public byte[] toEntry(long timestampMs) {
            byte[][] names = new byte[requirementCount][];
            int size = 1 + 8 + 5 + 5 + sliceCount * 8 + 5 + spanBytes;
            for (int i = 0; i < requirementCount; i++) {
                names[i] = requirements[i].getBytes(StandardCharsets.UTF_8);
                size += 5 + names[i].length;
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.put(VERSION).putLong(timestampMs);
            putVarint(out, requirementCount);
            for (byte[] name : names) {
                putVarint(out, name.length);
                out.put(name);
            }
            putVarint(out, sliceCount);
            for (int i = 0; i < sliceCount; i++) out.putLong(slices[i]);
            putVarint(out, spanCount);
            out.put(spans, 0, spanBytes);
            return Arrays.copyOf(out.array(), out.position());
        }

        private int requirementIndex(String requirement) {
            int mask = indexKeys.length - 1;
            int slot = (requirement.hashCode() * 0x9E3779B9) >>> 16 & mask;
            while (indexKeys[slot] != null) {
                if (indexKeys[slot] == requirement || indexKeys[slot].equals(requirement)) return indexValues[slot] - 1;
                slot = (slot + 1) & mask;
            }
            if (requirementCount == requirements.length) requirements = Arrays.copyOf(requirements, requirementCount * 2);
            requirements[requirementCount] = requirement;
            indexKeys[slot] = requirement;
            indexValues[slot] = requirementCount + 1;
            requirementCount++;
            if (requirementCount * 2 > indexKeys.length) rehash();
            return requirementCount - 1;
        }

        private void rehash() {
            indexKeys = new String[indexKeys.length * 2];
            indexValues = new int[indexKeys.length];
            int mask = indexKeys.length - 1;
            for (int i = 0; i < requirementCount; i++) {
                int slot = (requirements[i].hashCode() * 0x9E3779B9) >>> 16 & mask;
                while (indexKeys[slot] != null) slot = (slot + 1) & mask;
                indexKeys[slot] = requirements[i];
                indexValues[slot] = i + 1;
            }
        }

        private int sliceIndex(long sliceStart) {
            for (int i = 0; i < sliceCount; i++) if (slices[i] == sliceStart) return i;
            if (sliceCount == slices.length) slices = Arrays.copyOf(slices, sliceCount * 2);
            slices[sliceCount] = sliceStart;
            return sliceCount++;
        }

        private void ensure(int more) {
            if (spanBytes + more > spans.length) spans = Arrays.copyOf(spans, Math.max(spans.length * 2, spanBytes + more));
        }
    }

    private SpanJournal() {}

    /** Folds an entry's spans into {@code buffer}, exactly as they were folded when it was written. */
    public static void replay(byte[] entry, SpanSliceBuffer buffer) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        byte version = in.get();
        if (version != VERSION) throw new IllegalArgumentException("unknown span journal version " + version);
        long timestampMs = in.getLong();
        String[] requirements = new String[getVarint(in)];
        for (int i = 0; i < requirements.length; i++) {
            byte[] name = new byte[getVarint(in)];
            in.get(name);
            requirements[i] = new String(name, StandardCharsets.UTF_8);
        }
        long[] slices = new long[getVarint(in)];
        for (int i = 0; i < slices.length; i++) slices[i] = in.getLong();
        int spans = getVarint(in);
        for (int s = 0; s < spans; s++) {
            String requirement = requirements[getVarint(in)];
            long sliceStart = slices[getVarint(in)];
            double durationMs = in.getDouble();
            int flags = in.get();
            String traceId = null;
            if ((flags & PRESENT) != 0) {
                byte[] raw = new byte[16];
                in.get(raw);
                traceId = HEX.formatHex(raw);
            }
            String hex = traceId;
            // A sample the buffer did not ask for when the entry was written is not in it: none to give.
            buffer.add(requirement, sliceStart, durationMs, (flags & ERROR) != 0, timestampMs, () -> hex);
        }
    }

    private static int putVarint(byte[] out, int at, int value) {
        while ((value & ~0x7F) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    private static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7F) != 0) {
            out.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static int getVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) return value;
        }
    }
}

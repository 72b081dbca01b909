package io.homeostat.aggregate;

import io.homeostat.stored.StoredFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One input record's contribution to a decode task's {@link SpanSliceBuffer}, as written to the task's
 * changelogged journal store: what a restarted task replays to rebuild the buffer exactly, so that spans
 * folded into the buffer but not yet flushed downstream survive a crash under exactly-once (the journal
 * entry, the flush that deletes it and the input offsets commit together).
 *
 * <p>Per span: its requirement and slice (as indexes into per-entry tables), duration, error flag, and
 * its trace id only if the buffer asked for it (a sample) — replaying the same spans into the same empty
 * buffer asks for the same ones. An entry is a record of the {@link StoredFormat}: 1 the input record's
 * timestamp, 2 the requirements (repeated), 3 the slice starts (repeated), 4 the span count, 5 the spans,
 * packed: per span its requirement index and slice index (varints), duration (double, big-endian), flags
 * (1 error, 2 trace id asked for, 4 trace id present) and trace id (16 bytes, when present). A change to the
 * packed layout is a new field: an entry with a span whose trace state gave its adjusted count has all its spans in
 * 7 (their count in 6) instead of 5, where flag 8 says an adjusted count (double, big-endian) follows the flags;
 * entries without sampled spans are written as before. Entries of the format before it (version byte 1) are
 * replayed too.
 */
public final class SpanJournal {
    private static final int TIMESTAMP = 1;
    private static final int REQUIREMENT = 2;
    private static final int SLICE_START = 3;
    private static final int SPAN_COUNT = 4;
    private static final int SPANS = 5;
    private static final int SAMPLED_SPAN_COUNT = 6;
    private static final int SAMPLED_SPANS = 7;
    private static final byte LEGACY_V1 = 1;
    private static final int ERROR = 1;
    private static final int ASKED = 2;
    private static final int PRESENT = 4;
    private static final int ADJUSTED = 8;
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
        private boolean sampled;

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
            sampled = false;
        }

        public int spans() {
            return spanCount;
        }

        /** @param traceId the 16 trace id bytes at {@code traceIdOffset} when asked for and present, else {@code null} */
        public void add(String requirement, long sliceStart, double durationMs, boolean error, boolean asked, byte[] traceId,
                 int traceIdOffset) {
            add(requirement, sliceStart, durationMs, error, Double.NaN, asked, traceId, traceIdOffset);
        }

        /** @param adjustedCount the span's adjusted count, {@link Double#NaN} when its trace state gave none */
        public void add(String requirement, long sliceStart, double durationMs, boolean error, double adjustedCount,
                        boolean asked, byte[] traceId, int traceIdOffset) {
            ensure(5 + 5 + 8 + 1 + 8 + 16);
            boolean hasAdjusted = adjustedCount == adjustedCount;
            sampled |= hasAdjusted;
            spanBytes = putVarint(spans, spanBytes, requirementIndex(requirement));
            spanBytes = putVarint(spans, spanBytes, sliceIndex(sliceStart));
            long bits = Double.doubleToRawLongBits(durationMs);
            for (int i = 0; i < 8; i++) spans[spanBytes++] = (byte) (bits >>> (56 - 8 * i));
            spans[spanBytes++] = (byte) ((error ? ERROR : 0) | (asked ? ASKED : 0) | (traceId != null ? PRESENT : 0)
                    | (hasAdjusted ? ADJUSTED : 0));
            if (hasAdjusted) {
                long adjustedBits = Double.doubleToRawLongBits(adjustedCount);
                for (int i = 0; i < 8; i++) spans[spanBytes++] = (byte) (adjustedBits >>> (56 - 8 * i));
            }
            if (traceId != null) {
                System.arraycopy(traceId, traceIdOffset, spans, spanBytes, 16);
                spanBytes += 16;
            }
            spanCount++;
        }

        public byte[] toEntry(long timestampMs) {
            byte[] packed = Arrays.copyOf(spans, spanBytes);
            return StoredFormat.write(out -> {
                out.int64(TIMESTAMP, timestampMs);
                for (int i = 0; i < requirementCount; i++) out.string(REQUIREMENT, requirements[i]);
                for (int i = 0; i < sliceCount; i++) out.int64(SLICE_START, slices[i]);
                if (sampled) out.int32(SAMPLED_SPAN_COUNT, spanCount).bytes(SAMPLED_SPANS, packed);
                else out.int32(SPAN_COUNT, spanCount).bytes(SPANS, packed);
            });
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
        if (!StoredFormat.isTagged(entry)) {
            SpanAggregateCodec.legacy("span journal entry", () -> {
                replayLegacy(entry, buffer);
                return null;
            });
            return;
        }
        Entry read = StoredFormat.read(entry, "span journal entry", in -> {
            long timestampMs = 0;
            List<String> requirements = new ArrayList<>();
            long[] slices = new long[8];
            int sliceCount = 0;
            int spanCount = 0;
            byte[] spans = new byte[0];
            int sampledCount = 0;
            byte[] sampledSpans = null;
            for (int field; (field = in.next()) != 0; ) {
                switch (field) {
                    case TIMESTAMP -> timestampMs = in.int64();
                    case REQUIREMENT -> requirements.add(in.string());
                    case SLICE_START -> {
                        if (sliceCount == slices.length) slices = Arrays.copyOf(slices, sliceCount * 2);
                        slices[sliceCount++] = in.int64();
                    }
                    case SPAN_COUNT -> spanCount = in.int32();
                    case SPANS -> spans = in.bytes();
                    case SAMPLED_SPAN_COUNT -> sampledCount = in.int32();
                    case SAMPLED_SPANS -> sampledSpans = in.bytes();
                    default -> in.skip();
                }
            }
            if (sampledSpans != null) return new Entry(timestampMs, requirements.toArray(new String[0]),
                    Arrays.copyOf(slices, sliceCount), sampledCount, sampledSpans);
            return new Entry(timestampMs, requirements.toArray(new String[0]), Arrays.copyOf(slices, sliceCount),
                    spanCount, spans);
        });
        replaySpans(read.timestampMs(), read.requirements(), read.slices(), read.spanCount(), ByteBuffer.wrap(read.spans()),
                buffer);
    }

    private record Entry(long timestampMs, String[] requirements, long[] slices, int spanCount, byte[] spans) {}

    /** An entry of the format before the stored format: version byte 1, then a fixed layout. */
    private static void replayLegacy(byte[] entry, SpanSliceBuffer buffer) {
        ByteBuffer in = ByteBuffer.wrap(entry);
        byte version = in.get();
        if (version != LEGACY_V1) throw new IllegalArgumentException("unknown span journal version " + version);
        long timestampMs = in.getLong();
        String[] requirements = new String[getVarint(in)];
        for (int i = 0; i < requirements.length; i++) {
            byte[] name = new byte[getVarint(in)];
            in.get(name);
            requirements[i] = new String(name, StandardCharsets.UTF_8);
        }
        long[] slices = new long[getVarint(in)];
        for (int i = 0; i < slices.length; i++) slices[i] = in.getLong();
        replaySpans(timestampMs, requirements, slices, getVarint(in), in, buffer);
    }

    private static void replaySpans(long timestampMs, String[] requirements, long[] slices, int spans, ByteBuffer in,
                                    SpanSliceBuffer buffer) {
        for (int s = 0; s < spans; s++) {
            String requirement = requirements[getVarint(in)];
            long sliceStart = slices[getVarint(in)];
            double durationMs = in.getDouble();
            int flags = in.get();
            double adjustedCount = (flags & ADJUSTED) != 0 ? in.getDouble() : Double.NaN;
            String traceId = null;
            if ((flags & PRESENT) != 0) {
                byte[] raw = new byte[16];
                in.get(raw);
                traceId = HEX.formatHex(raw);
            }
            String hex = traceId;
            // A sample the buffer did not ask for when the entry was written is not in it: none to give.
            buffer.add(requirement, sliceStart, durationMs, (flags & ERROR) != 0, adjustedCount, timestampMs, () -> hex);
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

    private static int getVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if (b >= 0) return value;
        }
    }
}

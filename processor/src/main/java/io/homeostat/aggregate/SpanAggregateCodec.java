package io.homeostat.aggregate;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Compact binary form of a {@link SpanAggregate} for state stores and the repartition topic (JSON is
 * only for the user-facing topics). Layout, version 1: version byte, count, errors (longs), sketch length
 * and bytes, error sample count and 16-byte trace ids, slow sample count and (duration, trace id) pairs.
 */
public final class SpanAggregateCodec {
    private static final byte VERSION = 1;
    private static final HexFormat HEX = HexFormat.of();

    private SpanAggregateCodec() {}

    public static byte[] encode(SpanAggregate aggregate) {
        byte[] sketch = aggregate.durationsMs().toBytes();
        List<String> errorIds = aggregate.errorTraceIds();
        List<SpanAggregate.SlowTrace> slowest = aggregate.slowest();
        int size = 1 + 8 + 8 + 4 + sketch.length + 1 + errorIds.size() * 17 + 1 + slowest.size() * (8 + 17);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(VERSION).putLong(aggregate.count()).putLong(aggregate.errors());
        out.putInt(sketch.length).put(sketch);
        out.put((byte) errorIds.size());
        errorIds.forEach(id -> putTraceId(out, id));
        out.put((byte) slowest.size());
        for (SpanAggregate.SlowTrace slow : slowest) {
            out.putDouble(slow.durationMs());
            putTraceId(out, slow.traceId());
        }
        return out.position() == size ? out.array() : java.util.Arrays.copyOf(out.array(), out.position());
    }

    public static SpanAggregate decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    public static SpanAggregate decode(ByteBuffer in) {
        byte version = in.get();
        if (version != VERSION) throw new IllegalArgumentException("unknown span aggregate version " + version);
        long count = in.getLong();
        long errors = in.getLong();
        int sketchLength = in.getInt();
        Distribution sketch = Distribution.fromBytes(in.array(), in.arrayOffset() + in.position(), sketchLength);
        in.position(in.position() + sketchLength);
        int errorCount = in.get();
        List<String> errorIds = new ArrayList<>(SpanAggregate.MAX_SAMPLES);
        for (int i = 0; i < errorCount; i++) errorIds.add(getTraceId(in));
        int slowCount = in.get();
        List<SpanAggregate.SlowTrace> slowest = new ArrayList<>(SpanAggregate.MAX_SAMPLES);
        for (int i = 0; i < slowCount; i++) {
            double duration = in.getDouble();
            slowest.add(new SpanAggregate.SlowTrace(duration, getTraceId(in)));
        }
        return new SpanAggregate(count, errors, sketch, errorIds, slowest);
    }

    /** Trace ids are 16 bytes in OTLP, and {@link SpanBatchAggregator} samples no others. */
    private static void putTraceId(ByteBuffer out, String hex) {
        if (hex.length() != 32) throw new IllegalArgumentException("trace id is not 16 bytes of hex: " + hex);
        out.put((byte) 16).put(HEX.parseHex(hex));
    }

    private static String getTraceId(ByteBuffer in) {
        int length = in.get();
        byte[] raw = new byte[length];
        in.get(raw);
        return HEX.formatHex(raw);
    }
}

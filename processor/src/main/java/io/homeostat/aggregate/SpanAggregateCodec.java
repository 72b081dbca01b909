package io.homeostat.aggregate;

import io.homeostat.stored.FieldReader;
import io.homeostat.stored.FieldWriter;
import io.homeostat.stored.StoredFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The stored form of a {@link SpanAggregate} (slice store values; span partials on the repartition topic),
 * in the {@link StoredFormat}. Fields: 1 count, 2 errors, 3 the duration sketch (DDSketch's own protobuf
 * form), 4 error sample trace ids (16 bytes each, repeated), 5 slow samples (repeated: 1 duration ms,
 * 2 trace id). Reads the format before it too (version byte 1, fixed layout).
 */
public final class SpanAggregateCodec {
    private static final int COUNT = 1;
    private static final int ERRORS = 2;
    private static final int DURATIONS = 3;
    private static final int ERROR_TRACE = 4;
    private static final int SLOW_TRACE = 5;
    private static final int SLOW_DURATION = 1;
    private static final int SLOW_TRACE_ID = 2;
    private static final byte LEGACY_V1 = 1;
    private static final HexFormat HEX = HexFormat.of();

    private SpanAggregateCodec() {}

    public static byte[] encode(SpanAggregate aggregate) {
        return StoredFormat.write(out -> write(out, aggregate));
    }

    /** The fields alone, to embed in another record. */
    public static void write(FieldWriter out, SpanAggregate aggregate) {
        out.int64(COUNT, aggregate.count()).int64(ERRORS, aggregate.errors())
                .bytes(DURATIONS, aggregate.durationsMs().toBytes());
        for (String id : aggregate.errorTraceIds()) out.bytes(ERROR_TRACE, traceId(id));
        for (SpanAggregate.SlowTrace slow : aggregate.slowest()) {
            out.message(SLOW_TRACE, s -> s.float64(SLOW_DURATION, slow.durationMs()).bytes(SLOW_TRACE_ID, traceId(slow.traceId())));
        }
    }

    public static SpanAggregate decode(byte[] bytes) {
        if (StoredFormat.isTagged(bytes)) return StoredFormat.read(bytes, "span aggregate", SpanAggregateCodec::read);
        if (bytes.length > 0 && bytes[0] == LEGACY_V1) return legacy("span aggregate", () -> decodeLegacy(ByteBuffer.wrap(bytes)));
        throw StoredFormat.unknownFormat("span aggregate", bytes);
    }

    /** Reads the fields of an embedded span aggregate. */
    public static SpanAggregate read(FieldReader in) throws IOException {
        long count = 0;
        long errors = 0;
        Distribution durations = null;
        List<String> errorIds = new ArrayList<>(SpanAggregate.MAX_SAMPLES);
        List<SpanAggregate.SlowTrace> slowest = new ArrayList<>(SpanAggregate.MAX_SAMPLES);
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case COUNT -> count = in.int64();
                case ERRORS -> errors = in.int64();
                case DURATIONS -> {
                    byte[] sketch = in.bytes();
                    durations = Distribution.fromBytes(sketch, 0, sketch.length);
                }
                case ERROR_TRACE -> errorIds.add(HEX.formatHex(in.bytes()));
                case SLOW_TRACE -> slowest.add(in.message("slow trace", s -> {
                    double duration = 0;
                    String traceId = null;
                    for (int f; (f = s.next()) != 0; ) {
                        switch (f) {
                            case SLOW_DURATION -> duration = s.float64();
                            case SLOW_TRACE_ID -> traceId = HEX.formatHex(s.bytes());
                            default -> s.skip();
                        }
                    }
                    if (traceId == null) throw new IOException("slow trace without a trace id");
                    return new SpanAggregate.SlowTrace(duration, traceId);
                }));
                default -> in.skip();
            }
        }
        return new SpanAggregate(count, errors, durations == null ? new Distribution() : durations, errorIds, slowest);
    }

    /** The format before {@link StoredFormat}: version byte 1, then a fixed layout. Read, never written. */
    static SpanAggregate decodeLegacy(ByteBuffer in) {
        byte version = in.get();
        if (version != LEGACY_V1) throw new IllegalArgumentException("unknown span aggregate version " + version);
        long count = in.getLong();
        long errors = in.getLong();
        int sketchLength = in.getInt();
        Distribution sketch = Distribution.fromBytes(in.array(), in.arrayOffset() + in.position(), sketchLength);
        in.position(in.position() + sketchLength);
        int errorCount = in.get();
        List<String> errorIds = new ArrayList<>(SpanAggregate.MAX_SAMPLES);
        for (int i = 0; i < errorCount; i++) errorIds.add(legacyTraceId(in));
        int slowCount = in.get();
        List<SpanAggregate.SlowTrace> slowest = new ArrayList<>(SpanAggregate.MAX_SAMPLES);
        for (int i = 0; i < slowCount; i++) {
            double duration = in.getDouble();
            slowest.add(new SpanAggregate.SlowTrace(duration, legacyTraceId(in)));
        }
        return new SpanAggregate(count, errors, sketch, errorIds, slowest);
    }

    /** The legacy span partial of a requirement event: a slice start, then a legacy aggregate. */
    public static SpanAggregate decodeLegacy(byte[] bytes, int offset) {
        return legacy("span aggregate", () -> decodeLegacy(ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice()));
    }

    static <T> T legacy(String what, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw new StoredFormat.UnreadableException(what + " (format 1): truncated or corrupt record: " + e, e);
        }
    }

    /** Trace ids are 16 bytes in OTLP, and {@link SpanBatchAggregator} samples no others. */
    private static byte[] traceId(String hex) {
        if (hex.length() != 32) throw new IllegalArgumentException("trace id is not 16 bytes of hex: " + hex);
        return HEX.parseHex(hex);
    }

    private static String legacyTraceId(ByteBuffer in) {
        int length = in.get();
        byte[] raw = new byte[length];
        in.get(raw);
        return HEX.formatHex(raw);
    }
}

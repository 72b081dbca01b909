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
 * 2 trace id); for sampled spans (written only when there are some): 6 spans with an adjusted count, 7 errors among
 * them, 8 and 9 the sums of their adjusted counts (all, errors), 10 their durations weighted by it (sketch), 11 the
 * durations of the errors without one (sketch; a part of field 3). Field 3 keeps its meaning: the durations of the
 * spans without an adjusted count, each once (before sampled spans were read, every span). Reads the format before
 * it too (version byte 1, fixed layout).
 */
public final class SpanAggregateCodec {
    private static final int COUNT = 1;
    private static final int ERRORS = 2;
    private static final int DURATIONS = 3;
    private static final int ERROR_TRACE = 4;
    private static final int SLOW_TRACE = 5;
    private static final int SAMPLED_SPANS = 6;
    private static final int SAMPLED_ERRORS = 7;
    private static final int SAMPLED_ADJUSTED = 8;
    private static final int SAMPLED_ADJUSTED_ERRORS = 9;
    private static final int SAMPLED_DURATIONS = 10;
    private static final int UNSAMPLED_ERROR_DURATIONS = 11;
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
        if (aggregate.sampledSpans() > 0) {
            out.int64(SAMPLED_SPANS, aggregate.sampledSpans()).int64(SAMPLED_ERRORS, aggregate.sampledErrors())
                    .float64(SAMPLED_ADJUSTED, aggregate.sampledAdjusted())
                    .float64(SAMPLED_ADJUSTED_ERRORS, aggregate.sampledAdjustedErrors())
                    .bytes(SAMPLED_DURATIONS, aggregate.sampledDurationsMs().toBytes());
        }
        if (aggregate.unsampledErrorDurationsMs() != null) {
            out.bytes(UNSAMPLED_ERROR_DURATIONS, aggregate.unsampledErrorDurationsMs().toBytes());
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
        long sampledSpans = 0;
        long sampledErrors = 0;
        double sampledAdjusted = 0;
        double sampledAdjustedErrors = 0;
        Distribution sampledDurations = null;
        Distribution unsampledErrorDurations = null;
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case SAMPLED_SPANS -> sampledSpans = in.int64();
                case SAMPLED_ERRORS -> sampledErrors = in.int64();
                case SAMPLED_ADJUSTED -> sampledAdjusted = in.float64();
                case SAMPLED_ADJUSTED_ERRORS -> sampledAdjustedErrors = in.float64();
                case SAMPLED_DURATIONS -> sampledDurations = sketch(in.bytes());
                case UNSAMPLED_ERROR_DURATIONS -> unsampledErrorDurations = sketch(in.bytes());
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
        if (sampledSpans > count || sampledErrors > errors || sampledErrors > sampledSpans) {
            throw new IOException("span aggregate of " + count + " spans (" + errors + " errors) with " + sampledSpans
                    + " sampled spans (" + sampledErrors + " errors)");
        }
        if (sampledSpans > 0 && sampledDurations == null) sampledDurations = new Distribution();
        return new SpanAggregate(count, errors, durations == null ? new Distribution() : durations, errorIds, slowest)
                .withSampled(sampledSpans, sampledErrors, sampledAdjusted, sampledAdjustedErrors, sampledDurations,
                        unsampledErrorDurations);
    }

    private static Distribution sketch(byte[] bytes) {
        return Distribution.fromBytes(bytes, 0, bytes.length);
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

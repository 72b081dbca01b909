package io.homeostat.bench.jmh;

import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.aggregate.SpanBatchAggregator;
import io.homeostat.bench.Dataset;
import io.homeostat.bench.SpanFactory;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sketch work of the requirement tasks: merging a window's slices, and folding one request's partial into
 * its stored slice (decode, merge, encode), per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SketchBenchmark {
    /** Slices in a 1-minute window of 5-s slices. */
    static final int SLICES = 12;
    /** Spans of the most frequent key in a 5-s slice of the default dataset (~17 % of 83 k spans/s). */
    static final int SPANS_PER_SLICE = 70_000;

    private SpanAggregate[] slices;
    private byte[] storedSlice;
    private SpanAggregate[] partials;
    private byte[][] encodedPartials;
    private int next;

    @Setup
    public void setUp() throws Exception {
        SpanFactory factory = new SpanFactory(200, 20);
        SplittableRandom random = new SplittableRandom(1);
        HexFormat hex = HexFormat.of();
        slices = new SpanAggregate[SLICES];
        for (int s = 0; s < SLICES; s++) {
            SpanAggregate slice = new SpanAggregate();
            for (int i = 0; i < SPANS_PER_SLICE; i++) {
                String traceId = hex.formatHex(longs(random));
                slice.record(factory.durationMs(0, random), random.nextDouble() < 0.02, () -> traceId);
            }
            slices[s] = slice;
        }
        storedSlice = SpanAggregateCodec.encode(slices[0]);
        // the partials one request of the dataset produces (one per requirement and slice it touches)
        List<SpanAggregate> all = new ArrayList<>();
        for (Dataset.Batch batch : BenchData.batches()) {
            all.addAll(SpanBatchAggregator.aggregate(ExportTraceServiceRequest.parseFrom(batch.payload()), BenchData.SLICE_MS,
                    batch.timestampMs()).partials().values());
        }
        partials = all.toArray(SpanAggregate[]::new);
        encodedPartials = new byte[partials.length][];
        for (int i = 0; i < partials.length; i++) encodedPartials[i] = SpanAggregateCodec.encode(partials[i]);
    }

    private static byte[] longs(SplittableRandom random) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 16; i++) bytes[i] = (byte) random.nextInt(256);
        return bytes;
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == partials.length ? 0 : i + 1;
        return i;
    }

    /** A window: 12 slices of 70 k spans each merged (per window). */
    @Benchmark
    public SpanAggregate mergeWindow() {
        SpanAggregate window = new SpanAggregate();
        for (SpanAggregate slice : slices) window.merge(slice);
        return window;
    }

    /** One partial folded into its stored slice as RequirementWindows.addSpans does: decode, merge, encode (per partial). */
    @Benchmark
    public byte[] foldPartialIntoStoredSlice() {
        SpanAggregate slice = SpanAggregateCodec.decode(storedSlice);
        slice.merge(partials[nextIndex()]);
        return SpanAggregateCodec.encode(slice);
    }

    /** A partial's trip across the repartition topic: encode and decode (per partial). */
    @Benchmark
    public SpanAggregate partialRoundTrip() {
        return SpanAggregateCodec.decode(SpanAggregateCodec.encode(partials[nextIndex()]));
    }
}

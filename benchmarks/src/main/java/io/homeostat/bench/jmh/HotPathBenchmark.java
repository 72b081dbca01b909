package io.homeostat.bench.jmh;

import io.homeostat.aggregate.SpanBatchAggregator;
import io.homeostat.aggregate.SpanFolder;
import io.homeostat.aggregate.SpanSliceBuffer;
import io.homeostat.bench.Dataset;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.otlp.RequirementResolver;
import io.homeostat.otlp.SpanScanner;
import io.homeostat.otlp.SpanSummaries;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-record hot path of {@code decode-spans}, one thread, in spans per second: each invocation handles
 * one 512-span OTLP request of the harness's default dataset (cycling through 64 of them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HotPathBenchmark {
    private byte[][] payloads;
    private ExportTraceServiceRequest[] decoded;
    private long[] timestamps;
    private int next;
    private final SpanScanner scanner = new SpanScanner();
    private final SpanSummaries summaries = new SpanSummaries();
    private final SpanSliceBuffer buffer = new SpanSliceBuffer();
    private final SpanFolder folder = new SpanFolder(BenchData.SLICE_MS, buffer);

    @Setup
    public void setUp() throws Exception {
        List<Dataset.Batch> batches = BenchData.batches();
        payloads = new byte[batches.size()][];
        decoded = new ExportTraceServiceRequest[batches.size()];
        timestamps = new long[batches.size()];
        for (int i = 0; i < batches.size(); i++) {
            payloads[i] = batches.get(i).payload();
            decoded[i] = ExportTraceServiceRequest.parseFrom(payloads[i]);
            timestamps[i] = batches.get(i).timestampMs();
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == payloads.length ? 0 : i + 1;
        return i;
    }

    /** OTLP decode with the generated classes, as {@code OtlpDecoder.decodeTraces} does (JSON, and before the scanner). */
    @Benchmark
    @OperationsPerInvocation(BenchData.SPANS_PER_BATCH)
    public ExportTraceServiceRequest decode() throws Exception {
        return OtlpDecoder.decodeTraces(payloads[nextIndex()], OtlpEncoding.PROTOBUF);
    }

    /** OTLP decode with the scanner: only the fields the span SLIs need, ERROR spans whole. */
    @Benchmark
    @OperationsPerInvocation(BenchData.SPANS_PER_BATCH)
    public SpanSummaries scan() throws Exception {
        scanner.scan(payloads[nextIndex()], summaries);
        return summaries;
    }

    /** Requirement resolution (span, scope, resource attributes) over a decoded request. */
    @Benchmark
    @OperationsPerInvocation(BenchData.SPANS_PER_BATCH)
    public void resolveRequirements(Blackhole blackhole) {
        for (ResourceSpans resourceSpans : decoded[nextIndex()].getResourceSpansList()) {
            List<KeyValue> resource = resourceSpans.getResource().getAttributesList();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                List<KeyValue> scope = scopeSpans.getScope().getAttributesList();
                for (Span span : scopeSpans.getSpansList()) {
                    blackhole.consume(RequirementResolver.requirement(span.getAttributesList(), scope, resource));
                }
            }
        }
    }

    /** Pre-aggregation of a decoded request into one partial per (requirement, slice). */
    @Benchmark
    @OperationsPerInvocation(BenchData.SPANS_PER_BATCH)
    public SpanBatchAggregator.Result preAggregate() {
        int i = nextIndex();
        return SpanBatchAggregator.aggregate(decoded[i], BenchData.SLICE_MS, timestamps[i]);
    }

    /** Pre-aggregation of the scanner's summaries into one partial per (requirement, slice). */
    @Benchmark
    @OperationsPerInvocation(BenchData.SPANS_PER_BATCH)
    public SpanBatchAggregator.Result scanAndPreAggregate() throws Exception {
        int i = nextIndex();
        scanner.scan(payloads[i], summaries);
        return SpanBatchAggregator.aggregate(summaries, BenchData.SLICE_MS, timestamps[i]);
    }

    /**
     * The per-record hot path of {@code decode-spans} as it is: scan, far-future check, fold every span into
     * the task's open partials, write the record's journal entry; the partials are drained (flushed) every
     * 64 requests.
     */
    @Benchmark
    @OperationsPerInvocation(BenchData.SPANS_PER_BATCH)
    public byte[] hotPath() throws Exception {
        int i = nextIndex();
        scanner.scan(payloads[i], summaries);
        if (SpanFolder.latestEventTimeMs(summaries, timestamps[i]) == Long.MAX_VALUE) throw new IllegalStateException();
        folder.fold(summaries, timestamps[i]);
        byte[] entry = folder.journalEntry(timestamps[i]);
        if (i == 0) buffer.drain();
        return entry;
    }

    /** The per-record hot path of the walking skeleton: generated-class decode, one partial per requirement and slice. */
    @Benchmark
    @OperationsPerInvocation(BenchData.SPANS_PER_BATCH)
    public SpanBatchAggregator.Result hotPathBefore() throws Exception {
        int i = nextIndex();
        return SpanBatchAggregator.aggregate(OtlpDecoder.decodeTraces(payloads[i], OtlpEncoding.PROTOBUF),
                BenchData.SLICE_MS, timestamps[i]);
    }
}

package io.homeostat.bench.jmh;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.bench.SpanFactory;
import io.homeostat.evaluate.Evaluator;
import io.homeostat.evaluate.TargetMeasurer;
import io.homeostat.evaluate.Verdict;
import io.homeostat.evaluate.WindowData;
import io.homeostat.model.MetricRef;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import java.time.Duration;
import java.util.Optional;
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

/** One verdict: measure a target over its merged window and judge it (per verdict). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EvaluateBenchmark {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private Target latency;
    private Target successRate;
    private WindowData window;

    @Setup
    public void setUp() throws Exception {
        latency = TargetParser.parse("""
                {"requirement":"REQ-BENCH-0000","metric":"span.duration_ms","target":50,"operator":"lt",
                 "alert_threshold":0.95,"window":"1m","min_events":20}""");
        successRate = TargetParser.parse("""
                {"requirement":"REQ-BENCH-0000","metric":"span.success_rate","target":0.95,"operator":"gte",
                 "window":"1m","min_events":20}""");
        SpanFactory factory = new SpanFactory(200, 20);
        SplittableRandom random = new SplittableRandom(2);
        SpanAggregate spans = new SpanAggregate();
        for (int i = 0; i < SketchBenchmark.SLICES * SketchBenchmark.SPANS_PER_SLICE; i++) {
            spans.record(factory.durationMs(0, random), random.nextDouble() < 0.02, () -> "0af7651916cd43dd8448eb211c80319c");
        }
        WindowData.Windowed<SpanAggregate> merged = new WindowData.Windowed<>(spans, BenchData.START_MS);
        window = new WindowData() {
            @Override
            public Windowed<SpanAggregate> spans() {
                return merged;
            }

            @Override
            public Optional<Windowed<MetricAggregate>> metric(MetricRef ref) {
                return Optional.empty();
            }
        };
    }

    /** A share-of-good latency target: the quantile and the good ratio from the sketch's bins. */
    @Benchmark
    public Verdict judgeLatencyTarget() {
        return Evaluator.judge(latency, TargetMeasurer.measure(latency, window, WINDOW).measurement(),
                BenchData.START_MS - WINDOW.toMillis(), BenchData.START_MS);
    }

    @Benchmark
    public Verdict judgeSuccessRateTarget() {
        return Evaluator.judge(successRate, TargetMeasurer.measure(successRate, window, WINDOW).measurement(),
                BenchData.START_MS - WINDOW.toMillis(), BenchData.START_MS);
    }
}

package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanFolder;
import io.homeostat.aggregate.SpanSliceBuffer;
import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.model.SpanSli;
import io.homeostat.model.Target;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.otlp.SpanScanner;
import io.homeostat.otlp.SpanSummaries;
import io.homeostat.testing.ExportEncodings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.contrib.sampler.consistent56.ConsistentSampler;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Spans sampled by real samplers, read and judged as the processor reads and judges them (the scanner on the SDK's
 * OTLP bytes, the folder, the measurer): each span counts by its adjusted count, and a healthy service sampled at
 * 10 % does not page. Every stream is made with seeded trace ids, so the tests are repeatable; the bounds are
 * still the statistical ones (4 standard deviations of the sampling), stated at each assertion.
 */
class SampledSpansTest {
    private static final String REQUIREMENT = "REQ-F-AUTH-001";
    private static final long END_NANOS = 1_795_514_400_000_000_000L;
    private static final double OK_MS = 100;
    private static final double ERROR_MS = 2_000;

    /** The seed's login_success_rate target (gte 0.99, alert below 0.98) over one window that holds every span. */
    private static Target successRate(String sampling) {
        return Targets.parse("""
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "window": "1h", "min_events": 50%s}""".formatted(sampling));
    }

    private static Target metric(String metric, String sampling) {
        return Targets.parse("""
                {"requirement": "REQ-F-AUTH-001", "metric": "%s", "target": 1, "operator": "gte", "window": "1h"%s}"""
                .formatted(metric, sampling));
    }

    /** A stream of {@code spans} logins, each an error with probability {@code errorRate}, and how many were. */
    record Stream(List<SpanData> exported, int spans, int errors) {
        double trueErrorRate() {
            return (double) errors / spans;
        }
    }

    /**
     * Records {@code spans} root spans of the requirement with the SDK, sampled by {@code sampler}; an error lasts
     * {@link #ERROR_MS}, a success {@link #OK_MS}. {@code keepErrors}: every error is exported whatever the sampler
     * decided, as a tail sampler that always keeps errors does.
     */
    static Stream record(Sampler sampler, int spans, double errorRate, long seed, boolean keepErrors) {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        Random outcomes = new Random(seed);
        Random ids = new Random(seed * 31 + 7);
        Sampler effective = keepErrors ? new KeepFlagged(sampler) : sampler;
        int errors = 0;
        List<SpanData> exported;
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(effective).setIdGenerator(seeded(ids))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            Tracer tracer = provider.get("io.homeostat.test");
            for (int i = 0; i < spans; i++) {
                boolean error = outcomes.nextDouble() < errorRate;
                if (error) errors++;
                long end = END_NANOS + i * 1_000L;
                Span span = tracer.spanBuilder("REQ-F-AUTH-001:login")
                        .setAttribute("requirement", REQUIREMENT)
                        .setAttribute(KeepFlagged.ERROR, error) // known at the start only for the tail-sampling stand-in
                        .setStartTimestamp(end - (long) ((error ? ERROR_MS : OK_MS) * 1_000_000), TimeUnit.NANOSECONDS)
                        .startSpan();
                if (error) span.setStatus(StatusCode.ERROR, "Session store unavailable");
                span.end(end, TimeUnit.NANOSECONDS);
            }
            exported = exporter.getFinishedSpanItems(); // before close: shutting the exporter down forgets them
        }
        return new Stream(exported, spans, errors);
    }

    /** The exported spans as the processor folds them: OTLP protobuf requests of 512 spans, scanned and folded. */
    static SpanAggregate fold(List<SpanData> spans) throws Exception {
        SpanSliceBuffer buffer = new SpanSliceBuffer();
        SpanFolder folder = new SpanFolder(3_600_000, buffer);
        SpanScanner scanner = new SpanScanner();
        SpanSummaries summaries = new SpanSummaries();
        for (int from = 0; from < spans.size(); from += 512) {
            byte[] request = KafkaSpanExporter.marshal(spans.subList(from, Math.min(spans.size(), from + 512)),
                    ExportEncodings.of(OtlpEncoding.PROTOBUF));
            OtlpDecoder.scanTraces(request, OtlpEncoding.PROTOBUF, scanner, summaries);
            folder.fold(summaries, END_NANOS / 1_000_000);
        }
        SpanAggregate window = new SpanAggregate();
        for (SpanSliceBuffer.Partial partial : buffer.drain()) window.merge(partial.spans());
        return window;
    }

    static Measurement measure(SpanSli sli, Target target, SpanAggregate window) {
        return SpanMeasurer.measure(sli, target, window, Duration.ofHours(1));
    }

    @Test
    void aConsistentProbabilitySamplerAtTenPercentGivesTheTrueCountsAndErrorRate() throws Exception {
        int n = 200_000;
        double errorRate = 0.02;
        Stream stream = record(ConsistentSampler.probabilityBased(0.1), n, errorRate, 20261129L, false);
        assertThat(stream.exported().get(0).getSpanContext().getTraceState().get("ot"))
                .as("the contrib sampler writes the OpenTelemetry threshold for 10 %").startsWith("th:e666");
        SpanAggregate window = fold(stream.exported());
        long seen = window.count();

        Measurement count = measure(SpanSli.COUNT, metric("span.count", ""), window);
        Measurement errors = measure(SpanSli.ERROR_RATE, metric("span.error_rate", ""), window);
        System.out.printf("[sampling] consistent 10 %%: %d of %d spans kept; span.count %.0f (unadjusted %d, true %d); "
                        + "span.error_rate %.5f (unadjusted %.5f, true %.5f)%n", seen, n, count.actual(), seen, n,
                errors.actual(), (double) window.errors() / seen, stream.trueErrorRate());

        // Kept spans ~ Binomial(n, 0.1): the count they stand for is n within 4 sd = 4 sqrt(n 0.9 / 0.1) = 5,367.
        assertThat(count.actual()).isCloseTo(n, within(4 * Math.sqrt(n * 0.9 / 0.1)));
        assertThat(seen).as("unadjusted, a tenth").isLessThan(n / 5);
        assertThat(count.spansSeen()).isEqualTo(seen);
        assertThat(count.events()).isEqualTo(Math.round(count.actual()));
        // Errors among ~n/10 kept spans: the rate within 4 sd = 4 sqrt(p (1-p) / (0.1 n)) = 0.0040 of the true one.
        assertThat(errors.actual()).isCloseTo(stream.trueErrorRate(),
                within(4 * Math.sqrt(errorRate * (1 - errorRate) / (0.1 * n))));
    }

    @Test
    void traceIdRatioBasedWithEveryErrorKeptIsWeighedByTheTargetsSamplingAndDoesNotAlert() throws Exception {
        int n = 200_000;
        double errorRate = 0.005; // healthy: success 99.5 % against the seed's gte 0.99
        Stream stream = record(Sampler.traceIdRatioBased(0.1), n, errorRate, 20261130L, true);
        assertThat(stream.exported()).isNotEmpty().allSatisfy(span -> assertThat(span.getSpanContext().getTraceState().get("ot"))
                .as("TraceIdRatioBased of SDK 1.65 writes no threshold: the target's sampling must say it").isNull());
        SpanAggregate window = fold(stream.exported());
        long seen = window.count();
        long keptOk = seen - window.errors();
        assertThat(window.errors()).as("every error kept").isEqualTo(stream.errors());

        Target seeds = successRate(", \"sampling\": {\"sample_rate\": 0.1, \"always_sample_errors\": true}");
        Target unsampled = successRate("");
        Measurement adjusted = measure(SpanSli.SUCCESS_RATE, seeds, window);
        Measurement raw = measure(SpanSli.SUCCESS_RATE, unsampled, window);
        Measurement errors = measure(SpanSli.ERROR_RATE, seeds, window);
        Measurement count = measure(SpanSli.COUNT, seeds, window);
        Measurement latency = measure(SpanSli.DURATION_MS, Targets.parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 500, "operator": "lt", "window": "1h",
                 "sampling": {"sample_rate": 0.1, "always_sample_errors": true}}"""), window);
        Measurement rawLatency = measure(SpanSli.DURATION_MS, Targets.parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 500, "operator": "lt", "window": "1h"}"""), window);
        double trueMeanMs = (stream.errors() * ERROR_MS + (n - stream.errors()) * OK_MS) / n;
        System.out.printf("[sampling] TraceIdRatioBased 10 %% + every error kept, traces.sample_rate 0.1: %d of %d spans kept "
                        + "(%d errors); span.success_rate %.5f (unadjusted %.5f, true %.5f); span.error_rate %.5f "
                        + "(unadjusted %.5f); span.count %.0f (unadjusted %d); mean duration %.1f ms (unadjusted %.1f, true %.1f)%n",
                seen, n, window.errors(), adjusted.actual(), raw.actual(), 1 - stream.trueErrorRate(), errors.actual(),
                (double) window.errors() / seen, count.actual(), seen, latency.actual(), rawLatency.actual(), trueMeanMs);

        // Only the successes are sampled (~Binomial(n - errors, 0.1)); errors are exact. The error rate
        // E / (E + 10 S) then lies within 4 sd of the true one: relative 4 sqrt(0.9 / (0.1 (n - E))) = 2.7 %.
        double relative = 4 * Math.sqrt(0.9 / (0.1 * (n - stream.errors())));
        assertThat(errors.actual()).isCloseTo(stream.trueErrorRate(), within(stream.trueErrorRate() * relative));
        assertThat(adjusted.actual()).isCloseTo(1 - stream.trueErrorRate(), within(stream.trueErrorRate() * relative));
        assertThat(count.actual()).isCloseTo(n, within(n * relative));
        assertThat(count.spansSeen()).isEqualTo(seen);
        assertThat(keptOk).isLessThan(n / 5);
        // Durations weighed the same way: errors once, successes ten times.
        assertThat(latency.actual()).isCloseTo(trueMeanMs, within(trueMeanMs * relative));
        assertThat(rawLatency.actual()).as("unadjusted, the kept errors' 2 s weigh ten times too much").isGreaterThan(1.5 * trueMeanMs);

        assertThat(Evaluator.judge(seeds, adjusted, 0, 1).state()).as("healthy: no alert").isEqualTo(Verdict.State.OK);
        assertThat(Evaluator.judge(unsampled, raw, 0, 1).state())
                .as("counted as if unsampled, the same stream pages: ~5 %% errors instead of 0.5 %%")
                .isEqualTo(Verdict.State.VIOLATED);
    }

    @Test
    void spansWhoseParentCarriesTheSpecsThresholdCountByIt() throws Exception {
        // A remote parent sampled at 10 % by a consistent sampler (tracestate ot=th:e666, 4 digits as the spec
        // recommends): the SDK's parent-based sampler keeps the child and its trace state.
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        int n = 1_000;
        List<SpanData> exported;
        try (SdkTracerProvider provider = SdkTracerProvider.builder().setSampler(Sampler.parentBased(Sampler.alwaysOff()))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            Tracer tracer = provider.get("io.homeostat.test");
            Random random = new Random(5);
            for (int i = 0; i < n; i++) {
                SpanContext parent = SpanContext.createFromRemoteParent(hex(random, 16), hex(random, 8), TraceFlags.getSampled(),
                        TraceState.builder().put("ot", "th:e666").build());
                tracer.spanBuilder("REQ-F-AUTH-001:login").setParent(Context.root().with(Span.wrap(parent)))
                        .setAttribute("requirement", REQUIREMENT).setStartTimestamp(END_NANOS - 50_000_000L, TimeUnit.NANOSECONDS)
                        .startSpan().end(END_NANOS, TimeUnit.NANOSECONDS);
            }
            exported = exporter.getFinishedSpanItems();
        }
        assertThat(exported).hasSize(n).allSatisfy(span -> assertThat(span.getSpanContext().getTraceState().get("ot"))
                .isEqualTo("th:e666"));
        SpanAggregate window = fold(exported);
        Measurement count = measure(SpanSli.COUNT, metric("span.count", ""), window);
        // 2^56 / (2^56 - 0xe666 << 40) = 9.99938968568813, exactly, per span; a target's sampling does not override it.
        assertThat(count.actual()).isCloseTo(n * 9.99938968568813, within(1e-6));
        assertThat(measure(SpanSli.COUNT, metric("span.count", ", \"sampling\": {\"sample_rate\": 0.5}"), window).actual())
                .isCloseTo(n * 9.99938968568813, within(1e-6));
        assertThat(count.spansSeen()).isEqualTo(n);
        assertThat(measure(SpanSli.DURATION_MS, metric("span.duration_ms", ""), window).actual()).isCloseTo(50.0, within(1e-9));
    }

    private static String hex(Random random, int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        raw[0] |= 1; // never all zero
        return HexFormat.of().formatHex(raw);
    }

    /** Trace and span ids from a seeded random source: a repeatable stream. */
    private static IdGenerator seeded(Random random) {
        return new IdGenerator() {
            @Override
            public String generateSpanId() {
                return hex(random, 8);
            }

            @Override
            public String generateTraceId() {
                return hex(random, 16);
            }
        };
    }

    /**
     * What a tail sampler keeping every error (the seed's {@code always_sample_errors}) exports: the spans the real
     * sampler keeps, and every error. An SDK sampler decides at a span's start, so the stream flags its errors then.
     */
    private static final class KeepFlagged implements Sampler {
        static final AttributeKey<Boolean> ERROR = AttributeKey.booleanKey("test.error");
        private final Sampler sampler;

        KeepFlagged(Sampler sampler) {
            this.sampler = sampler;
        }

        @Override
        public io.opentelemetry.sdk.trace.samplers.SamplingResult shouldSample(Context parent, String traceId, String name,
                SpanKind kind, Attributes attributes, List<io.opentelemetry.sdk.trace.data.LinkData> links) {
            var decision = sampler.shouldSample(parent, traceId, name, kind, attributes, links);
            if (decision.getDecision() != SamplingDecision.RECORD_AND_SAMPLE && Boolean.TRUE.equals(attributes.get(ERROR))) {
                return io.opentelemetry.sdk.trace.samplers.SamplingResult.recordAndSample();
            }
            return decision;
        }

        @Override
        public String getDescription() {
            return "KeepErrors{" + sampler.getDescription() + "}";
        }
    }
}

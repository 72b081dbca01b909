package io.homeostat.testing;

import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spans recorded by the real OpenTelemetry Java SDK and encoded by its official OTLP marshaler, so tests
 * see the bytes a real service (or the Collector's Kafka exporter) sends.
 */
public final class SdkSpans implements AutoCloseable {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    /** The SDK's clock, set to each span's end, so that exception events carry the span's time, not today's. */
    private final SettableClock clock = new SettableClock();
    private final SdkTracerProvider provider;
    private final Tracer tracer;

    public SdkSpans(String serviceName) {
        this(serviceName, io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOn());
    }

    /** Spans sampled by {@code sampler} (e.g. a consistent-probability sampler that writes {@code ot=th}). */
    public SdkSpans(String serviceName, io.opentelemetry.sdk.trace.samplers.Sampler sampler) {
        provider = SdkTracerProvider.builder()
                .setSampler(sampler)
                .setClock(clock)
                .setResource(Resource.getDefault().merge(Resource.builder()
                        .put(AttributeKey.stringKey("service.name"), serviceName).build()))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build();
        tracer = provider.get("io.homeostat.test");
    }

    /** Records a finished span that ended at {@code end} and lasted {@code durationMs}. */
    public SdkSpans span(String name, Map<String, String> attributes, Instant end, double durationMs, boolean error) {
        long endNanos = end.getEpochSecond() * 1_000_000_000L + end.getNano();
        long startNanos = endNanos - Math.round(durationMs * 1_000_000);
        AttributesBuilder attrs = io.opentelemetry.api.common.Attributes.builder();
        attributes.forEach(attrs::put);
        Span span = tracer.spanBuilder(name).setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                .setAllAttributes(attrs.build()).startSpan();
        if (error) {
            clock.nanos = endNanos - 1_000_000L;
            span.recordException(new IllegalStateException("boom"));
            span.setStatus(StatusCode.ERROR, "boom");
        }
        span.end(endNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    /**
     * Records a failed span as the seed's {@code @with_telemetry} decorator does: status ERROR and the
     * exception recorded with {@code span.recordException} (an {@code exception} event with type, message
     * and stack trace).
     */
    public SdkSpans failedSpan(String name, Map<String, String> attributes, Instant end, Throwable error) {
        long endNanos = end.getEpochSecond() * 1_000_000_000L + end.getNano();
        AttributesBuilder attrs = io.opentelemetry.api.common.Attributes.builder();
        attributes.forEach(attrs::put);
        Span span = tracer.spanBuilder(name).setStartTimestamp(endNanos - 5_000_000L, TimeUnit.NANOSECONDS)
                .setAllAttributes(attrs.build()).startSpan();
        clock.nanos = endNanos - 1_000_000L;
        span.recordException(error);
        span.setStatus(StatusCode.ERROR, error.getMessage());
        span.end(endNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    /** {@code count} spans of a requirement ending at {@code end}, durations cycling through {@code durationsMs}. */
    public SdkSpans spans(String requirement, int count, Instant end, double[] durationsMs, int errorsAmongThem) {
        for (int i = 0; i < count; i++) {
            span("op", Map.of("requirement", requirement), end, durationsMs[i % durationsMs.length], i < errorsAmongThem);
        }
        return this;
    }

    /** The spans recorded since the last call, as the SpanData the SDK hands its exporters. */
    public List<SpanData> drain() {
        List<SpanData> spans = List.copyOf(exporter.getFinishedSpanItems());
        exporter.reset();
        return spans;
    }

    /** The spans recorded since the last call as one OTLP export request, and forgets them. */
    public byte[] batch(OtlpEncoding encoding) {
        return KafkaSpanExporter.marshal(drain(), ExportEncodings.of(encoding));
    }

    @Override
    public void close() {
        provider.close();
    }

    private static final class SettableClock implements Clock {
        volatile long nanos = System.currentTimeMillis() * 1_000_000L;

        @Override
        public long now() {
            return nanos;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }
    }
}

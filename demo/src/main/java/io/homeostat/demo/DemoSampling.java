package io.homeostat.demo;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.Collection;
import java.util.List;

/**
 * How the demo's service samples its traces, as the seed's {@code telemetry.traces} describes it
 * ({@code sample_rate}, {@code always_sample_errors}): below 1, a span is exported when the SDK's
 * {@code TraceIdRatioBased} sampler keeps its trace, or when it failed (status ERROR) — what a Collector's
 * tail sampler with a probabilistic and a status-code policy does. Such spans carry no {@code ot=th}, so the
 * targets' {@code sampling} (from the seed's file) weighs them. At 1 every span is kept, and its trace state says
 * so ({@code ot=th:0}, sampled at 100 %), so that the seed's 10 % does not weigh spans that were not sampled.
 */
final class DemoSampling {
    private DemoSampling() {}

    static void check(double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("must be above 0 and at most 1, got " + rate);
        }
    }

    /** The tracer provider's sampler: every span sampled; at rate 1 the trace states say {@code ot=th:0}. */
    static Sampler headSampler(double rate) {
        return rate >= 1 ? new FullySampled() : Sampler.alwaysOn();
    }

    /** The exporter the spans go through: at rate 1 the delegate itself, below it the sampled traces and every error. */
    static SpanExporter exporter(SpanExporter delegate, double rate) {
        check(rate);
        return rate >= 1 ? delegate : new KeepSampledTracesAndErrors(delegate, Sampler.traceIdRatioBased(rate));
    }

    /** True when the span is exported at this rate (the same decision as {@link #exporter}). */
    static boolean kept(Sampler ratio, SpanData span) {
        if (span.getStatus().getStatusCode() == StatusCode.ERROR) return true;
        return ratio.shouldSample(Context.root(), span.getTraceId(), span.getName(), span.getKind(),
                Attributes.empty(), List.of()).getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    }

    private record KeepSampledTracesAndErrors(SpanExporter delegate, Sampler ratio) implements SpanExporter {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            List<SpanData> kept = spans.stream().filter(span -> kept(ratio, span)).toList();
            return kept.isEmpty() ? CompletableResultCode.ofSuccess() : delegate.export(kept);
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }

    /** Samples everything; a trace's root writes {@code ot=th:0} (probability 1) into the trace state, its children inherit it. */
    private static final class FullySampled implements Sampler {
        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                           Attributes attributes, List<LinkData> parentLinks) {
            TraceState parent = Span.fromContext(parentContext).getSpanContext().getTraceState();
            TraceState state = Span.fromContext(parentContext).getSpanContext().isValid()
                    ? parent : parent.toBuilder().put("ot", "th:0").build();
            return new SamplingResult() {
                @Override
                public SamplingDecision getDecision() {
                    return SamplingDecision.RECORD_AND_SAMPLE;
                }

                @Override
                public Attributes getAttributes() {
                    return Attributes.empty();
                }

                @Override
                public TraceState getUpdatedTraceState(TraceState parentTraceState) {
                    return state;
                }
            };
        }

        @Override
        public String getDescription() {
            return "AlwaysOn with ot=th:0";
        }
    }
}

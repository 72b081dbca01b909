package io.homeostat.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo's service samples as the seed's telemetry.traces says: a trace-id ratio, every failure kept. */
class DemoSamplingTest {

    /** Records {@code logins} traces (a login span with one child), 5 % failed, through the demo's sampling. */
    private static List<SpanData> record(double rate, int logins) {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setSampler(DemoSampling.headSampler(rate))
                .addSpanProcessor(SimpleSpanProcessor.create(DemoSampling.exporter(exported, rate)))
                .build()) {
            Tracer tracer = provider.get("demo-sampling-test");
            SplittableRandom random = new SplittableRandom(11);
            for (int i = 0; i < logins; i++) {
                Span login = tracer.spanBuilder("login").startSpan();
                try (Scope ignored = login.makeCurrent()) {
                    tracer.spanBuilder("session-store").startSpan().end();
                    if (random.nextDouble() < 0.05) login.setStatus(StatusCode.ERROR, "session store down");
                } finally {
                    login.end();
                }
            }
            provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
            return List.copyOf(exported.getFinishedSpanItems());
        }
    }

    @Test
    void belowOneTheSampledTracesWholeAndEveryFailureAreExportedWithoutAThreshold() {
        int logins = 20_000;
        List<SpanData> spans = record(0.1, logins);
        List<SpanData> loginSpans = spans.stream().filter(s -> s.getName().equals("login")).toList();
        long failed = loginSpans.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR).count();
        long ok = loginSpans.size() - failed;
        // 5 % of 20,000 fail: all about 1,000 of them are kept (4 standard deviations of the failures drawn).
        assertThat(failed).isBetween(1_000L - 4 * 31, 1_000L + 4 * 31);
        // 10 % of the about 19,000 successes are kept: 1,900 ± 4 standard deviations (sqrt(19,000 × 0.1 × 0.9) ≈ 41).
        assertThat(ok).isBetween(1_900L - 4 * 41, 1_900L + 4 * 41);
        // A kept success's trace is kept whole: its child is exported with it.
        Set<String> okTraces = loginSpans.stream().filter(s -> s.getStatus().getStatusCode() != StatusCode.ERROR)
                .map(SpanData::getTraceId).collect(Collectors.toSet());
        Map<String, Long> childrenPerTrace = spans.stream().filter(s -> s.getName().equals("session-store"))
                .collect(Collectors.groupingBy(SpanData::getTraceId, Collectors.counting()));
        assertThat(childrenPerTrace.keySet()).containsAll(okTraces);
        // No adjusted count of their own: the targets' sampling (the seed's sample_rate) weighs them.
        assertThat(spans).allSatisfy(s -> assertThat(s.getSpanContext().getTraceState().get("ot")).isNull());
    }

    @Test
    void atOneEverySpanIsExportedAndItsTraceStateSaysSampledAtOneHundredPercent() {
        List<SpanData> spans = record(1.0, 500);
        assertThat(spans).hasSize(1_000);
        assertThat(spans).allSatisfy(s -> assertThat(s.getSpanContext().getTraceState().get("ot")).isEqualTo("th:0"));
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> DemoSampling.check(0)).hasMessageContaining("above 0 and at most 1");
        assertThatThrownBy(() -> DemoSampling.check(1.5)).hasMessageContaining("above 0 and at most 1");
        assertThatThrownBy(() -> DemoSampling.check(Double.NaN)).hasMessageContaining("above 0 and at most 1");
        assertThat(DemoMain.commandLine(Map.of()).execute("--sample-rate", "2")).isEqualTo(2);
    }
}

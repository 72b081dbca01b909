package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.SpanSli;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpanMeasurerTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    /** 100 spans: durations 1..100 ms, the 7 slowest of which are errors. */
    private static SpanAggregate hundredSpans() {
        SpanAggregate a = new SpanAggregate();
        for (int ms = 1; ms <= 100; ms++) a.record(ms, ms > 93, () -> TRACE);
        return a;
    }

    @Test
    void durationWithShareThresholdIsTheQuantileAndTheGoodRatio() {
        var target = Targets.parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 90, "operator": "lt", "alert_threshold": 0.95}""");
        Measurement m = SpanMeasurer.measure(SpanSli.DURATION_MS, target, hundredSpans(), Duration.ofMinutes(1));
        assertThat(m.distribution()).isTrue();
        assertThat(m.events()).isEqualTo(100);
        assertThat(m.actual()).isCloseTo(95.0, within(95.0 * 0.02)); // p95 within the sketch's 1 % (+ rank rounding)
        assertThat(m.goodRatio()).isCloseTo(0.89, within(0.011)); // 1..89 are < 90
    }

    @Test
    void aLowerBoundShareReportsTheLowQuantile() {
        // "95 % of calls take at least 5 ms" (a cache that answers too fast is broken): p5 must be >= 5
        var target = Targets.parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 5, "operator": "gte", "alert_threshold": 0.95}""");
        Measurement m = SpanMeasurer.measure(SpanSli.DURATION_MS, target, hundredSpans(), Duration.ofMinutes(1));
        assertThat(m.actual()).isCloseTo(5.0, within(5.0 * 0.2)); // p5 of 1..100
        assertThat(m.goodRatio()).isCloseTo(0.96, within(0.011)); // 5..100
        assertThat(Evaluator.judge(target, m, 0, 1).state()).isEqualTo(Verdict.State.OK);
    }

    @Test
    void durationWithoutShareThresholdIsTheMean() {
        var target = Targets.parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 90, "operator": "lt"}""");
        Measurement m = SpanMeasurer.measure(SpanSli.DURATION_MS, target, hundredSpans(), Duration.ofMinutes(1));
        assertThat(m.actual()).isCloseTo(50.5, within(1e-9)); // sum and count are exact
    }

    @Test
    void ratiosCountsAndRates() {
        var any = Targets.parse("""
                {"requirement": "R", "metric": "span.count", "target": 1, "operator": "gt"}""");
        SpanAggregate spans = hundredSpans();
        assertThat(SpanMeasurer.measure(SpanSli.SUCCESS_RATE, any, spans, Duration.ofMinutes(1)).actual()).isEqualTo(0.93);
        assertThat(SpanMeasurer.measure(SpanSli.ERROR_RATE, any, spans, Duration.ofMinutes(1)).actual()).isEqualTo(0.07);
        assertThat(SpanMeasurer.measure(SpanSli.COUNT, any, spans, Duration.ofMinutes(1)).actual()).isEqualTo(100);
        assertThat(SpanMeasurer.measure(SpanSli.RATE, any, spans, Duration.ofSeconds(50)).actual()).isEqualTo(2.0);
        assertThat(SpanMeasurer.measure(SpanSli.ERROR_RATE, any, spans, Duration.ofMinutes(1)).sampleTraceIds())
                .containsExactly(TRACE);
    }

    @Test
    void emptyWindowHasNoValue() {
        var any = Targets.parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 1, "operator": "gte"}""");
        Measurement m = SpanMeasurer.measure(SpanSli.SUCCESS_RATE, any, new SpanAggregate(), Duration.ofMinutes(1));
        assertThat(m.events()).isZero();
        assertThat(m.actual()).isNaN();
    }
}

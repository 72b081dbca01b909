package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanAggregateTest {
    private static String trace(int n) {
        return String.format("%032x", n);
    }

    @Test
    void keepsCountsErrorsAndTheSlowestAndErrorSamples() {
        SpanAggregate a = new SpanAggregate();
        for (int i = 1; i <= 50; i++) {
            int n = i;
            a.record(i * 10, i % 10 == 0, () -> trace(n));
        }
        assertThat(a.count()).isEqualTo(50);
        assertThat(a.errors()).isEqualTo(5);
        assertThat(a.errorTraceIds()).containsExactly(trace(10), trace(20), trace(30), trace(40), trace(50));
        assertThat(a.slowest()).extracting(SpanAggregate.SlowTrace::traceId)
                .containsExactly(trace(50), trace(49), trace(48), trace(47), trace(46));
    }

    @Test
    void mergeAddsCountsAndKeepsTheOverallSlowest() {
        SpanAggregate a = new SpanAggregate();
        SpanAggregate b = new SpanAggregate();
        for (int i = 1; i <= 20; i++) {
            int n = i;
            (i <= 10 ? a : b).record(i, false, () -> trace(n));
        }
        a.merge(b);
        assertThat(a.count()).isEqualTo(20);
        assertThat(a.slowest()).extracting(SpanAggregate.SlowTrace::durationMs).containsExactly(20.0, 19.0, 18.0, 17.0, 16.0);
    }

    @Test
    void codecRoundTrips() {
        SpanAggregate a = new SpanAggregate();
        for (int i = 1; i <= 300; i++) {
            int n = i;
            a.record(i * 1.5, i % 7 == 0, () -> trace(n));
        }
        SpanAggregate back = SpanAggregateCodec.decode(SpanAggregateCodec.encode(a));
        assertThat(back.count()).isEqualTo(a.count());
        assertThat(back.errors()).isEqualTo(a.errors());
        assertThat(back.errorTraceIds()).isEqualTo(a.errorTraceIds());
        assertThat(back.slowest()).isEqualTo(a.slowest());
        assertThat(back.durationsMs().quantile(0.9)).isEqualTo(a.durationsMs().quantile(0.9));
        // About 2.3 bytes per span: one sketch bin per distinct duration, and the errors' durations once more apart.
        assertThat(SpanAggregateCodec.encode(a).length).as("compact: a few bytes per span").isLessThan(750);
    }

    @Test
    void weightedCountsSpansByTheirAdjustedCountElseByTheTargetsSampling() {
        SpanAggregate a = new SpanAggregate();
        for (int i = 0; i < 8; i++) a.record(10, false, () -> null);          // unknown: the target's setting
        for (int i = 0; i < 2; i++) a.record(500, true, () -> null);          // unknown errors
        for (int i = 0; i < 3; i++) a.record(20, i == 0, 4.0, () -> null);   // ot=th:c, one an error
        SpanAggregate b = a.copy();
        b.merge(SpanAggregateCodec.decode(SpanAggregateCodec.encode(a)));
        assertThat(b.count()).isEqualTo(26);
        assertThat(b.errors()).isEqualTo(6);

        SpanAggregate.Weighted none = a.weighted(null);
        assertThat(none.spansSeen()).isEqualTo(13);
        assertThat(none.events()).isEqualTo(8 + 2 + 12);
        assertThat(none.errorEvents()).isEqualTo(2 + 4);
        SpanAggregate.Weighted tenth = a.weighted(new io.homeostat.model.Sampling(0.1, false));
        assertThat(tenth.events()).isEqualTo(80 + 20 + 12, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(tenth.errorEvents()).isEqualTo(20 + 4, org.assertj.core.api.Assertions.within(1e-9));
        SpanAggregate.Weighted errorsKept = a.weighted(new io.homeostat.model.Sampling(0.1, true));
        assertThat(errorsKept.events()).isEqualTo(80 + 2 + 12, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(errorsKept.errorEvents()).isEqualTo(2 + 4, org.assertj.core.api.Assertions.within(1e-9));
        Distribution durations = a.weightedDurationsMs(new io.homeostat.model.Sampling(0.1, true));
        assertThat(durations.count()).isEqualTo(94, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(durations.sum()).isEqualTo(80 * 10 + 2 * 500 + 12 * 20, org.assertj.core.api.Assertions.within(1e-6));
    }
}

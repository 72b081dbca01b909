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
}

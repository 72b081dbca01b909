package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.model.Operator;
import org.junit.jupiter.api.Test;

class ExplicitHistogramTest {
    /** The seed's login_latency_ms buckets: 50, 100, 200, 500, 1000, 2000 ms. */
    static final double[] SEED = {50, 100, 200, 500, 1000, 2000};

    @Test
    void shareAtABucketBoundIsExact() {
        ExplicitHistogram h = new ExplicitHistogram(SEED, new long[] {10, 20, 30, 35, 5, 0, 0});
        assertThat(h.total()).isEqualTo(100);
        assertThat(h.fractionSatisfying(Operator.LT, 500, 0, Double.NaN, Double.NaN)).isEqualTo(0.95);
        assertThat(h.fractionSatisfying(Operator.LTE, 200, 0, Double.NaN, Double.NaN)).isEqualTo(0.60);
        assertThat(h.fractionSatisfying(Operator.GT, 1000, 0, Double.NaN, Double.NaN)).isEqualTo(0.0);
    }

    @Test
    void quantilesInterpolateInsideTheirBucket() {
        ExplicitHistogram h = new ExplicitHistogram(SEED, new long[] {10, 20, 30, 35, 5, 0, 0});
        // rank 50 lies in (100, 200] which holds ranks 31..60: 100 + 100 * 20/30
        assertThat(h.quantile(0.5, Double.NaN, Double.NaN)).isCloseTo(166.667, within(0.001));
        // rank 95 is the top of (200, 500]
        assertThat(h.quantile(0.95, Double.NaN, Double.NaN)).isCloseTo(500, within(1e-9));
        // the open last bucket is closed by the observed max when known
        ExplicitHistogram tail = new ExplicitHistogram(new double[] {100}, new long[] {0, 10});
        assertThat(tail.quantile(1.0, Double.NaN, 300)).isEqualTo(300);
        assertThat(tail.quantile(1.0, Double.NaN, Double.NaN)).isEqualTo(100);
    }

    @Test
    void sameBoundsMergeExactlyOthersThroughASketch() {
        MetricAggregate.Histogram a = MetricAggregate.Histogram.explicit(
                new ExplicitHistogram(SEED, new long[] {1, 1, 1, 1, 0, 0, 0}), 400, Double.NaN, Double.NaN);
        MetricAggregate.Histogram b = MetricAggregate.Histogram.explicit(
                new ExplicitHistogram(SEED, new long[] {0, 0, 0, 2, 2, 0, 0}), 2000, Double.NaN, Double.NaN);
        MetricAggregate.Histogram same = (MetricAggregate.Histogram) a.merge(b);
        assertThat(same.buckets()).isNotNull();
        assertThat(same.buckets().counts()).containsExactly(1, 1, 1, 3, 2, 0, 0);
        assertThat(same.count()).isEqualTo(8);
        assertThat(same.sum()).isEqualTo(2400);

        MetricAggregate.Histogram other = MetricAggregate.Histogram.explicit(
                new ExplicitHistogram(new double[] {250, 750}, new long[] {0, 4, 0}), 2000, Double.NaN, Double.NaN);
        MetricAggregate.Histogram mixed = (MetricAggregate.Histogram) a.merge(other);
        assertThat(mixed.buckets()).isNull();
        assertThat(mixed.sketch()).isNotNull();
        assertThat(mixed.count()).isEqualTo(8);
        assertThat(mixed.fractionSatisfying(Operator.LT, 1000, 0)).isEqualTo(1.0);
    }
}

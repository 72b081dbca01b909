package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each rule of {@link DataPointChecks}, and that a point it lets through can always be aggregated. */
class DataPointChecksTest {
    static final long T = 1_764_000_000_000_000_000L;

    static ExponentialHistogramDataPoint.Builder exponential(int scale, int offset, long... counts) {
        ExponentialHistogramDataPoint.Buckets.Builder buckets = ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(offset);
        long total = 0;
        for (long c : counts) {
            buckets.addBucketCounts(c);
            total += c;
        }
        return ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T).setScale(scale).setPositive(buckets).setCount(total);
    }

    @ParameterizedTest
    @ValueSource(ints = {-10, -9, -5, -1, 0, 1, 2, 5, 10, 15, 19, 20})
    void atEveryScaleTheOutermostBucketsOfDoublesAreAcceptedAndAggregatedAndTheNextOnesAreNot(int scale) {
        long max = DataPointChecks.maxIndex(scale);
        long min = DataPointChecks.minIndex(scale);
        // The lower bound of the last bucket is a double; the next one's is not.
        assertThat(Math.pow(2, max / Math.pow(2, scale))).isFinite();
        assertThat(Math.pow(2, (max + 1) / Math.pow(2, scale))).isInfinite();
        // The upper bound of the first bucket reaches the smallest double; the one before it does not.
        assertThat((min + 1) / Math.pow(2, scale)).isGreaterThanOrEqualTo(-1074);
        assertThat(min / Math.pow(2, scale)).isLessThan(-1074);

        for (long index : new long[] {min, max}) {
            ExponentialHistogramDataPoint point = exponential(scale, (int) index, 7).build();
            assertThat(DataPointChecks.exponentialHistogram(point)).isNull();
            MetricAggregate.Histogram histogram = MetricPoints.deltaExponentialHistogram(point);
            assertThat(histogram.count()).isEqualTo(7);
            assertThat(histogram.sketch().count()).isEqualTo(7);
            assertThat(histogram.quantile(0.5)).isNotNaN();
        }
        assertThat(DataPointChecks.exponentialHistogram(exponential(scale, (int) max + 1, 1).build()))
                .contains("covers values beyond the range of a double");
        assertThat(DataPointChecks.exponentialHistogram(exponential(scale, (int) min - 1, 1).build()))
                .contains("covers values beyond the range of a double");
        // Empty buckets out there are harmless.
        assertThat(DataPointChecks.exponentialHistogram(exponential(scale, (int) max, 5, 0, 0).build())).isNull();
    }

    @Test
    void theReportedCrashScaleMinus10OffsetOne() {
        assertThat(DataPointChecks.exponentialHistogram(exponential(-10, 1, 3).build()))
                .isEqualTo("positive bucket index 1 at scale -10 covers values beyond the range of a double (indexes -2..0 at this scale)");
        assertThat(DataPointChecks.exponentialHistogram(exponential(-11, 0, 3).build())).isEqualTo("scale -11 is outside -10..20");
        assertThat(DataPointChecks.exponentialHistogram(exponential(21, 0, 3).build())).isEqualTo("scale 21 is outside -10..20");
        assertThat(DataPointChecks.exponentialHistogram(exponential(20, Integer.MAX_VALUE, 1, 1).build()))
                .contains("beyond the range of a double");
    }

    @Test
    void countsThatAreNegativeAsAJavaLongOrBeyond2To53() {
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1).setCount(Long.MIN_VALUE).build()))
                .isEqualTo("count 9223372036854775808 is beyond 2^53");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, -1L).build()))
                .isEqualTo("count 18446744073709551615 is beyond 2^53");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 3).setCount(3).setZeroCount(-1).build()))
                .startsWith("zero_count 18446744073709551615");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, (1L << 53) + 1).build())).contains("beyond 2^53");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1L << 53).build())).isNull();
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1L << 52, 1L << 52).setCount(1L << 53).build())).isNull();
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1L << 53, 1L << 53).setCount(0).build()))
                .isEqualTo("count is 0 but the buckets hold more than 2^53");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 2, 2).setCount(5).build()))
                .isEqualTo("count is 5 but the buckets hold 4");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0).setCount(0).build())).as("an empty histogram").isNull();
    }

    @Test
    void sumsMinMaxAndTimes() {
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1).setSum(Double.NaN).build())).isEqualTo("sum is NaN");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1).setMax(Double.POSITIVE_INFINITY).build()))
                .isEqualTo("max is Infinity");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1).setMin(3).setMax(2).build()))
                .isEqualTo("min 3.0 is greater than max 2.0");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1).setTimeUnixNano(0).build())).isEqualTo("no time_unix_nano");
        assertThat(DataPointChecks.exponentialHistogram(exponential(0, 0, 1).setTimeUnixNano(-1).build()))
                .isEqualTo("time_unix_nano 18446744073709551615 is after the year 2262");
    }

    @Test
    void explicitBounds() {
        HistogramDataPoint.Builder ok = HistogramDataPoint.newBuilder().setTimeUnixNano(T).addExplicitBounds(1).addExplicitBounds(2)
                .addBucketCounts(1).addBucketCounts(0).addBucketCounts(2).setCount(3);
        assertThat(DataPointChecks.histogram(ok.build())).isNull();
        assertThat(DataPointChecks.histogram(ok.clone().setExplicitBounds(1, 0.5).build()))
                .isEqualTo("explicit_bounds are not increasing: 1.0 then 0.5");
        assertThat(DataPointChecks.histogram(ok.clone().setExplicitBounds(1, 1).build()))
                .isEqualTo("explicit_bounds are not increasing: 1.0 then 1.0");
        assertThat(DataPointChecks.histogram(ok.clone().setExplicitBounds(0, Double.NaN).build())).isEqualTo("explicit_bounds[0] is NaN");
        assertThat(DataPointChecks.histogram(ok.clone().addBucketCounts(0).build()))
                .isEqualTo("4 bucket_counts for 2 explicit_bounds (there must be 3)");
        assertThat(DataPointChecks.histogram(ok.clone().clearBucketCounts().build())).as("count and sum only").isNull();
        assertThat(DataPointChecks.histogram(ok.clone().setBucketCounts(0, -7).build()))
                .isEqualTo("bucket count 18446744073709551609 is beyond 2^53");
    }

    @Test
    void numbersAndSummaries() {
        NumberDataPoint.Builder number = NumberDataPoint.newBuilder().setTimeUnixNano(T);
        assertThat(DataPointChecks.number(number.build(), false)).isEqualTo("no value (neither as_int nor as_double)");
        assertThat(DataPointChecks.number(number.clone().setAsDouble(Double.NEGATIVE_INFINITY).build(), false))
                .isEqualTo("value is -Infinity");
        assertThat(DataPointChecks.number(number.clone().setAsInt(-3).build(), false)).isNull();
        assertThat(DataPointChecks.number(number.clone().setAsInt(-3).build(), true)).isEqualTo("negative value -3.0 of a monotonic sum");
        assertThat(DataPointChecks.number(number.clone().setAsDouble(0).build(), true)).isNull();

        SummaryDataPoint.Builder summary = SummaryDataPoint.newBuilder().setTimeUnixNano(T).setCount(3).setSum(3)
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(1));
        assertThat(DataPointChecks.summary(summary.build())).isNull();
        assertThat(DataPointChecks.summary(summary.clone().setQuantileValues(0, SummaryDataPoint.ValueAtQuantile.newBuilder()
                .setQuantile(1.5).setValue(1)).build())).isEqualTo("quantile 1.5 is outside 0..1");
        assertThat(DataPointChecks.summary(summary.clone().setQuantileValues(0, SummaryDataPoint.ValueAtQuantile.newBuilder()
                .setQuantile(0.9).setValue(Double.NaN)).build())).isEqualTo("value at quantile 0.9 is NaN");
        assertThat(DataPointChecks.summary(summary.clone().setSum(Double.POSITIVE_INFINITY).build())).isEqualTo("sum is Infinity");
    }

    @Test
    void theSketchKeepsValuesBeyondItsRangeAtItsEdge() {
        Distribution d = new Distribution();
        d.accept(Double.MAX_VALUE, 2);
        d.accept(-Double.MAX_VALUE, 1);
        d.accept(5, 0); // adds nothing
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.quantile(1.0)).isFinite().isGreaterThan(1e308);
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> d.accept(Double.NaN, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class CumulativeSeriesTest {
    static final long S = 1_000_000_000L; // one second in ns
    static final long START = 1_000 * S;

    static NumberDataPoint counter(long startNanos, long timeNanos, long value) {
        return NumberDataPoint.newBuilder().setStartTimeUnixNano(startNanos).setTimeUnixNano(timeNanos).setAsInt(value).build();
    }

    static List<Double> increases(CumulativeSeries.Advance advance) {
        return advance.increases().stream().map(i -> ((MetricAggregate.Sum) i.delta()).increase()).toList();
    }

    @Test
    void counter100Then160ThenResetTo20OverThreeSlicesGivesIncreases60And20() {
        // slice 1: 100 (the baseline), slice 2: 160, slice 3: the process restarted (new start time) and is at 20
        CumulativeSeries.Advance advance = CumulativeSeries.advance(MetricPartial.Shape.SUM, null, List.of(
                counter(START, START + 5 * S, 100),
                counter(START, START + 15 * S, 160),
                counter(START + 20 * S, START + 25 * S, 20)), 10_000);
        assertThat(increases(advance)).containsExactly(60.0, 20.0);
        assertThat(advance.increases()).extracting(CumulativeSeries.Increase::sliceStart)
                .containsExactly(1_010_000L, 1_020_000L);
        assertThat(((NumberDataPoint) advance.latest()).getAsInt()).isEqualTo(20);
    }

    @Test
    void aValueGoingDownWithoutAStartTimeIsAResetToo() {
        CumulativeSeries.Advance advance = CumulativeSeries.advance(MetricPartial.Shape.SUM, counter(0, START, 100),
                List.of(counter(0, START + S, 40)), 1_000);
        assertThat(increases(advance)).containsExactly(40.0);
    }

    @Test
    void duplicatesAndOutOfOrderPointsNeverGiveNegativeOrDoubledIncreases() {
        NumberDataPoint previous = counter(START, START + 10 * S, 100);
        CumulativeSeries.Advance advance = CumulativeSeries.advance(MetricPartial.Shape.SUM, previous, List.of(
                counter(START, START + 20 * S, 160),
                counter(START, START + 20 * S, 160), // the same point again (a retried export)
                counter(START, START + 15 * S, 130), // an older point, late
                counter(START, START + 30 * S, 175)), 1_000);
        assertThat(increases(advance)).containsExactly(60.0, 15.0);
        assertThat(advance.ignored()).isEqualTo(2);
        assertThat(increases(advance)).allMatch(i -> i >= 0);
    }

    @Test
    void nothingBeforeTheBaseline() {
        CumulativeSeries.Advance advance = CumulativeSeries.advance(MetricPartial.Shape.SUM, null,
                List.of(counter(START, START + S, 500)), 1_000);
        assertThat(advance.increases()).isEmpty();
        assertThat(advance.latest()).isNotNull();
    }

    @Test
    void cumulativeHistogramsGiveTheBucketDifferences() {
        HistogramDataPoint before = HistogramDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(START + S)
                .addAllExplicitBounds(List.of(100.0, 500.0)).addAllBucketCounts(List.of(5L, 3L, 1L))
                .setCount(9).setSum(1500).build();
        HistogramDataPoint after = before.toBuilder().setTimeUnixNano(START + 2 * S)
                .clearBucketCounts().addAllBucketCounts(List.of(6L, 3L, 4L)).setCount(13).setSum(6000).build();
        MetricAggregate.Histogram delta = (MetricAggregate.Histogram) CumulativeSeries.advance(
                MetricPartial.Shape.HISTOGRAM, before, List.of(after), 1_000).increases().get(0).delta();
        assertThat(delta.buckets().counts()).containsExactly(1, 0, 3);
        assertThat(delta.count()).isEqualTo(4);
        assertThat(delta.sum()).isEqualTo(4500);
        assertThat(delta.mean()).isEqualTo(1125);
    }

    @Test
    void cumulativeExponentialHistogramsAreDiffedAtTheCommonScale() {
        // scale 1: base sqrt(2); buckets 2..5 at scale 1 become 1..2 at scale 0 (index >> 1)
        ExponentialHistogramDataPoint before = ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(START)
                .setTimeUnixNano(START + S).setScale(1).setCount(4).setSum(10)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(2)
                        .addAllBucketCounts(List.of(1L, 1L, 1L, 1L))).build();
        ExponentialHistogramDataPoint after = ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(START)
                .setTimeUnixNano(START + 2 * S).setScale(0).setCount(10).setSum(40)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(1)
                        .addAllBucketCounts(List.of(5L, 5L))).build();
        MetricAggregate.Histogram delta = (MetricAggregate.Histogram) CumulativeSeries.advance(
                MetricPartial.Shape.EXPONENTIAL_HISTOGRAM, before, List.of(after), 1_000).increases().get(0).delta();
        assertThat(delta.count()).isEqualTo(6); // (5 - 2) + (5 - 2)
        assertThat(delta.sum()).isEqualTo(30);
        // bucket 1 at scale 0 is (2, 4], bucket 2 is (4, 8]: three observations each, median between them
        assertThat(delta.quantile(0.25)).isBetween(2.0, 4.0);
        assertThat(delta.quantile(0.9)).isBetween(4.0, 8.0);
    }

    @Test
    void summariesGiveCountAndSumIncreasesAndTheLatestQuantiles() {
        SummaryDataPoint before = SummaryDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(START + S)
                .setCount(100).setSum(20_000).build();
        SummaryDataPoint after = SummaryDataPoint.newBuilder().setStartTimeUnixNano(START).setTimeUnixNano(START + 2 * S)
                .setCount(150).setSum(45_000)
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(300))
                .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(900)).build();
        MetricAggregate.Summary delta = (MetricAggregate.Summary) CumulativeSeries.advance(
                MetricPartial.Shape.SUMMARY, before, List.of(after), 1_000).increases().get(0).delta();
        assertThat(delta.count()).isEqualTo(50);
        assertThat(delta.mean()).isEqualTo(500);
        assertThat(delta.quantile(0.95)).isEqualTo(900); // nearest reported quantile
    }
}

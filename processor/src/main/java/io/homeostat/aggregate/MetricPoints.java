package io.homeostat.aggregate;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OTLP data points to delta-form {@link MetricAggregate}s: delta points directly, cumulative points as
 * the difference to the series' previous point. The rules for cumulative series, as Prometheus applies
 * them to counters: the first point of a series is its baseline (no increase); a point no newer than the
 * previous one is a duplicate or out of order and is ignored (never a negative or doubled increase); a
 * changed start time or a value going down is a restart, and the whole new value is the increase.
 */
public final class MetricPoints {
    private MetricPoints() {}

    public static double value(NumberDataPoint point) {
        return point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? point.getAsInt() : point.getAsDouble();
    }

    public static MetricAggregate.Gauge gauge(NumberDataPoint point) {
        return MetricAggregate.Gauge.of(point.getTimeUnixNano(), value(point));
    }

    public static MetricAggregate.Sum deltaSum(NumberDataPoint point) {
        return new MetricAggregate.Sum(value(point), 1);
    }

    public static MetricAggregate.Histogram deltaHistogram(HistogramDataPoint point) {
        return MetricAggregate.Histogram.explicit(buckets(point), point.hasSum() ? point.getSum() : 0.0,
                point.hasMin() ? point.getMin() : Double.NaN, point.hasMax() ? point.getMax() : Double.NaN);
    }

    public static MetricAggregate.Histogram deltaExponentialHistogram(ExponentialHistogramDataPoint point) {
        return sketch(ExponentialBuckets.of(point), point.hasSum() ? point.getSum() : 0.0,
                point.hasMin() ? point.getMin() : Double.NaN, point.hasMax() ? point.getMax() : Double.NaN);
    }

    public static MetricAggregate.Summary summary(SummaryDataPoint point, long count, double sum) {
        List<SummaryDataPoint.ValueAtQuantile> values = point.getQuantileValuesList();
        double[] quantiles = new double[values.size()];
        double[] at = new double[values.size()];
        for (int i = 0; i < values.size(); i++) {
            quantiles[i] = values.get(i).getQuantile();
            at[i] = values.get(i).getValue();
        }
        return new MetricAggregate.Summary(count, sum, point.getTimeUnixNano(), quantiles, at);
    }

    /** Whether {@code current} may follow {@code previous} in a cumulative series at all. */
    public static boolean isNewer(long previousTimeNanos, long currentTimeNanos) {
        return currentTimeNanos > previousTimeNanos;
    }

    private static boolean restarted(long previousStart, long currentStart) {
        return currentStart != 0 && previousStart != 0 && currentStart != previousStart;
    }

    // Implements: REQ-RUNTIME-002 (counter resets and restarts never show up as negative rates)
    public static MetricAggregate.Sum sumIncrease(NumberDataPoint previous, NumberDataPoint current) {
        double before = value(previous);
        double now = value(current);
        boolean reset = restarted(previous.getStartTimeUnixNano(), current.getStartTimeUnixNano()) || now < before;
        return new MetricAggregate.Sum(reset ? now : now - before, 1);
    }

    public static MetricAggregate.Histogram histogramIncrease(HistogramDataPoint previous, HistogramDataPoint current) {
        ExplicitHistogram now = buckets(current);
        ExplicitHistogram delta = restarted(previous.getStartTimeUnixNano(), current.getStartTimeUnixNano())
                || current.getCount() < previous.getCount() ? null : now.minus(buckets(previous));
        if (delta == null) return deltaHistogram(current); // restart: everything in the new point is new
        double sum = (current.hasSum() ? current.getSum() : 0.0) - (previous.hasSum() ? previous.getSum() : 0.0);
        // Cumulative min/max cover the whole series, not the interval: not usable for the delta.
        return MetricAggregate.Histogram.explicit(delta, sum, Double.NaN, Double.NaN);
    }

    public static MetricAggregate.Histogram exponentialIncrease(ExponentialHistogramDataPoint previous,
                                                                ExponentialHistogramDataPoint current) {
        ExponentialBuckets delta = restarted(previous.getStartTimeUnixNano(), current.getStartTimeUnixNano())
                || current.getCount() < previous.getCount()
                ? null : ExponentialBuckets.of(current).minus(ExponentialBuckets.of(previous));
        if (delta == null) return deltaExponentialHistogram(current);
        double sum = (current.hasSum() ? current.getSum() : 0.0) - (previous.hasSum() ? previous.getSum() : 0.0);
        return sketch(delta, sum, Double.NaN, Double.NaN);
    }

    public static MetricAggregate.Summary summaryIncrease(SummaryDataPoint previous, SummaryDataPoint current) {
        boolean reset = restarted(previous.getStartTimeUnixNano(), current.getStartTimeUnixNano())
                || current.getCount() < previous.getCount();
        return reset ? summary(current, current.getCount(), current.getSum())
                : summary(current, current.getCount() - previous.getCount(), current.getSum() - previous.getSum());
    }

    static ExplicitHistogram buckets(HistogramDataPoint point) {
        double[] bounds = new double[point.getExplicitBoundsCount()];
        for (int i = 0; i < bounds.length; i++) bounds[i] = point.getExplicitBounds(i);
        long[] counts = new long[bounds.length + 1];
        if (point.getBucketCountsCount() == counts.length) {
            for (int i = 0; i < counts.length; i++) counts[i] = point.getBucketCounts(i);
        } else {
            // No (or malformed) buckets: all observations in one bucket, so count and sum still hold.
            counts[counts.length - 1] = point.getCount();
        }
        return new ExplicitHistogram(bounds, counts);
    }

    private static MetricAggregate.Histogram sketch(ExponentialBuckets buckets, double sum, double min, double max) {
        Distribution d = new Distribution();
        buckets.addTo(d);
        return new MetricAggregate.Histogram(null, d, buckets.total(), sum, min, max);
    }

    /**
     * Exponential histogram buckets at one scale: bucket i holds (base^i, base^(i+1)], base = 2^(2^-scale).
     * Cumulative points may be downscaled between exports, so differences are taken at the smaller scale.
     */
    static final class ExponentialBuckets {
        final int scale;
        final long zeroCount;
        final TreeMap<Integer, Long> positive;
        final TreeMap<Integer, Long> negative;

        ExponentialBuckets(int scale, long zeroCount, TreeMap<Integer, Long> positive, TreeMap<Integer, Long> negative) {
            this.scale = scale;
            this.zeroCount = zeroCount;
            this.positive = positive;
            this.negative = negative;
        }

        static ExponentialBuckets of(ExponentialHistogramDataPoint point) {
            return new ExponentialBuckets(point.getScale(), point.getZeroCount(), map(point.getPositive()),
                    map(point.getNegative()));
        }

        private static TreeMap<Integer, Long> map(ExponentialHistogramDataPoint.Buckets buckets) {
            TreeMap<Integer, Long> map = new TreeMap<>();
            for (int i = 0; i < buckets.getBucketCountsCount(); i++) {
                long count = buckets.getBucketCounts(i);
                if (count != 0) map.put(buckets.getOffset() + i, count);
            }
            return map;
        }

        ExponentialBuckets downscaleTo(int target) {
            if (target >= scale) return this;
            int shift = scale - target;
            return new ExponentialBuckets(target, zeroCount, shifted(positive, shift), shifted(negative, shift));
        }

        private static TreeMap<Integer, Long> shifted(TreeMap<Integer, Long> buckets, int shift) {
            TreeMap<Integer, Long> out = new TreeMap<>();
            buckets.forEach((index, count) -> out.merge(index >> shift, count, MetricAggregate::plus));
            return out;
        }

        /** This cumulative snapshot minus an earlier one, or {@code null} if any bucket went down (a reset). */
        ExponentialBuckets minus(ExponentialBuckets earlier) {
            int common = Math.min(scale, earlier.scale);
            ExponentialBuckets now = downscaleTo(common);
            ExponentialBuckets before = earlier.downscaleTo(common);
            long zero = now.zeroCount - before.zeroCount;
            TreeMap<Integer, Long> pos = difference(now.positive, before.positive);
            TreeMap<Integer, Long> neg = difference(now.negative, before.negative);
            if (zero < 0 || pos == null || neg == null) return null;
            return new ExponentialBuckets(common, zero, pos, neg);
        }

        private static TreeMap<Integer, Long> difference(TreeMap<Integer, Long> now, TreeMap<Integer, Long> before) {
            TreeMap<Integer, Long> out = new TreeMap<>(now);
            for (Map.Entry<Integer, Long> e : before.entrySet()) {
                long remaining = out.getOrDefault(e.getKey(), 0L) - e.getValue();
                if (remaining < 0) return null;
                if (remaining == 0) out.remove(e.getKey());
                else out.put(e.getKey(), remaining);
            }
            return out;
        }

        long total() {
            long total = zeroCount;
            for (long c : positive.values()) total = MetricAggregate.plus(total, c);
            for (long c : negative.values()) total = MetricAggregate.plus(total, c);
            return total;
        }

        /** Each bucket's count at its geometric midpoint, base^(i + 1/2). */
        void addTo(Distribution sketch) {
            double step = Math.pow(2, -scale);
            if (zeroCount > 0) sketch.accept(0.0, zeroCount);
            positive.forEach((index, count) -> sketch.accept(Math.pow(2, (index + 0.5) * step), count));
            negative.forEach((index, count) -> sketch.accept(-Math.pow(2, (index + 0.5) * step), count));
        }
    }
}

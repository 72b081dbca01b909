package io.homeostat.aggregate;

/**
 * A metric series' data over a slice (or a window), always in delta form: cumulative OTLP points are
 * turned into increases before they are merged. Mergeable, so slices fold into windows.
 */
public sealed interface MetricAggregate
        permits MetricAggregate.Sum, MetricAggregate.Gauge, MetricAggregate.Histogram, MetricAggregate.Summary {

    MetricKind kind();

    /** Observations behind the value: points for sums and gauges, observations for distributions. */
    long events();

    /** Merges {@code other} (of the same kind) into a new aggregate. */
    MetricAggregate merge(MetricAggregate other);

    /** Counts add up to at most {@link Long#MAX_VALUE}: a window of absurd counts stays absurd, never negative. */
    static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    /** Increase of a counter (or the change of an up-down counter) and the points it came from. */
    record Sum(double increase, long points) implements MetricAggregate {
        public MetricKind kind() {
            return MetricKind.SUM;
        }

        public long events() {
            return points;
        }

        public MetricAggregate merge(MetricAggregate other) {
            Sum o = (Sum) other;
            return new Sum(increase + o.increase, plus(points, o.points));
        }
    }

    /** Gauge points: the last (by time), and sum/count/min/max for avg, min, max. */
    record Gauge(long lastTimeNanos, double last, double sum, long points, double min, double max)
            implements MetricAggregate {
        public static Gauge of(long timeNanos, double value) {
            return new Gauge(timeNanos, value, value, 1, value, value);
        }

        public MetricKind kind() {
            return MetricKind.GAUGE;
        }

        public long events() {
            return points;
        }

        public double avg() {
            return points == 0 ? Double.NaN : sum / points;
        }

        public MetricAggregate merge(MetricAggregate other) {
            Gauge o = (Gauge) other;
            boolean otherIsLater = o.lastTimeNanos >= lastTimeNanos;
            return new Gauge(otherIsLater ? o.lastTimeNanos : lastTimeNanos, otherIsLater ? o.last : last,
                    sum + o.sum, plus(points, o.points), Math.min(min, o.min), Math.max(max, o.max));
        }
    }

    /**
     * Histogram observations: explicit buckets while every part shares the same bounds (exact merge),
     * else a sketch. {@code min}/{@code max} are NaN when no point reported them.
     */
    record Histogram(ExplicitHistogram buckets, Distribution sketch, long count, double sum, double min, double max)
            implements MetricAggregate {
        public static Histogram explicit(ExplicitHistogram buckets, double sum, double min, double max) {
            return new Histogram(buckets, null, buckets.total(), sum, min, max);
        }

        public static Histogram sketched(Distribution sketch, double sum, double min, double max) {
            return new Histogram(null, sketch, Math.round(sketch.count()), sum, min, max);
        }

        public MetricKind kind() {
            return MetricKind.HISTOGRAM;
        }

        public long events() {
            return count;
        }

        public double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        public double quantile(double q) {
            return buckets != null ? buckets.quantile(q, min, max) : sketch.quantile(q);
        }

        public double fractionSatisfying(io.homeostat.model.Operator op, double bound, double tolerance) {
            return buckets != null ? buckets.fractionSatisfying(op, bound, tolerance, min, max)
                    : sketch.fractionSatisfying(op, bound, tolerance);
        }

        public MetricAggregate merge(MetricAggregate other) {
            Histogram o = (Histogram) other;
            double mergedMin = minOf(min, o.min);
            double mergedMax = maxOf(max, o.max);
            if (buckets != null && o.buckets != null && buckets.sameBounds(o.buckets)) {
                return new Histogram(buckets.plus(o.buckets), null, plus(count, o.count), sum + o.sum, mergedMin, mergedMax);
            }
            Distribution merged = toSketch();
            merged.merge(o.toSketch());
            return new Histogram(null, merged, plus(count, o.count), sum + o.sum, mergedMin, mergedMax);
        }

        Distribution toSketch() {
            if (sketch != null) return sketch.copy();
            Distribution d = new Distribution();
            buckets.addTo(d, min, max);
            return d;
        }

        private static double minOf(double a, double b) {
            return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b);
        }

        private static double maxOf(double a, double b) {
            return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
        }
    }

    /**
     * Summary observations: the increase of count and sum, and the quantiles of the latest point (an SDK
     * computes them over its own window; they cannot be merged, only the latest is meaningful).
     */
    record Summary(long count, double sum, long lastTimeNanos, double[] quantiles, double[] values)
            implements MetricAggregate {
        public MetricKind kind() {
            return MetricKind.SUMMARY;
        }

        public long events() {
            return count;
        }

        public double mean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        /** The latest reported value at the reported quantile nearest to q. */
        public double quantile(double q) {
            int best = -1;
            for (int i = 0; i < quantiles.length; i++) {
                if (best < 0 || Math.abs(quantiles[i] - q) < Math.abs(quantiles[best] - q)) best = i;
            }
            return best < 0 ? Double.NaN : values[best];
        }

        public MetricAggregate merge(MetricAggregate other) {
            Summary o = (Summary) other;
            boolean otherIsLater = o.lastTimeNanos >= lastTimeNanos;
            return new Summary(plus(count, o.count), sum + o.sum, otherIsLater ? o.lastTimeNanos : lastTimeNanos,
                    otherIsLater ? o.quantiles : quantiles, otherIsLater ? o.values : values);
        }
    }
}

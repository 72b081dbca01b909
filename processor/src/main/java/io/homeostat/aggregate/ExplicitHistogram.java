package io.homeostat.aggregate;

import io.homeostat.model.Operator;
import java.util.Arrays;

/**
 * Bucket counts over fixed explicit bounds, as OTLP histograms carry them: bucket i holds values in
 * {@code (bounds[i-1], bounds[i]]}, the last bucket everything above the last bound. Merged exactly when
 * bounds agree. Quantiles and shares interpolate linearly inside a bucket (as Prometheus'
 * {@code histogram_quantile} does), so they are exact at bucket bounds and estimates between them.
 */
public final class ExplicitHistogram {
    private final double[] bounds;
    private final long[] counts;

    public ExplicitHistogram(double[] bounds, long[] counts) {
        if (counts.length != bounds.length + 1) {
            throw new IllegalArgumentException("a histogram with " + bounds.length + " bounds has " + (bounds.length + 1)
                    + " buckets, not " + counts.length);
        }
        this.bounds = bounds.clone();
        this.counts = counts.clone();
    }

    public double[] bounds() {
        return bounds.clone();
    }

    public long[] counts() {
        return counts.clone();
    }

    public boolean sameBounds(ExplicitHistogram other) {
        return Arrays.equals(bounds, other.bounds);
    }

    public ExplicitHistogram plus(ExplicitHistogram other) {
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) sum[i] = MetricAggregate.plus(sum[i], other.counts[i]);
        return new ExplicitHistogram(bounds, sum);
    }

    /** This cumulative histogram minus an earlier one, or {@code null} when a bucket went down (a reset). */
    public ExplicitHistogram minus(ExplicitHistogram earlier) {
        if (!sameBounds(earlier)) return null;
        long[] delta = new long[counts.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = counts[i] - earlier.counts[i];
            if (delta[i] < 0) return null;
        }
        return new ExplicitHistogram(bounds, delta);
    }

    public long total() {
        long total = 0;
        for (long c : counts) total = MetricAggregate.plus(total, c);
        return total;
    }

    /**
     * Value at quantile q, interpolated inside its bucket. The open-ended first and last buckets are
     * closed by the observed min and max when known, else by 0 (or the first bound) and the last bound.
     */
    public double quantile(double q, double min, double max) {
        long total = total();
        if (total == 0) return Double.NaN;
        double rank = q * total;
        long before = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            if (before + counts[i] >= rank) {
                double lo = lower(i, min);
                double hi = upper(i, max);
                return lo + (hi - lo) * Math.max(0, rank - before) / counts[i];
            }
            before += counts[i];
        }
        return upper(counts.length - 1, max);
    }

    /** Share of values v with {@code v <op> bound}, interpolating inside the bucket that holds the bound. */
    public double fractionSatisfying(Operator op, double bound, double tolerance, double min, double max) {
        long total = total();
        if (total == 0) return Double.NaN;
        return switch (op) {
            case LT, LTE -> atOrBelow(bound, min, max) / total;
            case GT, GTE -> 1.0 - atOrBelow(bound, min, max) / total;
            case EQ -> (atOrBelow(bound + tolerance, min, max) - atOrBelow(bound - tolerance, min, max)) / total;
        };
    }

    private double atOrBelow(double x, double min, double max) {
        double below = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) continue;
            double lo = lower(i, min);
            double hi = upper(i, max);
            if (hi <= x) {
                below += counts[i];
            } else if (lo < x) {
                below += counts[i] * (x - lo) / (hi - lo);
            }
        }
        return below;
    }

    /** Adds every bucket's count to a sketch at the bucket's midpoint (used when bounds disagree). */
    public void addTo(Distribution sketch, double min, double max) {
        for (int i = 0; i < counts.length; i++) {
            // Halves first: the midpoint of bounds near Double.MAX_VALUE would overflow.
            if (counts[i] > 0) sketch.accept(lower(i, min) / 2.0 + upper(i, max) / 2.0, counts[i]);
        }
    }

    private double lower(int bucket, double min) {
        if (bucket > 0) return bounds[bucket - 1];
        if (!Double.isNaN(min) && (bounds.length == 0 || min <= bounds[0])) return min;
        return bounds.length == 0 ? 0 : Math.min(0, bounds[0]);
    }

    private double upper(int bucket, double max) {
        if (bucket < bounds.length) return bounds[bucket];
        if (!Double.isNaN(max) && (bounds.length == 0 || max >= bounds[bounds.length - 1])) return max;
        return bounds.length == 0 ? 0 : bounds[bounds.length - 1];
    }
}

package io.homeostat.aggregate;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.List;

/**
 * Whether an OTLP data point can be used, and if not, why: every number a point carries is checked against
 * what the OTLP data model allows and what the aggregates can hold, before any arithmetic is done with it. A
 * check returns {@code null} for a usable point, else the reason, in words a sender can act on.
 *
 * <p>OTLP counts are unsigned 64-bit: a count of 2^63 or more reads as negative in Java and is rejected, as
 * is any count above {@link #MAX_COUNT} (sketches count in doubles, exact up to 2^53; no export holds that
 * many observations). Times are unsigned nanoseconds: 0 (absent) and 2^63 or more (after the year 2262) are
 * rejected. Sums, gauges, bounds, min, max and quantiles must be finite.
 */
public final class DataPointChecks {
    /** Scales an exponential histogram may have (OTLP data model). */
    public static final int MIN_SCALE = -10;
    public static final int MAX_SCALE = 20;
    /** The largest count of one point: 2^53, the largest whole number a double holds exactly. */
    public static final long MAX_COUNT = 1L << 53;
    /** Positive doubles lie in [2^-1074, 2^1024): a bucket wholly outside holds no value at all. */
    private static final int MIN_EXPONENT = -1074;
    private static final int MAX_EXPONENT = 1024;

    private DataPointChecks() {}

    static String time(long timeNanos) {
        if (timeNanos == 0) return "no time_unix_nano";
        if (timeNanos < 0) return "time_unix_nano " + Long.toUnsignedString(timeNanos) + " is after the year 2262";
        return null;
    }

    /** A gauge or sum point; a monotonic sum never goes down, so its values (increases or totals) are not negative. */
    public static String number(NumberDataPoint point, boolean monotonic) {
        String problem = time(point.getTimeUnixNano());
        if (problem != null) return problem;
        double value;
        switch (point.getValueCase()) {
            case AS_INT -> value = point.getAsInt();
            case AS_DOUBLE -> {
                value = point.getAsDouble();
                if (!Double.isFinite(value)) return "value is " + value;
            }
            default -> {
                return "no value (neither as_int nor as_double)";
            }
        }
        if (monotonic && value < 0) return "negative value " + value + " of a monotonic sum";
        return null;
    }

    public static String histogram(HistogramDataPoint point) {
        String problem = time(point.getTimeUnixNano());
        if (problem == null) problem = count("count", point.getCount());
        if (problem == null) problem = sumMinMax(point.hasSum(), point.getSum(), point.hasMin(), point.getMin(),
                point.hasMax(), point.getMax());
        if (problem != null) return problem;
        int bounds = point.getExplicitBoundsCount();
        for (int i = 0; i < bounds; i++) {
            double bound = point.getExplicitBounds(i);
            if (!Double.isFinite(bound)) return "explicit_bounds[" + i + "] is " + bound;
            if (i > 0 && !(bound > point.getExplicitBounds(i - 1))) {
                return "explicit_bounds are not increasing: " + point.getExplicitBounds(i - 1) + " then " + bound;
            }
        }
        int buckets = point.getBucketCountsCount();
        if (buckets == 0) return null; // count and sum only: allowed
        if (buckets != bounds + 1) {
            return buckets + " bucket_counts for " + bounds + " explicit_bounds (there must be " + (bounds + 1) + ")";
        }
        return total(point.getBucketCountsList(), 0, point.getCount());
    }

    public static String exponentialHistogram(ExponentialHistogramDataPoint point) {
        String problem = time(point.getTimeUnixNano());
        if (problem == null) problem = count("count", point.getCount());
        if (problem == null) problem = count("zero_count", point.getZeroCount());
        if (problem == null) problem = sumMinMax(point.hasSum(), point.getSum(), point.hasMin(), point.getMin(),
                point.hasMax(), point.getMax());
        if (problem != null) return problem;
        int scale = point.getScale();
        if (scale < MIN_SCALE || scale > MAX_SCALE) return "scale " + scale + " is outside " + MIN_SCALE + ".." + MAX_SCALE;
        problem = bucketIndexes("positive", point.getPositive(), scale);
        if (problem == null) problem = bucketIndexes("negative", point.getNegative(), scale);
        if (problem != null) return problem;
        long positive = 0;
        for (long c : point.getPositive().getBucketCountsList()) {
            if (c < 0 || c > MAX_COUNT) return "bucket count " + Long.toUnsignedString(c) + " is beyond 2^53";
            positive = addCount(positive, c);
        }
        return total(point.getNegative().getBucketCountsList(), addCount(point.getZeroCount(), positive), point.getCount());
    }

    public static String summary(SummaryDataPoint point) {
        String problem = time(point.getTimeUnixNano());
        if (problem == null) problem = count("count", point.getCount());
        if (problem != null) return problem;
        if (!Double.isFinite(point.getSum())) return "sum is " + point.getSum();
        for (SummaryDataPoint.ValueAtQuantile q : point.getQuantileValuesList()) {
            if (!(q.getQuantile() >= 0 && q.getQuantile() <= 1)) return "quantile " + q.getQuantile() + " is outside 0..1";
            if (!Double.isFinite(q.getValue())) return "value at quantile " + q.getQuantile() + " is " + q.getValue();
        }
        return null;
    }

    /**
     * The lowest and highest bucket index at {@code scale} whose bucket (base^i, base^(i+1)], base = 2^(2^-scale),
     * holds any double: beyond them a bucket lies wholly above {@link Double#MAX_VALUE} or below the smallest double.
     */
    static long minIndex(int scale) {
        return (long) Math.ceil(MIN_EXPONENT * Math.pow(2, scale)) - 1; // its upper bound reaches 2^-1074
    }

    static long maxIndex(int scale) {
        return (long) Math.ceil(MAX_EXPONENT * Math.pow(2, scale)) - 1; // its lower bound is below 2^1024
    }

    private static String bucketIndexes(String side, ExponentialHistogramDataPoint.Buckets buckets, int scale) {
        int n = buckets.getBucketCountsCount();
        if (n == 0) return null;
        long first = buckets.getOffset();
        long last = first + n - 1;
        long min = minIndex(scale);
        long max = maxIndex(scale);
        if (first >= min && last <= max) return null;
        // Only buckets that hold something matter.
        for (int i = 0; i < n; i++) {
            if (buckets.getBucketCounts(i) == 0) continue;
            long index = first + i;
            if (index < min || index > max) {
                return side + " bucket index " + index + " at scale " + scale + " covers values beyond the range of a "
                        + "double (indexes " + min + ".." + max + " at this scale)";
            }
        }
        return null;
    }

    private static String count(String field, long value) {
        if (value < 0 || value > MAX_COUNT) return field + " " + Long.toUnsignedString(value) + " is beyond 2^53";
        return null;
    }

    private static String sumMinMax(boolean hasSum, double sum, boolean hasMin, double min, boolean hasMax, double max) {
        if (hasSum && !Double.isFinite(sum)) return "sum is " + sum;
        if (hasMin && !Double.isFinite(min)) return "min is " + min;
        if (hasMax && !Double.isFinite(max)) return "max is " + max;
        if (hasMin && hasMax && min > max) return "min " + min + " is greater than max " + max;
        return null;
    }

    /** Whether the counts, plus {@code start}, add up to {@code expected}, each one and the total a valid count. */
    private static String total(List<Long> counts, long start, long expected) {
        long total = start;
        for (int i = 0; i < counts.size(); i++) {
            long c = counts.get(i);
            if (c < 0 || c > MAX_COUNT) return "bucket count " + Long.toUnsignedString(c) + " is beyond 2^53";
            total = addCount(total, c);
        }
        if (total != expected) {
            return "count is " + expected + " but the buckets hold " + (total > MAX_COUNT ? "more than 2^53" : total);
        }
        return null;
    }

    /** Adds counts, saturating just above {@link #MAX_COUNT} (every operand is at most that). */
    private static long addCount(long a, long b) {
        if (a < 0 || b < 0) return MAX_COUNT + 1;
        return Math.min(a + b, MAX_COUNT + 1);
    }
}

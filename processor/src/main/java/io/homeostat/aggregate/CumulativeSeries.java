package io.homeostat.aggregate;

import com.google.protobuf.MessageLite;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the points of one cumulative series into increases, given the series' previous point: the first
 * point is a baseline, points no newer than the previous are skipped, and every other point yields its
 * increase over the previous one (restarts and resets handled by {@link MetricPoints}), placed in the
 * slice of the point's time.
 */
public final class CumulativeSeries {
    private CumulativeSeries() {}

    /** An increase for the slice starting at {@code sliceStart}. */
    public record Increase(long sliceStart, MetricAggregate delta) {}

    /**
     * @param latest   the newest point accepted (the series' new previous point), {@code null} if none
     * @param ignored  points skipped as duplicates or out of order
     */
    public record Advance(List<Increase> increases, MessageLite latest, int ignored) {}

    public static Advance advance(MetricPartial.Shape shape, MessageLite previous, List<? extends MessageLite> points,
                                  long sliceMs) {
        List<Increase> increases = new ArrayList<>(points.size());
        int ignored = 0;
        // Points were checked when decoded; a stored point of an older version may not pass today's checks: a new baseline.
        if (previous != null && problem(shape, previous) != null) previous = null;
        for (MessageLite current : points) {
            if (problem(shape, current) != null) {
                ignored++;
                continue;
            }
            long currentTime = timeNanos(current);
            if (previous != null && !MetricPoints.isNewer(timeNanos(previous), currentTime)) {
                ignored++;
                continue;
            }
            if (previous != null) {
                increases.add(new Increase(SliceKey.sliceStart(currentTime / 1_000_000L, sliceMs),
                        increase(shape, previous, current)));
            }
            previous = current;
        }
        return new Advance(increases, previous, ignored);
    }

    private static MetricAggregate increase(MetricPartial.Shape shape, MessageLite previous, MessageLite current) {
        return switch (shape) {
            case SUM -> MetricPoints.sumIncrease((NumberDataPoint) previous, (NumberDataPoint) current);
            case HISTOGRAM -> MetricPoints.histogramIncrease((HistogramDataPoint) previous, (HistogramDataPoint) current);
            case EXPONENTIAL_HISTOGRAM -> MetricPoints.exponentialIncrease(
                    (ExponentialHistogramDataPoint) previous, (ExponentialHistogramDataPoint) current);
            case SUMMARY -> MetricPoints.summaryIncrease((SummaryDataPoint) previous, (SummaryDataPoint) current);
        };
    }

    /** Why a cumulative point cannot be used ({@link DataPointChecks}), or {@code null}. */
    static String problem(MetricPartial.Shape shape, MessageLite point) {
        return switch (shape) {
            case SUM -> DataPointChecks.number((NumberDataPoint) point, true);
            case HISTOGRAM -> DataPointChecks.histogram((HistogramDataPoint) point);
            case EXPONENTIAL_HISTOGRAM -> DataPointChecks.exponentialHistogram((ExponentialHistogramDataPoint) point);
            case SUMMARY -> DataPointChecks.summary((SummaryDataPoint) point);
        };
    }

    static long timeNanos(MessageLite point) {
        if (point instanceof NumberDataPoint p) return p.getTimeUnixNano();
        if (point instanceof HistogramDataPoint p) return p.getTimeUnixNano();
        if (point instanceof ExponentialHistogramDataPoint p) return p.getTimeUnixNano();
        return ((SummaryDataPoint) point).getTimeUnixNano();
    }
}

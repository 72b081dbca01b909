package io.homeostat.evaluate;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.model.Aggregation;
import io.homeostat.model.Target;
import java.time.Duration;
import java.util.List;

/** Computes a target's value from an OTLP metric's window aggregate, by the metric's kind. */
public final class MetricMeasurer {
    private MetricMeasurer() {}

    public static Measurement measure(Target target, MetricAggregate window, Duration windowLength) {
        Aggregation aggregation = target.aggregation();
        if (window instanceof MetricAggregate.Sum sum) {
            double actual = aggregation == Aggregation.RATE ? sum.increase() / seconds(windowLength)
                    : aggregation == Aggregation.COUNT ? sum.points() : sum.increase();
            return new Measurement(actual, null, false, sum.events(), List.of());
        }
        if (window instanceof MetricAggregate.Gauge gauge) {
            double actual = aggregation == null ? gauge.last() : switch (aggregation) {
                case AVG -> gauge.avg();
                case MIN -> gauge.min();
                case MAX -> gauge.max();
                case COUNT -> gauge.points();
                default -> gauge.last();
            };
            return new Measurement(actual, null, false, gauge.events(), List.of());
        }
        boolean share = Target.thresholdIsShare(target.alertThreshold(), true);
        if (window instanceof MetricAggregate.Histogram histogram) {
            double actual = share ? histogram.quantile(target.shareQuantile()) : distributionValue(histogram, aggregation);
            Double good = histogram.count() == 0 ? null
                    : histogram.fractionSatisfying(target.operator(), target.target(), target.tolerance());
            return new Measurement(actual, good, true, histogram.events(), List.of());
        }
        MetricAggregate.Summary summary = (MetricAggregate.Summary) window;
        double actual = share ? summary.quantile(target.shareQuantile())
                : aggregation == Aggregation.COUNT ? summary.count() : summary.mean();
        // A summary's quantiles cannot tell the share of good observations: the share is judged on the
        // reported quantile instead (see Evaluator).
        return new Measurement(actual, null, true, summary.events(), List.of());
    }

    private static double distributionValue(MetricAggregate.Histogram h, Aggregation aggregation) {
        if (aggregation == null) return h.mean();
        return switch (aggregation) {
            case MIN -> Double.isNaN(h.min()) ? h.quantile(0.0) : h.min();
            case MAX -> Double.isNaN(h.max()) ? h.quantile(1.0) : h.max();
            case COUNT -> h.count();
            default -> h.mean();
        };
    }

    /** A ratio operand's value: sums their increase, gauges their last value, distributions their count. */
    static double operand(MetricAggregate aggregate) {
        if (aggregate instanceof MetricAggregate.Sum sum) return sum.increase();
        if (aggregate instanceof MetricAggregate.Gauge gauge) return gauge.last();
        if (aggregate instanceof MetricAggregate.Histogram histogram) return histogram.count();
        return ((MetricAggregate.Summary) aggregate).count();
    }

    public static Measurement ratio(MetricAggregate good, MetricAggregate total) {
        double totalValue = total == null ? 0 : operand(total);
        double goodValue = good == null ? 0 : operand(good);
        double actual = totalValue == 0 ? Double.NaN : goodValue / totalValue;
        return new Measurement(actual, null, false, Math.max(0, Math.round(totalValue)), List.of());
    }

    private static double seconds(Duration window) {
        return Math.max(0.001, window.toMillis() / 1000.0);
    }
}

package io.homeostat.evaluate;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.MetricRef;
import io.homeostat.model.Operator;
import io.homeostat.model.SpanSli;
import io.homeostat.model.Target;
import java.util.Optional;

/**
 * Counts an SLO target's good and total events in one slice: the share its verdict is about, as events.
 * <ul>
 *   <li>{@code span.success_rate}, {@code span.error_rate}: the requirement's spans, good when not ERROR;</li>
 *   <li>{@code span.duration_ms} and histograms: observations, good when they meet the target
 *       ({@code lt 500}), counted as the plain verdict counts its share (interpolated inside a bucket);</li>
 *   <li>a ratio: the total's events, good the numerator's (or the total less the numerator, when the ratio
 *       counts the bad ones: an upper bound such as {@code failures / attempts lte 0.01}).</li>
 * </ul>
 * What cannot be counted (a gauge, a summary's quantiles) is a problem the status topic names.
 */
public final class SloMeasurer {
    private SloMeasurer() {}

    /** A slice's counts, or why there are none. */
    public record Counted(long good, long total, String problem) {
        static final Counted NONE = new Counted(0, 0, null);

        static Counted problem(String why) {
            return new Counted(0, 0, why);
        }
    }

    public static Counted count(Target target, WindowData slice) {
        Optional<SpanSli> sli = SpanSli.of(target.metric());
        if (sli.isPresent() && target.ratio() == null) {
            SpanAggregate spans = slice.spans().aggregate();
            long count = spans.count();
            if (count == 0) return Counted.NONE;
            return switch (sli.get()) {
                case SUCCESS_RATE, ERROR_RATE -> new Counted(count - spans.errors(), count, null);
                case DURATION_MS -> new Counted(Math.round(count * spans.durationsMs()
                        .fractionSatisfying(target.operator(), target.target(), target.tolerance())), count, null);
                default -> Counted.problem(target.metric() + " is not a share of good events");
            };
        }
        if (target.ratio() != null) {
            MetricAggregate total = slice.metric(target.ratio().total()).map(WindowData.Windowed::aggregate).orElse(null);
            if (total == null) return Counted.NONE;
            Double totalEvents = events(total);
            if (totalEvents == null) return notEvents(target.ratio().total(), total);
            MetricAggregate numerator = slice.metric(target.ratio().good()).map(WindowData.Windowed::aggregate).orElse(null);
            Double numeratorEvents = numerator == null ? Double.valueOf(0) : events(numerator);
            if (numeratorEvents == null) return notEvents(target.ratio().good(), numerator);
            long all = Math.max(0, Math.round(totalEvents));
            long counted = Math.max(0, Math.min(all, Math.round(numeratorEvents)));
            boolean countsBad = target.operator() == Operator.LT || target.operator() == Operator.LTE;
            return new Counted(countsBad ? all - counted : counted, all, null);
        }
        MetricAggregate metric = slice.metric(target.metricRef()).map(WindowData.Windowed::aggregate).orElse(null);
        if (metric == null) return Counted.NONE;
        if (metric instanceof MetricAggregate.Histogram histogram) {
            long count = histogram.count();
            if (count == 0) return Counted.NONE;
            return new Counted(Math.round(count * histogram.fractionSatisfying(target.operator(), target.target(),
                    target.tolerance())), count, null);
        }
        if (metric instanceof MetricAggregate.Summary) {
            return Counted.problem(target.metric() + " is a summary: its reported quantiles cannot count the observations "
                    + "that meet the target (send a histogram)");
        }
        return Counted.problem(target.metric() + " is a " + metric.kind().name().toLowerCase(java.util.Locale.ROOT)
                + ", not a distribution: an SLO needs a histogram (or a ratio of counters)");
    }

    /** A ratio operand's events: a counter's increase, a distribution's observations; null for a gauge. */
    private static Double events(MetricAggregate aggregate) {
        if (aggregate instanceof MetricAggregate.Sum sum) return sum.increase();
        if (aggregate instanceof MetricAggregate.Histogram histogram) return (double) histogram.count();
        if (aggregate instanceof MetricAggregate.Summary summary) return (double) summary.count();
        return null;
    }

    private static Counted notEvents(MetricRef ref, MetricAggregate aggregate) {
        return Counted.problem("ratio operand " + ref.metric() + " is a " + aggregate.kind().name().toLowerCase(java.util.Locale.ROOT)
                + ", whose last value is no count of events: an SLO's ratio needs counters (or histograms)");
    }
}

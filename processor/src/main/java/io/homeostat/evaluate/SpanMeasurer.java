package io.homeostat.evaluate;

import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.SpanSli;
import io.homeostat.model.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Computes a span SLI from a window's merged {@link SpanAggregate}, counting each span by the events it stands for:
 * its adjusted count from its trace state, else by the target's {@code sampling} setting, else 1
 * ({@link SpanAggregate#weighted}).
 */
public final class SpanMeasurer {
    private SpanMeasurer() {}

    public static Measurement measure(SpanSli sli, Target target, SpanAggregate window, Duration windowLength) {
        long seen = window.count();
        if (seen == 0) return new Measurement(Double.NaN, null, sli == SpanSli.DURATION_MS, 0, List.of(), 0L);
        SpanAggregate.Weighted spans = window.weighted(target.sampling());
        double events = spans.events();
        long eventCount = Math.max(seen, Math.round(events));
        return switch (sli) {
            case DURATION_MS -> {
                var durations = window.weightedDurationsMs(target.sampling());
                boolean share = Target.thresholdIsShare(target.alertThreshold(), true);
                double actual = share ? durations.quantile(target.shareQuantile()) : durations.mean();
                Double good = durations.fractionSatisfying(target.operator(), target.target(), target.tolerance());
                yield new Measurement(actual, good, true, eventCount, slowestTraceIds(window), seen);
            }
            case SUCCESS_RATE -> new Measurement(ratio(events - spans.errorEvents(), events), null, false, eventCount,
                    errorTraceIds(window), seen);
            case ERROR_RATE -> new Measurement(ratio(spans.errorEvents(), events), null, false, eventCount,
                    errorTraceIds(window), seen);
            case COUNT -> new Measurement(events, null, false, eventCount, anyTraceIds(window), seen);
            case RATE -> new Measurement(events / Math.max(0.001, windowLength.toMillis() / 1000.0), null, false,
                    eventCount, anyTraceIds(window), seen);
        };
    }

    private static double ratio(double part, double whole) {
        return whole == 0 ? Double.NaN : Math.max(0.0, Math.min(1.0, part / whole));
    }

    private static List<String> slowestTraceIds(SpanAggregate window) {
        List<String> ids = new ArrayList<>();
        window.slowest().forEach(slow -> ids.add(slow.traceId()));
        return ids;
    }

    private static List<String> errorTraceIds(SpanAggregate window) {
        return window.errorTraceIds().isEmpty() ? slowestTraceIds(window) : window.errorTraceIds();
    }

    private static List<String> anyTraceIds(SpanAggregate window) {
        Set<String> ids = new LinkedHashSet<>(window.errorTraceIds());
        window.slowest().forEach(slow -> ids.add(slow.traceId()));
        return ids.stream().limit(SpanAggregate.MAX_SAMPLES).toList();
    }
}

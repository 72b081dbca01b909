package io.homeostat.evaluate;

import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.SpanSli;
import io.homeostat.model.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Computes a span SLI from a window's merged {@link SpanAggregate}. */
public final class SpanMeasurer {
    private SpanMeasurer() {}

    public static Measurement measure(SpanSli sli, Target target, SpanAggregate window, Duration windowLength) {
        long events = window.count();
        return switch (sli) {
            case DURATION_MS -> {
                var durations = window.durationsMs();
                boolean share = Target.thresholdIsShare(target.alertThreshold(), true);
                double actual = events == 0 ? Double.NaN
                        : share ? durations.quantile(target.shareQuantile()) : durations.mean();
                Double good = events == 0 ? null
                        : durations.fractionSatisfying(target.operator(), target.target(), target.tolerance());
                yield new Measurement(actual, good, true, events, slowestTraceIds(window));
            }
            case SUCCESS_RATE -> new Measurement(ratio(events - window.errors(), events), null, false, events,
                    errorTraceIds(window));
            case ERROR_RATE -> new Measurement(ratio(window.errors(), events), null, false, events,
                    errorTraceIds(window));
            case COUNT -> new Measurement(events, null, false, events, anyTraceIds(window));
            case RATE -> new Measurement(events / Math.max(0.001, windowLength.toMillis() / 1000.0), null, false,
                    events, anyTraceIds(window));
        };
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
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

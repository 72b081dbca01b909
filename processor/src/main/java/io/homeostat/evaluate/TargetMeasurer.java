package io.homeostat.evaluate;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.SpanSli;
import io.homeostat.model.Target;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Measures any target over a window: a span SLI, an OTLP metric, or a ratio of two metrics. */
public final class TargetMeasurer {
    private TargetMeasurer() {}

    /** A measurement and when the target's data was last seen in the window ({@link Long#MIN_VALUE}: not). */
    public record Result(Measurement measurement, long latestSliceEnd) {}

    public static Result measure(Target target, WindowData data, Duration windowLength) {
        Optional<SpanSli> sli = SpanSli.of(target.metric());
        if (sli.isPresent() && target.ratio() == null) {
            WindowData.Windowed<SpanAggregate> spans = data.spans();
            return new Result(SpanMeasurer.measure(sli.get(), target, spans.aggregate(), windowLength), spans.latestSliceEnd());
        }
        if (target.ratio() != null) {
            Optional<WindowData.Windowed<MetricAggregate>> total = data.metric(target.ratio().total());
            Optional<WindowData.Windowed<MetricAggregate>> good = data.metric(target.ratio().good());
            Measurement m = MetricMeasurer.ratio(good.map(WindowData.Windowed::aggregate).orElse(null),
                    total.map(WindowData.Windowed::aggregate).orElse(null));
            return new Result(m, total.map(WindowData.Windowed::latestSliceEnd).orElse(Long.MIN_VALUE));
        }
        Optional<WindowData.Windowed<MetricAggregate>> metric = data.metric(target.metricRef());
        if (metric.isEmpty()) {
            return new Result(new Measurement(Double.NaN, null, false, 0, List.of()), Long.MIN_VALUE);
        }
        return new Result(MetricMeasurer.measure(target, metric.get().aggregate(), windowLength),
                metric.get().latestSliceEnd());
    }
}

package io.homeostat.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.evaluate.Measurement;
import io.homeostat.evaluate.TargetMeasurer;
import io.homeostat.evaluate.WindowData;
import io.homeostat.model.Json;
import io.homeostat.model.MetricRef;
import io.homeostat.model.SpanSli;
import io.homeostat.model.Target;
import io.homeostat.model.Timestamps;
import io.homeostat.topology.SliceReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The series of a target's window: the target measured point by point, each point one slice (or, for a window of
 * more than {@value #MAX_POINTS} slices, a run of consecutive slices merged), by the very measurement its verdict
 * uses ({@link TargetMeasurer}). Read from the requirement's slice stores; one read per requirement and window
 * serves every target of it.
 */
final class WindowSeries {
    static final int MAX_POINTS = 60;

    private final SliceReader reader;
    private final long sliceMs;
    private final Map<String, SortedMap<Long, SpanAggregate>> spans = new HashMap<>();
    private final Map<String, SortedMap<Long, MetricAggregate>> metrics = new HashMap<>();

    WindowSeries(SliceReader reader, long sliceMs) {
        this.reader = reader;
        this.sliceMs = sliceMs;
    }

    /** The series of {@code [windowStart, windowEnd)}: {@code slice_ms}, {@code point_ms} and the points. */
    ObjectNode of(Target target, long windowStart, long windowEnd) {
        long slices = Math.max(1, (windowEnd - windowStart + sliceMs - 1) / sliceMs);
        long perPoint = (slices + MAX_POINTS - 1) / MAX_POINTS;
        long pointMs = perPoint * sliceMs;
        String requirement = target.requirement();
        boolean spanTarget = SpanSli.of(target.metric()).isPresent() && target.ratio() == null;
        List<MetricRef> refs = spanTarget ? List.of()
                : target.ratio() != null ? List.of(target.ratio().good(), target.ratio().total()) : List.of(target.metricRef());

        ObjectNode series = Json.MAPPER.createObjectNode();
        series.put("slice_ms", sliceMs);
        series.put("point_ms", pointMs);
        ArrayNode points = series.putArray("points");
        for (long from = windowStart; from < windowEnd; from += pointMs) {
            long to = Math.min(windowEnd, from + pointMs);
            WindowData data = spanTarget ? spanPoint(requirement, windowStart, windowEnd, from, to)
                    : metricPoint(requirement, refs, windowStart, windowEnd, from, to);
            Measurement m = TargetMeasurer.measure(target, data, Duration.ofMillis(to - from)).measurement();
            ObjectNode point = points.addObject();
            point.put("start", Timestamps.format(from));
            point.put("events", m.events());
            putNumber(point, "actual", m.actual());
            putNumber(point, "good_ratio", m.goodRatio() == null ? Double.NaN : m.goodRatio());
        }
        return series;
    }

    private WindowData spanPoint(String requirement, long windowStart, long windowEnd, long from, long to) {
        SortedMap<Long, SpanAggregate> bySlice = spans.computeIfAbsent(requirement + '\u0000' + windowStart + '\u0000' + windowEnd,
                k -> reader.spansBySlice(requirement, windowStart, windowEnd));
        SpanAggregate merged = new SpanAggregate();
        long latest = Long.MIN_VALUE;
        for (var slice : bySlice.subMap(from, to).entrySet()) {
            merged.merge(slice.getValue());
            if (slice.getValue().count() > 0) latest = slice.getKey() + sliceMs;
        }
        WindowData.Windowed<SpanAggregate> windowed = new WindowData.Windowed<>(merged, latest);
        return new WindowData() {
            @Override
            public Windowed<SpanAggregate> spans() {
                return windowed;
            }

            @Override
            public Optional<Windowed<MetricAggregate>> metric(MetricRef ref) {
                return Optional.empty();
            }
        };
    }

    private WindowData metricPoint(String requirement, List<MetricRef> refs, long windowStart, long windowEnd, long from,
                                   long to) {
        Map<MetricRef, WindowData.Windowed<MetricAggregate>> byRef = new HashMap<>();
        for (MetricRef ref : refs) {
            SortedMap<Long, MetricAggregate> bySlice = metrics.computeIfAbsent(
                    requirement + '\u0000' + ref + '\u0000' + windowStart + '\u0000' + windowEnd,
                    k -> reader.metricBySlice(requirement, ref, windowStart, windowEnd));
            MetricAggregate merged = null;
            long latest = Long.MIN_VALUE;
            for (var slice : bySlice.subMap(from, to).entrySet()) {
                merged = merged == null ? slice.getValue() : merged.merge(slice.getValue());
                latest = slice.getKey() + sliceMs;
            }
            if (merged != null) byRef.put(ref, new WindowData.Windowed<>(merged, latest));
        }
        return new WindowData() {
            @Override
            public Windowed<SpanAggregate> spans() {
                return new Windowed<>(new SpanAggregate(), Long.MIN_VALUE);
            }

            @Override
            public Optional<Windowed<MetricAggregate>> metric(MetricRef ref) {
                return Optional.ofNullable(byRef.get(ref));
            }
        };
    }

    /** JSON has no NaN: a value that cannot be measured (no events) is null. */
    static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) node.put(field, value);
        else node.putNull(field);
    }

}

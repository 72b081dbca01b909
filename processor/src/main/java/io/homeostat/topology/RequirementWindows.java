package io.homeostat.topology;

import com.google.protobuf.MessageLite;
import io.homeostat.aggregate.CumulativeSeries;
import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.MetricCodec;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.evaluate.SliceData;
import io.homeostat.evaluate.WindowData;
import io.homeostat.model.MetricRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The data side of a requirement task's state: span slices, metric slices (delta form, per series) and
 * the last point of every cumulative series, in three changelogged stores.
 */
final class RequirementWindows implements SliceData {
    static final String SPAN_SLICES_STORE = "requirement-slices";
    static final String METRIC_SLICES_STORE = "metric-slices";
    static final String SERIES_STORE = "metric-series";

    private final long sliceMs;
    private final KeyValueStore<Bytes, byte[]> spanSlices;
    private final KeyValueStore<Bytes, byte[]> metricSlices;
    private final KeyValueStore<Bytes, byte[]> series;
    private final UnreadableState unreadable;
    private final SliceReader reader;

    RequirementWindows(long sliceMs, KeyValueStore<Bytes, byte[]> spanSlices, KeyValueStore<Bytes, byte[]> metricSlices,
                       KeyValueStore<Bytes, byte[]> series, UnreadableState unreadable) {
        this.unreadable = unreadable;
        this.sliceMs = sliceMs;
        this.spanSlices = spanSlices;
        this.metricSlices = metricSlices;
        this.series = series;
        this.reader = new SliceReader(sliceMs, spanSlices, metricSlices, unreadable::report);
    }

    @Override
    public void addSpans(String requirement, long sliceStart, SpanAggregate spans) {
        Bytes key = SliceStoreKeys.key(requirement, sliceStart);
        byte[] existing = spanSlices.get(key);
        SpanAggregate merged = spans;
        if (existing != null) {
            try {
                merged = SpanAggregateCodec.decode(existing);
                merged.merge(spans);
            } catch (IllegalArgumentException e) {
                unreadable.report(SPAN_SLICES_STORE, key, e, "the slice starts over from this partial");
                merged = spans;
            }
        }
        spanSlices.put(key, SpanAggregateCodec.encode(merged));
    }

    @Override
    public void addMetric(String requirement, String metric, SortedMap<String, String> attributes, long sliceStart,
                   MetricAggregate delta) {
        Bytes key = SliceStoreKeys.metricKey(requirement, metric, sliceStart, MetricPartial.attributesId(attributes));
        byte[] existing = metricSlices.get(key);
        MetricAggregate merged = delta;
        if (existing != null) {
            MetricCodec.SeriesSlice stored;
            try {
                stored = MetricCodec.decodeSeriesSlice(existing);
            } catch (IllegalArgumentException e) {
                unreadable.report(METRIC_SLICES_STORE, key, e, "the slice starts over from this partial");
                stored = null;
            }
            if (stored != null) {
                if (stored.aggregate().kind() != delta.kind()) return; // a metric changing type mid-slice: keep the first
                merged = stored.aggregate().merge(delta);
            }
        }
        metricSlices.put(key, MetricCodec.encode(new MetricCodec.SeriesSlice(attributes, merged)));
    }

    /**
     * Turns a series' cumulative points into increases against its stored previous point, and stores the
     * newest point. Duplicates and out-of-order points are skipped (counted in the result).
     */
    @Override
    public CumulativeSeries.Advance increases(String requirement, MetricPartial partial, long nowMs) {
        Bytes key = SliceStoreKeys.seriesKey(requirement, partial.metric(), partial.seriesId());
        MetricPartial.Shape shape = partial.cumulative().shape();
        MessageLite previous = null;
        byte[] stored = series.get(key);
        if (stored != null) {
            try {
                MetricCodec.SeriesPoint point = MetricCodec.decodeSeriesPoint(stored);
                if (point.shape() == shape) previous = MetricCodec.parsePoint(shape, point.point());
            } catch (java.io.IOException | IllegalArgumentException e) {
                // Unreadable: the series starts over from this point (its next point is a new baseline).
                unreadable.report(SERIES_STORE, key, e, "the series starts over from this point");
                previous = null;
            }
        }
        CumulativeSeries.Advance advance = CumulativeSeries.advance(shape, previous, partial.cumulative().points(), sliceMs);
        if (advance.latest() != null) {
            series.put(key, MetricCodec.encode(new MetricCodec.SeriesPoint(shape, nowMs, advance.latest().toByteArray())));
        }
        return advance;
    }

    /** The requirement's data in {@code [from, to)}, merged lazily and once per metric reference. */
    @Override
    public WindowData window(String requirement, long from, long to) {
        return new WindowData() {
            private Windowed<SpanAggregate> spans;
            private final Map<MetricRef, Optional<Windowed<MetricAggregate>>> metrics = new HashMap<>();

            @Override
            public Windowed<SpanAggregate> spans() {
                if (spans == null) spans = reader.spans(requirement, from, to);
                return spans;
            }

            @Override
            public Optional<Windowed<MetricAggregate>> metric(MetricRef ref) {
                return metrics.computeIfAbsent(ref, r -> reader.metric(requirement, r, from, to));
            }
        };
    }

    /** Drops slices older than {@code cutoff} (event time) and series untouched since {@code seriesCutoffWall}. */
    @Override
    public void purge(long cutoff, long seriesCutoffWall) {
        deleteWhere(spanSlices, key -> SliceStoreKeys.sliceStart(key) < cutoff);
        deleteWhere(metricSlices, key -> SliceStoreKeys.metricSliceStart(key) < cutoff);
        if (seriesCutoffWall != Long.MIN_VALUE) {
            List<Bytes> stale = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> it = series.all()) {
                while (it.hasNext()) {
                    var entry = it.next();
                    long updatedAt;
                    try {
                        updatedAt = MetricCodec.decodeSeriesPoint(entry.value).updatedAtMs();
                    } catch (IllegalArgumentException e) {
                        unreadable.report(SERIES_STORE, entry.key, e, "the series is forgotten (its next point is a baseline)");
                        updatedAt = Long.MIN_VALUE;
                    }
                    if (updatedAt < seriesCutoffWall) stale.add(entry.key);
                }
            }
            stale.forEach(series::delete);
        }
    }

    private static void deleteWhere(KeyValueStore<Bytes, byte[]> store, java.util.function.Predicate<Bytes> expired) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (expired.test(key)) keys.add(key);
            }
        }
        keys.forEach(store::delete);
    }
}

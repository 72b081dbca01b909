package io.homeostat.topology;

import com.google.protobuf.MessageLite;
import io.homeostat.aggregate.CumulativeSeries;
import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.MetricCodec;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.evaluate.SeriesRef;
import io.homeostat.evaluate.SliceData;
import io.homeostat.evaluate.SliceRanges;
import io.homeostat.evaluate.WindowData;
import io.homeostat.model.MetricRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The data side of a requirement task's state: span slices, metric slices (delta form, per series) and
 * the last point of every cumulative series, in three changelogged stores. It keeps, in memory, which slices
 * each requirement (and each of its metrics) has ({@link SliceRanges}, rebuilt from the stores by
 * {@link #restore}), so that dropping old slices every slice reads and deletes only the slices that expire.
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
    /** The span slices each requirement has. */
    private final SliceRanges<String> spanRanges = new SliceRanges<>();
    /** The metric slices each (requirement, metric) has, and the metrics of each requirement. */
    private final SliceRanges<MetricPrefix> metricRanges = new SliceRanges<>();
    private final Map<String, Set<String>> metricsOf = new HashMap<>();

    /** A requirement's metric: the key prefix of its slices in the metric-slices store. */
    record MetricPrefix(String requirement, String metric) {}

    /** What the stores held at start-up: requirements with slices, series with when they last had data. */
    record Restored(Set<String> requirements, Map<SeriesRef, Long> series) {}
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
        if (existing == null) spanRanges.add(requirement, sliceStart);
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
        if (existing == null) {
            metricRanges.add(new MetricPrefix(requirement, metric), sliceStart);
            metricsOf.computeIfAbsent(requirement, r -> new HashSet<>()).add(metric);
        }
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

    /** Drops slices older than {@code cutoff} (event time), through the index of slice ranges. */
    @Override
    public void purge(long cutoff) {
        for (SliceRanges.Due<String> due : spanRanges.due(cutoff)) {
            String requirement = due.key();
            long next = deleteBefore(spanSlices, SliceStoreKeys.key(requirement, due.oldest()),
                    SliceStoreKeys.key(requirement, due.newest()), cutoff, SliceStoreKeys::sliceStart);
            if (next != Long.MIN_VALUE) spanRanges.restore(requirement, next, due.newest());
        }
        for (SliceRanges.Due<MetricPrefix> due : metricRanges.due(cutoff)) {
            MetricPrefix prefix = due.key();
            long next = deleteBefore(metricSlices, SliceStoreKeys.metricKey(prefix.requirement(), prefix.metric(), due.oldest(), 0L),
                    SliceStoreKeys.metricKey(prefix.requirement(), prefix.metric(), due.newest(), -1L), cutoff,
                    SliceStoreKeys::metricSliceStart);
            if (next != Long.MIN_VALUE) {
                metricRanges.restore(prefix, next, due.newest());
            } else {
                Set<String> metrics = metricsOf.get(prefix.requirement());
                if (metrics != null && metrics.remove(prefix.metric()) && metrics.isEmpty()) metricsOf.remove(prefix.requirement());
            }
        }
    }

    @Override
    public void forget(String requirement) {
        long[] spans = spanRanges.remove(requirement);
        if (spans != null) {
            deleteBefore(spanSlices, SliceStoreKeys.key(requirement, spans[0]), SliceStoreKeys.key(requirement, spans[1]),
                    Long.MAX_VALUE, SliceStoreKeys::sliceStart);
        }
        Set<String> metrics = metricsOf.remove(requirement);
        if (metrics == null) return;
        for (String metric : metrics) {
            long[] range = metricRanges.remove(new MetricPrefix(requirement, metric));
            if (range == null) continue;
            deleteBefore(metricSlices, SliceStoreKeys.metricKey(requirement, metric, range[0], 0L),
                    SliceStoreKeys.metricKey(requirement, metric, range[1], -1L), Long.MAX_VALUE,
                    SliceStoreKeys::metricSliceStart);
        }
    }

    @Override
    public void forgetSeries(SeriesRef ref) {
        if (ref.cumulative()) series.delete(SliceStoreKeys.seriesKey(ref.requirement(), ref.metric(), ref.id()));
        // A delta series has nothing beyond its slices, which expire with the retention.
    }

    /**
     * Deletes the keys in {@code [from, to]} whose slice starts before {@code cutoff}; returns the slice start of
     * the first key left in the range, or {@link Long#MIN_VALUE} when none is left.
     */
    private static long deleteBefore(KeyValueStore<Bytes, byte[]> store, Bytes from, Bytes to, long cutoff,
                                     ToLongFunction<Bytes> sliceStart) {
        List<Bytes> expired = new ArrayList<>();
        long next = Long.MIN_VALUE;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(from, to)) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                long start = sliceStart.applyAsLong(key);
                if (start >= cutoff) {
                    next = start;
                    break;
                }
                expired.add(key);
            }
        }
        expired.forEach(store::delete);
        return next;
    }

    /**
     * Reads which slices and series the stores hold (once, when the task starts): the index of slices, and
     * what the cardinality caps start from. Series are dated by their stored last update (cumulative) or now.
     */
    Restored restore(long now) {
        Set<String> requirements = new HashSet<>();
        try (KeyValueIterator<Bytes, byte[]> it = spanSlices.all()) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                byte[] bytes = key.get();
                if (bytes.length < 9) continue;
                String requirement = new String(bytes, 0, bytes.length - 9, StandardCharsets.UTF_8);
                spanRanges.add(requirement, SliceStoreKeys.sliceStart(key));
                requirements.add(requirement);
            }
        }
        Map<SeriesRef, Long> series = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = metricSlices.all()) {
            while (it.hasNext()) {
                byte[] bytes = it.next().key.get();
                MetricPrefix prefix = metricPrefix(bytes, 16);
                if (prefix == null) continue;
                long sliceStart = SliceStoreKeys.metricSliceStart(Bytes.wrap(bytes));
                metricRanges.add(prefix, sliceStart);
                metricsOf.computeIfAbsent(prefix.requirement(), r -> new HashSet<>()).add(prefix.metric());
                requirements.add(prefix.requirement());
                long attributesId = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
                series.put(new SeriesRef(prefix.requirement(), prefix.metric(), attributesId, false), now);
            }
        }
        try (KeyValueIterator<Bytes, byte[]> it = this.series.all()) {
            while (it.hasNext()) {
                var entry = it.next();
                byte[] bytes = entry.key.get();
                MetricPrefix prefix = metricPrefix(bytes, 8);
                if (prefix == null) continue;
                long updatedAt;
                try {
                    updatedAt = MetricCodec.decodeSeriesPoint(entry.value).updatedAtMs();
                } catch (IllegalArgumentException e) {
                    updatedAt = now; // reported when the series is next read; it expires as an idle one
                }
                long seriesId = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
                series.put(new SeriesRef(prefix.requirement(), prefix.metric(), seriesId, true), Math.min(updatedAt, now));
            }
        }
        return new Restored(requirements, series);
    }

    /**
     * The (requirement, metric) of a metric-slices or series key: {@code requirement 0x00 metric 0x00} and a tail.
     * A requirement holding a 0x00 byte is split at its first one, which still rebuilds the same key prefix.
     */
    private static MetricPrefix metricPrefix(byte[] key, int tail) {
        int end = key.length - tail - 1;
        if (end < 1 || key[end] != 0) return null;
        int split = -1;
        for (int i = 0; i < end; i++) {
            if (key[i] == 0) {
                split = i;
                break;
            }
        }
        if (split < 0) return null;
        return new MetricPrefix(new String(key, 0, split, StandardCharsets.UTF_8),
                new String(key, split + 1, end - split - 1, StandardCharsets.UTF_8));
    }

    /** Slices and metric prefixes indexed (tests). */
    int indexedPrefixes() {
        return spanRanges.size() + metricRanges.size();
    }
}

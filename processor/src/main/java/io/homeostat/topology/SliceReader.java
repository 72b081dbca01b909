package io.homeostat.topology;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.MetricCodec;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.evaluate.WindowData;
import io.homeostat.model.MetricRef;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads a requirement's slices from the span-slice and metric-slice stores, merged over a window or slice by
 * slice. Read-only: the evaluate task reads its windows through it ({@link RequirementWindows}), and the status
 * API reads the same stores through interactive queries for the per-slice series of a target's window.
 */
public final class SliceReader {
    /** What to do with a stored value that cannot be read (it is left out either way). */
    @FunctionalInterface
    public interface OnUnreadable {
        void report(String store, Object key, Exception error, String consequence);
    }

    private final ReadOnlyKeyValueStore<Bytes, byte[]> spanSlices;
    private final ReadOnlyKeyValueStore<Bytes, byte[]> metricSlices;
    private final long sliceMs;
    private final OnUnreadable unreadable;

    public SliceReader(long sliceMs, ReadOnlyKeyValueStore<Bytes, byte[]> spanSlices,
                       ReadOnlyKeyValueStore<Bytes, byte[]> metricSlices, OnUnreadable unreadable) {
        this.sliceMs = sliceMs;
        this.spanSlices = spanSlices;
        this.metricSlices = metricSlices;
        this.unreadable = unreadable;
    }

    /** The requirement's spans in {@code [from, to)}, merged. */
    public WindowData.Windowed<SpanAggregate> spans(String requirement, long from, long to) {
        SpanAggregate window = new SpanAggregate();
        long latest = Long.MIN_VALUE;
        for (var slice : spansBySlice(requirement, from, to).entrySet()) {
            if (slice.getValue().count() > 0) latest = Math.max(latest, slice.getKey() + sliceMs);
            window.merge(slice.getValue());
        }
        return new WindowData.Windowed<>(window, latest);
    }

    /** The requirement's span slices in {@code [from, to)}, by slice start (slices with no record are absent). */
    public SortedMap<Long, SpanAggregate> spansBySlice(String requirement, long from, long to) {
        SortedMap<Long, SpanAggregate> slices = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = spanSlices.range(SliceStoreKeys.key(requirement, from),
                SliceStoreKeys.key(requirement, to - 1))) {
            while (it.hasNext()) {
                var entry = it.next();
                try {
                    slices.put(SliceStoreKeys.sliceStart(entry.key), SpanAggregateCodec.decode(entry.value));
                } catch (IllegalArgumentException e) {
                    unreadable.report(RequirementWindows.SPAN_SLICES_STORE, entry.key, e, "the slice is left out of the window");
                }
            }
        }
        return slices;
    }

    /** The points of the metric's series that match {@code ref} in {@code [from, to)}, merged; empty when none. */
    public Optional<WindowData.Windowed<MetricAggregate>> metric(String requirement, MetricRef ref, long from, long to) {
        MetricAggregate window = null;
        long latest = Long.MIN_VALUE;
        for (var slice : metricBySlice(requirement, ref, from, to).entrySet()) {
            if (window != null && window.kind() != slice.getValue().kind()) continue;
            window = window == null ? slice.getValue() : window.merge(slice.getValue());
            latest = Math.max(latest, slice.getKey() + sliceMs);
        }
        return window == null ? Optional.empty() : Optional.of(new WindowData.Windowed<>(window, latest));
    }

    /**
     * The points of the metric's series that match {@code ref} in {@code [from, to)}, merged per slice, by slice
     * start. A series of another kind than the first one read (a metric that changed type) is left out.
     */
    public SortedMap<Long, MetricAggregate> metricBySlice(String requirement, MetricRef ref, long from, long to) {
        SortedMap<Long, MetricAggregate> slices = new TreeMap<>();
        MetricAggregate first = null;
        try (KeyValueIterator<Bytes, byte[]> it = metricSlices.range(
                SliceStoreKeys.metricKey(requirement, ref.metric(), from, 0L),
                SliceStoreKeys.metricKey(requirement, ref.metric(), to - 1, -1L))) {
            while (it.hasNext()) {
                var entry = it.next();
                MetricCodec.SeriesSlice slice;
                try {
                    slice = MetricCodec.decodeSeriesSlice(entry.value);
                } catch (IllegalArgumentException e) {
                    unreadable.report(RequirementWindows.METRIC_SLICES_STORE, entry.key, e, "the slice is left out of the window");
                    continue;
                }
                if (!ref.matches(slice.attributes())) continue;
                if (first != null && first.kind() != slice.aggregate().kind()) continue;
                if (first == null) first = slice.aggregate();
                slices.merge(SliceStoreKeys.metricSliceStart(entry.key), slice.aggregate(), MetricAggregate::merge);
            }
        }
        return slices;
    }
}

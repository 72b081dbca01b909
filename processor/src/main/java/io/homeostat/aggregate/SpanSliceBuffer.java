package io.homeostat.aggregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The open partial aggregates of one decode task: spans folded straight into one {@link SpanAggregate} per
 * (requirement, slice), across input records, until the task flushes them downstream. One request of a
 * few hundred spans touches a hundred requirements, a handful of spans each; folding many requests
 * before anything crosses the repartition makes the partials few and full, and reuses their sketches
 * instead of making a new one per request and requirement. Not thread-safe.
 */
public final class SpanSliceBuffer {
    /** A flushed partial: what a {@code SlicePartial} carries, and the newest input timestamp in it. */
    public record Partial(String requirement, long sliceStart, SpanAggregate spans, long timestampMs) {}

    /** One requirement's open slices; nearly always one or two. */
    private static final class Slices {
        long[] starts = new long[2];
        SpanAggregate[] aggregates = new SpanAggregate[2];
        long[] timestamps = new long[2];
        int size;

        SpanAggregate get(long sliceStart, long timestampMs) {
            for (int i = 0; i < size; i++) {
                if (starts[i] == sliceStart) {
                    if (timestampMs > timestamps[i]) timestamps[i] = timestampMs;
                    return aggregates[i];
                }
            }
            if (size == starts.length) {
                starts = java.util.Arrays.copyOf(starts, size * 2);
                aggregates = java.util.Arrays.copyOf(aggregates, size * 2);
                timestamps = java.util.Arrays.copyOf(timestamps, size * 2);
            }
            starts[size] = sliceStart;
            timestamps[size] = timestampMs;
            aggregates[size] = new SpanAggregate();
            return aggregates[size++];
        }
    }

    private final Map<String, Slices> byRequirement = new LinkedHashMap<>();
    private int open;
    private long spans;

    /** Folds one span of unknown adjusted count into the aggregate of its requirement and slice. */
    public void add(String requirement, long sliceStart, double durationMs, boolean error, long timestampMs,
                    SpanAggregate.TraceIdSource traceId) {
        add(requirement, sliceStart, durationMs, error, Double.NaN, timestampMs, traceId);
    }

    /** Folds one span into the aggregate of its requirement and slice; {@code adjustedCount} NaN when unknown. */
    public void add(String requirement, long sliceStart, double durationMs, boolean error, double adjustedCount,
                    long timestampMs, SpanAggregate.TraceIdSource traceId) {
        Slices slices = byRequirement.get(requirement);
        if (slices == null) {
            slices = new Slices();
            byRequirement.put(requirement, slices);
        }
        int before = slices.size;
        slices.get(sliceStart, timestampMs).record(durationMs, error, adjustedCount, traceId);
        open += slices.size - before;
        spans++;
    }

    /** (requirement, slice) aggregates open. */
    public int openAggregates() {
        return open;
    }

    /** Spans folded since the last drain. */
    public long spans() {
        return spans;
    }

    public boolean isEmpty() {
        return spans == 0;
    }

    /** Everything open, and empties the buffer. */
    public List<Partial> drain() {
        List<Partial> out = new ArrayList<>(open);
        for (Map.Entry<String, Slices> e : byRequirement.entrySet()) {
            Slices slices = e.getValue();
            for (int i = 0; i < slices.size; i++) {
                out.add(new Partial(e.getKey(), slices.starts[i], slices.aggregates[i], slices.timestamps[i]));
            }
        }
        byRequirement.clear();
        open = 0;
        spans = 0;
        return out;
    }
}

package io.homeostat.aggregate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the span SLIs need from a set of spans of one requirement: count, errors, a latency distribution
 * and a few sample trace ids (errors, and the slowest calls) for the alert. Mergeable, so an OTLP batch
 * folds into one of these per (requirement, time slice) before anything crosses a repartition, and a
 * window is the merge of its slices. Not thread-safe; one per processor task.
 */
public final class SpanAggregate {
    /** Sample trace ids kept per kind; enough for a human to open a few traces. */
    public static final int MAX_SAMPLES = 5;

    private long count;
    private long errors;
    private final Distribution durationsMs;
    private final List<String> errorTraceIds;
    private final List<SlowTrace> slowest;

    /** One slow call: its duration and trace id (hex). */
    public record SlowTrace(double durationMs, String traceId) {}

    public SpanAggregate() {
        this(0, 0, new Distribution(), new ArrayList<>(MAX_SAMPLES), new ArrayList<>(MAX_SAMPLES));
    }

    SpanAggregate(long count, long errors, Distribution durationsMs, List<String> errorTraceIds, List<SlowTrace> slowest) {
        this.count = count;
        this.errors = errors;
        this.durationsMs = durationsMs;
        this.errorTraceIds = errorTraceIds;
        this.slowest = slowest;
    }

    /**
     * Records one span. The trace id is asked for lazily because making its hex string is the only
     * allocation on this path, and most spans are neither errors nor among the slowest.
     */
    public void record(double durationMs, boolean error, TraceIdSource traceId) {
        count++;
        durationsMs.accept(Math.max(0.0, durationMs));
        if (error) {
            errors++;
            if (errorTraceIds.size() < MAX_SAMPLES) {
                String id = traceId.hex();
                if (id != null && !errorTraceIds.contains(id)) errorTraceIds.add(id);
            }
        }
        if (slowest.size() < MAX_SAMPLES || durationMs > slowest.get(slowest.size() - 1).durationMs()) {
            String id = traceId.hex();
            if (id != null) offerSlow(new SlowTrace(durationMs, id));
        }
    }

    /** Supplies a trace id as hex only when a sample needs it. */
    @FunctionalInterface
    public interface TraceIdSource {
        String hex();
    }

    private void offerSlow(SlowTrace candidate) {
        for (SlowTrace existing : slowest) {
            if (existing.traceId().equals(candidate.traceId())) return;
        }
        int at = 0;
        while (at < slowest.size() && slowest.get(at).durationMs() >= candidate.durationMs()) at++;
        if (at >= MAX_SAMPLES) return;
        slowest.add(at, candidate);
        if (slowest.size() > MAX_SAMPLES) slowest.remove(slowest.size() - 1);
    }

    public void merge(SpanAggregate other) {
        count += other.count;
        errors += other.errors;
        durationsMs.merge(other.durationsMs);
        for (String id : other.errorTraceIds) {
            if (errorTraceIds.size() >= MAX_SAMPLES) break;
            if (!errorTraceIds.contains(id)) errorTraceIds.add(id);
        }
        for (SlowTrace slow : other.slowest) offerSlow(slow);
    }

    public SpanAggregate copy() {
        return new SpanAggregate(count, errors, durationsMs.copy(), new ArrayList<>(errorTraceIds), new ArrayList<>(slowest));
    }

    public long count() {
        return count;
    }

    public long errors() {
        return errors;
    }

    public Distribution durationsMs() {
        return durationsMs;
    }

    public List<String> errorTraceIds() {
        return Collections.unmodifiableList(errorTraceIds);
    }

    /** Slowest first. */
    public List<SlowTrace> slowest() {
        return Collections.unmodifiableList(slowest);
    }
}

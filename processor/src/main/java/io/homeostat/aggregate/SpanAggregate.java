package io.homeostat.aggregate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the span SLIs need from a set of spans of one requirement: count, errors, a latency distribution
 * and a few sample trace ids (errors, and the slowest calls) for the alert. Mergeable, so an OTLP batch
 * folds into one of these per (requirement, time slice) before anything crosses a repartition, and a
 * window is the merge of its slices. Not thread-safe; one per processor task.
 *
 * <p>Sampled spans: a span whose trace state gives its adjusted count ({@code ot=th}) is counted by it, in its
 * own weighted sums and sketch; the others (the unsampled, and those sampled without saying so) are kept
 * counted once, with their errors' durations apart, so that a target's sampling setting can weigh them when the
 * window is judged ({@link #weighted}). {@link #count()} and {@link #errors()} are always the spans seen.
 */
public final class SpanAggregate {
    /** Sample trace ids kept per kind; enough for a human to open a few traces. */
    public static final int MAX_SAMPLES = 5;

    private long count;
    private long errors;
    /** Durations of the spans without an adjusted count of their own, each once (errors included). */
    private final Distribution durationsMs;
    private final List<String> errorTraceIds;
    private final List<SlowTrace> slowest;
    /** Spans (and errors among them) whose trace state gave their adjusted count, and the sums of those counts. */
    private long sampledSpans;
    private long sampledErrors;
    private double sampledAdjusted;
    private double sampledAdjustedErrors;
    /** Their durations, each weighted by its adjusted count; {@code null} until one is recorded. */
    private Distribution sampledDurationsMs;
    /** Durations of the errors among the spans without an adjusted count (a part of {@link #durationsMs}); lazily. */
    private Distribution unsampledErrorDurationsMs;

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

    /** The sampled part, as {@link SpanAggregateCodec} reads it. */
    SpanAggregate withSampled(long spans, long errorSpans, double adjusted, double adjustedErrors, Distribution durations,
                              Distribution unsampledErrorDurations) {
        sampledSpans = spans;
        sampledErrors = errorSpans;
        sampledAdjusted = adjusted;
        sampledAdjustedErrors = adjustedErrors;
        sampledDurationsMs = durations;
        unsampledErrorDurationsMs = unsampledErrorDurations;
        return this;
    }

    /** Records one span of unknown adjusted count (as {@link #record(double, boolean, double, TraceIdSource)} with NaN). */
    public void record(double durationMs, boolean error, TraceIdSource traceId) {
        record(durationMs, error, Double.NaN, traceId);
    }

    /**
     * Records one span. The trace id is asked for lazily because making its hex string is the only
     * allocation on this path, and most spans are neither errors nor among the slowest.
     *
     * @param adjustedCount how many spans it stands for (from its trace state), or {@link Double#NaN} when unknown
     */
    public void record(double durationMs, boolean error, double adjustedCount, TraceIdSource traceId) {
        count++;
        double duration = Math.max(0.0, durationMs);
        if (adjustedCount != adjustedCount) { // NaN: unknown, the common case
            durationsMs.accept(duration);
            if (error) {
                if (unsampledErrorDurationsMs == null) unsampledErrorDurationsMs = new Distribution();
                unsampledErrorDurationsMs.accept(duration);
            }
        } else {
            sampledSpans++;
            sampledAdjusted += adjustedCount;
            if (error) {
                sampledErrors++;
                sampledAdjustedErrors += adjustedCount;
            }
            if (sampledDurationsMs == null) sampledDurationsMs = new Distribution();
            sampledDurationsMs.accept(duration, adjustedCount);
        }
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
        sampledSpans += other.sampledSpans;
        sampledErrors += other.sampledErrors;
        sampledAdjusted += other.sampledAdjusted;
        sampledAdjustedErrors += other.sampledAdjustedErrors;
        if (other.sampledDurationsMs != null) {
            if (sampledDurationsMs == null) sampledDurationsMs = new Distribution();
            sampledDurationsMs.merge(other.sampledDurationsMs);
        }
        if (other.unsampledErrorDurationsMs != null) {
            if (unsampledErrorDurationsMs == null) unsampledErrorDurationsMs = new Distribution();
            unsampledErrorDurationsMs.merge(other.unsampledErrorDurationsMs);
        }
        for (String id : other.errorTraceIds) {
            if (errorTraceIds.size() >= MAX_SAMPLES) break;
            if (!errorTraceIds.contains(id)) errorTraceIds.add(id);
        }
        for (SlowTrace slow : other.slowest) offerSlow(slow);
    }

    public SpanAggregate copy() {
        return new SpanAggregate(count, errors, durationsMs.copy(), new ArrayList<>(errorTraceIds), new ArrayList<>(slowest))
                .withSampled(sampledSpans, sampledErrors, sampledAdjusted, sampledAdjustedErrors,
                        sampledDurationsMs == null ? null : sampledDurationsMs.copy(),
                        unsampledErrorDurationsMs == null ? null : unsampledErrorDurationsMs.copy());
    }

    /**
     * The spans as the events they stand for: each span with an adjusted count of its own by it; the others by
     * {@code 1 / sampleRate} of the target's sampling setting, their errors by 1 when errors are always sampled; with
     * no setting ({@code null}), by 1.
     */
    public Weighted weighted(io.homeostat.model.Sampling sampling) {
        double okWeight = okWeight(sampling);
        double errorWeight = errorWeight(sampling);
        long unsampledErrors = errors - sampledErrors;
        long unsampledOk = count - sampledSpans - unsampledErrors;
        double events = sampledAdjusted + unsampledOk * okWeight + unsampledErrors * errorWeight;
        double errorEvents = sampledAdjustedErrors + unsampledErrors * errorWeight;
        return new Weighted(count, events, errorEvents);
    }

    /**
     * The durations, each weighted as {@link #weighted} counts its span. Read only: with nothing to weigh it is this
     * aggregate's own distribution.
     */
    public Distribution weightedDurationsMs(io.homeostat.model.Sampling sampling) {
        double okWeight = okWeight(sampling);
        double errorWeight = errorWeight(sampling);
        if (okWeight == 1.0 && errorWeight == 1.0 && sampledDurationsMs == null) return durationsMs;
        return Distribution.weighted(durationsMs, okWeight, unsampledErrorDurationsMs, errorWeight, sampledDurationsMs);
    }

    private static double okWeight(io.homeostat.model.Sampling sampling) {
        return sampling == null ? 1.0 : 1.0 / sampling.sampleRate();
    }

    private static double errorWeight(io.homeostat.model.Sampling sampling) {
        return sampling == null || sampling.alwaysSampleErrors() ? 1.0 : okWeight(sampling);
    }

    /**
     * A window's spans as events.
     *
     * @param spansSeen   spans received
     * @param events      the events they stand for (adjusted counts)
     * @param errorEvents of those, errors
     */
    public record Weighted(long spansSeen, double events, double errorEvents) {}

    /** Spans whose trace state gave their adjusted count. */
    public long sampledSpans() {
        return sampledSpans;
    }

    public long sampledErrors() {
        return sampledErrors;
    }

    public double sampledAdjusted() {
        return sampledAdjusted;
    }

    public double sampledAdjustedErrors() {
        return sampledAdjustedErrors;
    }

    /** Durations of the spans with an adjusted count, weighted by it; {@code null} when there were none. */
    public Distribution sampledDurationsMs() {
        return sampledDurationsMs;
    }

    /** Durations of the errors among the spans without an adjusted count; {@code null} when there were none. */
    public Distribution unsampledErrorDurationsMs() {
        return unsampledErrorDurationsMs;
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

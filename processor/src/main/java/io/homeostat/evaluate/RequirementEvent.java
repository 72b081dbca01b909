package io.homeostat.evaluate;

import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.Target;

/**
 * The records that cross the one repartition topic, keyed by requirement: the data (pre-aggregated
 * slices) and the targets of a requirement travel together, so one task owns a requirement's slices,
 * targets and alert state, and evaluates each target exactly once. Each event hands itself to the
 * {@link Handler} method for its kind.
 */
public sealed interface RequirementEvent {

    /** What a requirement task does with each kind of event ({@link RequirementEvaluation}). */
    interface Handler {
        void spans(String requirement, SlicePartial partial, long now);

        void metric(String requirement, MetricSlice metric, long now);

        void unattributed(Unattributed counts, long now);

        void targetUpsert(TargetUpsert upsert, long now);

        void targetDelete(TargetDelete delete, long now);

        void watermark(SourceWatermark watermark, long now);
    }

    /** @param key the record's key: the requirement (or {@code unattributed/<service>}) */
    void applyTo(String key, Handler handler, long now);

    /** Whether the event goes to every requirement task rather than to the one that owns its key. */
    default boolean broadcast() {
        return false;
    }

    /** Spans of the requirement in slice {@code [sliceStart, sliceStart + slice)}, folded. */
    record SlicePartial(long sliceStart, SpanAggregate spans) implements RequirementEvent {
        @Override
        public void applyTo(String key, Handler handler, long now) {
            handler.spans(key, this, now);
        }
    }

    /** One metric series of the requirement: a delta slice, or cumulative points to turn into increases. */
    record MetricSlice(MetricPartial partial) implements RequirementEvent {
        @Override
        public void applyTo(String key, Handler handler, long now) {
            handler.metric(key, this, now);
        }
    }

    /** Telemetry of a service without a requirement, from one input record; keyed {@code unattributed/<service>}. */
    record Unattributed(String service, long spans, long dataPoints, long logRecords, long seenAtMs)
            implements RequirementEvent {
        @Override
        public void applyTo(String key, Handler handler, long now) {
            handler.unattributed(this, now);
        }
    }

    /** A target was created or changed. */
    record TargetUpsert(String targetId, Target target) implements RequirementEvent {
        @Override
        public void applyTo(String key, Handler handler, long now) {
            handler.targetUpsert(this, now);
        }
    }

    /** A target was deleted (tombstone) or moved to another requirement. */
    record TargetDelete(String targetId) implements RequirementEvent {
        @Override
        public void applyTo(String key, Handler handler, long now) {
            handler.targetDelete(this, now);
        }
    }

    /**
     * How far one input partition (a source: {@code topic}-{@code partition}) has been read, sent by its decode
     * task to every requirement task: a slice closes only once every source that may still hold data for it has
     * read past it ({@link SourceWatermarks}).
     *
     * @param partitions how many partitions the source's topic has, as the decode task knows it (0: unknown), so
     *                   that a requirement task waits for sources it has not heard from yet
     * @param watermark  the start of the newest slice of the data the source has read (event time), or
     *                   {@link Long#MIN_VALUE} before its first data
     * @param reading    whether the source is read up to its end ({@link Reading#LIVE}), has a backlog, or cannot
     *                   be read
     * @param at         the decode task's wall time when it said so
     */
    record SourceWatermark(String topic, int partition, int partitions, long watermark, Reading reading, long at)
            implements RequirementEvent {
        /** How the source is read. */
        public enum Reading {
            /** Read up to its end: what it reads next is new (its delay is what grace is for). */
            LIVE,
            /** It has a backlog (on the broker, or old data being processed): its data may be older than others'. */
            BEHIND,
            /** It cannot be fetched (broker or partition unavailable): its data is unknown. */
            UNREADABLE
        }

        /** The source's name, {@code topic-partition}. */
        public String source() {
            return topic + "-" + partition;
        }

        @Override
        public boolean broadcast() {
            return true;
        }

        @Override
        public void applyTo(String key, Handler handler, long now) {
            handler.watermark(this, now);
        }
    }
}

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
    }

    /** @param key the record's key: the requirement (or {@code unattributed/<service>}) */
    void applyTo(String key, Handler handler, long now);

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
}

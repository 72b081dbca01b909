package io.homeostat.evaluate;

import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.Target;

/**
 * The records that cross the one repartition topic, keyed by requirement: the data (pre-aggregated
 * slices) and the targets of a requirement travel together, so one task owns a requirement's slices,
 * targets and alert state, and evaluates each target exactly once.
 */
public sealed interface RequirementEvent {

    /** Spans of the requirement in slice {@code [sliceStart, sliceStart + slice)}, folded. */
    record SlicePartial(long sliceStart, SpanAggregate spans) implements RequirementEvent {}

    /** One metric series of the requirement: a delta slice, or cumulative points to turn into increases. */
    record MetricSlice(MetricPartial partial) implements RequirementEvent {}

    /** Telemetry of a service without a requirement, from one input record; keyed {@code unattributed/<service>}. */
    record Unattributed(String service, long spans, long dataPoints, long logRecords, long seenAtMs)
            implements RequirementEvent {}

    /** A target was created or changed. */
    record TargetUpsert(String targetId, Target target) implements RequirementEvent {}

    /** A target was deleted (tombstone) or moved to another requirement. */
    record TargetDelete(String targetId) implements RequirementEvent {}
}

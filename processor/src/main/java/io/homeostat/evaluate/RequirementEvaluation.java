package io.homeostat.evaluate;

import io.homeostat.aggregate.CumulativeSeries;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.model.Alert;
import io.homeostat.model.Durations;
import io.homeostat.model.OverflowStatus;
import io.homeostat.model.Target;
import io.homeostat.model.TargetStatus;
import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.slo.BurnRates;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one requirement task, in plain Java: merges the requirement's slices ({@link SliceData}),
 * keeps its targets ({@link TargetRegistry}), alert episodes ({@link Episodes}), no-data state
 * ({@link TargetActivity}) and the counts of untagged telemetry ({@link UnattributedCounts}), and at every
 * {@link #judge} takes each target's verdict over its window ({@link EventClock} says which slices are
 * closed), publishing alert changes and status ({@link StatusDedup}) to its {@link Output}. Kafka Streams
 * runs it from {@code topology.EvaluateProcessor}; the tests run it on maps.
 */
public final class RequirementEvaluation implements RequirementEvent.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(RequirementEvaluation.class);

    /** Where alert changes and status go. */
    public interface Output {
        void alert(Alert alert, long now);

        /**
         * A {@link TargetStatus}, an {@link UnattributedStatus}, an {@link OverflowStatus}, or {@code null} (a tombstone)
         * for a deleted target or a service forgotten after the idle expiry.
         */
        void status(String key, Object status, long now);

        /**
         * Every verdict's status, published or not ({@code null}: the target was deleted): the live view that the
         * status API and {@code /metrics} read.
         */
        default void current(String targetId, TargetStatus status) {}
    }

    /** What the task counts (Kafka Streams metrics in production). */
    public interface Counters {
        void lateEvents(long events);

        void spansWindowed(long spans);

        void cumulativePointsIgnored(long points);

        /** Spans, data points or log records refused because a cardinality cap was full. */
        default void refused(CardinalityGuard.Kind kind, long items) {}

        /** Values forgotten after the idle expiry. */
        default void expired(CardinalityGuard.Kind kind, long values) {}

        /** Values kept now, after each evaluation. */
        default void tracked(CardinalityGuard.Kind kind, long values) {}
    }

    /** The task's state, each part written through to its store; {@code cardinality} says what it keeps. */
    public record State(SliceData slices, TargetRegistry targets, Episodes episodes, TargetActivity activity,
                        UnattributedCounts unattributed, CardinalityGuard cardinality, EventClock clock,
                        SloTracker slos) {
        /** Without a store for SLO histories: they are kept in maps. */
        public State(SliceData slices, TargetRegistry targets, Episodes episodes, TargetActivity activity,
                     UnattributedCounts unattributed, CardinalityGuard cardinality, EventClock clock) {
            this(slices, targets, episodes, activity, unattributed, cardinality, clock, null);
        }

        /** With no caps, and SLO histories in maps (tests). */
        public State(SliceData slices, TargetRegistry targets, Episodes episodes, TargetActivity activity,
                     UnattributedCounts unattributed, EventClock clock) {
            this(slices, targets, episodes, activity, unattributed,
                    new CardinalityGuard("test", CardinalityLimits.unbounded(), 0), clock, null);
        }
    }

    /**
     * At most this many windows are judged per evaluation: after an outage the clock may jump by many slices,
     * and every window in between is judged, in order (an episode inside the jump still fires and resolves), a
     * few minutes' worth per slice of wall time.
     */
    static final int MAX_WINDOWS_PER_EVALUATION = 120;

    private final long sliceMs;
    private final boolean requireReqTags;
    private final State state;
    private final EventClock clock;
    private final StatusDedup statuses;
    private final Output output;
    private final Counters counters;

    public RequirementEvaluation(long sliceMs, long statusIntervalMs, boolean requireReqTags, State state,
                                 Output output, Counters counters) {
        this.sliceMs = sliceMs;
        this.requireReqTags = requireReqTags;
        this.state = state.slos() != null ? state : new State(state.slices(), state.targets(), state.episodes(),
                state.activity(), state.unattributed(), state.cardinality(), state.clock(), SloTracker.inMemory(sliceMs));
        this.clock = state.clock();
        this.statuses = new StatusDedup(statusIntervalMs);
        this.output = output;
        this.counters = counters;
    }

    @Override
    public void spans(String requirement, RequirementEvent.SlicePartial partial, long now) {
        if (!admit(requirement, partial.spans().count(), now)) return;
        if (accept(requirement, partial.sliceStart(), partial.spans().count(), now)) {
            state.slices().addSpans(requirement, partial.sliceStart(), partial.spans());
            counters.spansWindowed(partial.spans().count());
        }
    }

    @Override
    public void metric(String requirement, RequirementEvent.MetricSlice metric, long now) {
        MetricPartial partial = metric.partial();
        long items = partial.delta() != null ? partial.delta().events() : partial.cumulative().points().size();
        if (!admit(requirement, items, now) || !admitSeries(requirement, partial, items, now)) return;
        if (partial.delta() != null) {
            if (accept(requirement, partial.sliceStart(), partial.delta().events(), now)) {
                state.slices().addMetric(requirement, partial.metric(), partial.attributes(), partial.sliceStart(),
                        partial.delta());
            }
            return;
        }
        CumulativeSeries.Advance advance = state.slices().increases(requirement, partial, now);
        for (CumulativeSeries.Increase increase : advance.increases()) {
            if (accept(requirement, increase.sliceStart(), increase.delta().events(), now)) {
                state.slices().addMetric(requirement, partial.metric(), partial.attributes(), increase.sliceStart(),
                        increase.delta());
            }
        }
        if (advance.ignored() > 0) counters.cumulativePointsIgnored(advance.ignored());
        clock.sawInput(now);
    }

    /** A requirement's data is kept if it has a target, or is known, or the cap has room; else it is counted. */
    private boolean admit(String requirement, long items, long now) {
        if (state.cardinality().admitRequirement(requirement, state.targets().hasRequirement(requirement), items, now)) {
            return true;
        }
        counters.refused(CardinalityGuard.Kind.REQUIREMENT, items);
        return false;
    }

    private boolean admitSeries(String requirement, MetricPartial partial, long items, long now) {
        boolean cumulative = partial.delta() == null;
        SeriesRef ref = new SeriesRef(requirement, partial.metric(),
                cumulative ? partial.seriesId() : MetricPartial.attributesId(partial.attributes()), cumulative);
        boolean targeted = state.targets().hasRequirement(requirement);
        if (state.cardinality().admitSeries(ref, targeted, items, now)) return true;
        counters.refused(targeted ? CardinalityGuard.Kind.TARGET_SERIES : CardinalityGuard.Kind.SERIES, items);
        return false;
    }

    /** Data for a slice: advances the clock, or is late (counted) when its slice was judged already. */
    private boolean accept(String requirement, long sliceStart, long events, long now) {
        if (clock.accept(requirement, sliceStart, events, now)) return true;
        counters.lateEvents(events);
        return false;
    }

    @Override
    public void unattributed(RequirementEvent.Unattributed counts, long now) {
        long items = counts.spans() + counts.dataPoints() + counts.logRecords();
        if (!state.cardinality().admitService(counts.service(), items, now)) {
            counters.refused(CardinalityGuard.Kind.SERVICE, items);
            return;
        }
        boolean first = state.unattributed().add(counts.service(), counts.spans(), counts.dataPoints(),
                counts.logRecords(), counts.seenAtMs());
        if (first && requireReqTags) {
            // Implements: REQ-RUNTIME-001 (require_req_tags: untagged telemetry is reported, not ignored)
            LOG.warn("Service {} sends telemetry without a requirement attribute (require_req_tags): it cannot be judged "
                    + "against any target; counted on the status topic as {}", counts.service(),
                    UnattributedStatus.key(counts.service()));
        }
    }

    @Override
    public void targetUpsert(RequirementEvent.TargetUpsert upsert, long now) {
        Target target = upsert.target();
        Target previous = state.targets().put(upsert.targetId(), target);
        state.cardinality().targeted(target.requirement());
        state.activity().applied(upsert.targetId(), now);
        if (previous != null && previous.isSlo() && (!target.isSlo() || SloTracker.countsOtherEvents(previous, target))) {
            // Its counts are of other events (or of none now): the error budget starts over.
            state.slos().forget(upsert.targetId());
        }
        LOG.info("Target {} {}: {} {} {} {}window {}", upsert.targetId(), previous == null ? "loaded" : "updated",
                target.ratio() == null ? target.metric() : target.metric() + " (ratio)", target.operator().code(),
                target.target(), target.alertThreshold() == null ? "" : "alert_threshold " + target.alertThreshold() + " ",
                Durations.format(target.window()));
    }

    @Override
    public void targetDelete(RequirementEvent.TargetDelete delete, long now) {
        String targetId = delete.targetId();
        Target removed = state.targets().remove(targetId);
        String noData = Episodes.noDataKey(targetId);
        AlertLifecycle.Transition deviation = AlertLifecycle.deleted(state.episodes().get(targetId), now);
        AlertLifecycle.Transition silence = AlertLifecycle.deleted(state.episodes().get(noData), now);
        if (removed != null) {
            deviation = resolveIfLost(targetId, deviation, removed, Alert.KIND_DEVIATION, null, now, now, now,
                    Alert.RESOLVED_TARGET_DELETED);
            silence = resolveIfLost(noData, silence, removed, Alert.KIND_NO_DATA, null, now, now, now,
                    Alert.RESOLVED_TARGET_DELETED);
        }
        apply(targetId, deviation, now);
        apply(noData, silence, now);
        for (String tier : BurnRateAlerts.TIERS) {
            String key = Episodes.burnRateKey(targetId, tier);
            AlertLifecycle.Transition burn = BurnRateAlerts.ended(state.episodes().get(key), tier, now,
                    Alert.RESOLVED_TARGET_DELETED);
            if (removed != null && state.episodes().lost(key) && burn.alerts().isEmpty()) {
                burn = new AlertLifecycle.Transition(null, List.of(BurnRateAlerts.resolvedLost(targetId, removed, tier, null,
                        now, Alert.RESOLVED_TARGET_DELETED)));
            }
            apply(key, burn, now);
        }
        if (removed != null && removed.isSlo()) state.slos().forget(targetId);
        state.activity().remove(targetId);
        statuses.forget(targetId);
        output.current(targetId, null);
        if (removed != null) {
            output.status(targetId, null, now);
            LOG.info("Target {} removed", targetId);
        }
    }

    @Override
    public void watermark(RequirementEvent.SourceWatermark watermark, long now) {
        clock.sources().heard(watermark, now);
    }

    // Implements: REQ-RUNTIME-002 (deviation detection, every slice, by wall clock)
    /**
     * Judges every target over each window that closed since the last verdict, in order (the newest closed one
     * again when none closed: new targets, the status interval), and publishes what changed.
     */
    public void judge(long now) {
        long due = clock.due(now);
        if (due != Long.MIN_VALUE) {
            long judged = clock.closedUpTo();
            long first = judged == Long.MIN_VALUE || due <= judged ? due : judged + sliceMs;
            long last = Math.min(due, first + (MAX_WINDOWS_PER_EVALUATION - 1) * sliceMs);
            SourceWatermarks.Condition input = clock.sources().condition(now);
            for (long windowEnd = first; windowEnd <= last; windowEnd += sliceMs) {
                Map<String, WindowData> cache = new HashMap<>();
                for (Map.Entry<String, Target> entry : state.targets().all().entrySet()) {
                    judge(entry.getKey(), entry.getValue(), windowEnd, now, cache, input, windowEnd == last);
                }
                clock.judged(windowEnd);
            }
            state.slices().purge(last - retentionMs());
        }
        for (UnattributedStatus counts : state.unattributed().drainChanged()) {
            output.status(UnattributedStatus.key(counts.service()), counts, now);
        }
        expireIdle(now);
    }

    /** Forgets the requirements, series and services that had no data for the idle expiry: their places free up. */
    private void expireIdle(long now) {
        CardinalityGuard cardinality = state.cardinality();
        CardinalityGuard.Expired expired = cardinality.expire(now);
        for (String requirement : expired.requirements()) {
            state.slices().forget(requirement);
            clock.forget(requirement);
        }
        for (SeriesRef series : expired.series()) state.slices().forgetSeries(series);
        for (String service : expired.services()) {
            state.unattributed().remove(service);
            output.status(UnattributedStatus.key(service), null, now);
        }
        if (!expired.requirements().isEmpty()) counters.expired(CardinalityGuard.Kind.REQUIREMENT, expired.requirements().size());
        if (!expired.series().isEmpty()) counters.expired(CardinalityGuard.Kind.SERIES, expired.series().size());
        if (!expired.services().isEmpty()) counters.expired(CardinalityGuard.Kind.SERVICE, expired.services().size());
        for (CardinalityGuard.Kind kind : CardinalityGuard.Kind.values()) counters.tracked(kind, cardinality.tracked(kind));
        OverflowStatus overflow = cardinality.overflowToPublish(now);
        if (overflow != null) output.status(OverflowStatus.key(overflow.task()), overflow, now);
    }

    /**
     * @param newest the newest window of this evaluation, whose status is the live view (after an outage, windows
     *               are judged in order, and only the last one's status is kept for the API and /metrics)
     */
    private void judge(String targetId, Target target, long windowEnd, long now, Map<String, WindowData> cache,
                       SourceWatermarks.Condition input, boolean newest) {
        long windowMs = windowMs(target.window());
        long windowStart = windowEnd - windowMs;
        WindowData data = cache.computeIfAbsent(target.requirement() + "\u0000" + windowStart,
                k -> state.slices().window(target.requirement(), windowStart, windowEnd));
        TargetMeasurer.Result measured = TargetMeasurer.measure(target, data, Duration.ofMillis(windowMs));
        Verdict verdict = Evaluator.judge(target, measured.measurement(), windowStart, windowEnd);
        // An SLO alerted on by burn rate raises no deviation alerts: its tiers do (below).
        AlertLifecycle.Transition deviation = target.burnRateAlerting()
                ? AlertLifecycle.ended(state.episodes().get(targetId), now, Alert.RESOLVED_TARGET_CHANGED)
                : AlertLifecycle.next(targetId, target, verdict, state.episodes().get(targetId), now);
        String metReason = switch (verdict.state()) {
            case OK -> Alert.RESOLVED_TARGET_MET;
            case NO_EVENTS -> Alert.RESOLVED_NO_EVENTS;
            default -> null; // still failing, or not enough data to say: unknown a while longer
        };
        if (metReason != null) {
            deviation = resolveIfLost(targetId, deviation, target, Alert.KIND_DEVIATION, verdict, windowStart, windowEnd,
                    now, metReason);
        }
        apply(targetId, deviation, now);

        long silentSince = state.activity().silentSince(targetId, measured.latestSliceEnd(), now);
        String noDataKey = Episodes.noDataKey(targetId);
        AlertLifecycle.Transition silence = AlertLifecycle.nextNoData(targetId, target, silentSince, windowEnd,
                windowStart, verdict.events(), state.episodes().get(noDataKey), now);
        silence = resolveIfLost(noDataKey, silence, target, Alert.KIND_NO_DATA, null, silentSince, windowEnd, now,
                target.notifyNoData() ? Alert.RESOLVED_DATA_RETURNED : Alert.RESOLVED_NO_DATA_OFF);
        apply(noDataKey, silence, now);

        BurnRates.Judgement slo = null;
        if (target.isSlo()) {
            String requirement = target.requirement();
            slo = state.slos().judge(targetId, target, windowEnd, windowEnd - retentionMs(),
                    start -> cache.computeIfAbsent("slice\u0000" + requirement + "\u0000" + start,
                            k -> state.slices().window(requirement, start, start + sliceMs)));
        }
        for (String tier : BurnRateAlerts.TIERS) {
            String key = Episodes.burnRateKey(targetId, tier);
            Episode episode = state.episodes().get(key);
            if (slo == null && episode == null && !state.episodes().lost(key)) continue;
            AlertLifecycle.Transition burn = BurnRateAlerts.next(targetId, target, tier, slo, verdict, episode, now);
            if (state.episodes().lost(key) && burn.alerts().isEmpty() && burn.episode() == null) {
                burn = new AlertLifecycle.Transition(null, List.of(BurnRateAlerts.resolvedLost(targetId, target, tier, slo,
                        now, target.burnRateAlerting() ? Alert.RESOLVED_BURN_RATE_OK : Alert.RESOLVED_TARGET_CHANGED)));
            }
            apply(key, burn, now);
        }

        TargetStatus status = status(targetId, target, verdict, slo, now, input);
        if (newest) output.current(targetId, status);
        if (statuses.publish(targetId, status, now)) output.status(targetId, status, now);
    }

    private TargetStatus status(String targetId, Target target, Verdict verdict, BurnRates.Judgement slo, long now,
                                SourceWatermarks.Condition input) {
        Episode deviation = state.episodes().get(targetId);
        Episode noData = state.episodes().get(Episodes.noDataKey(targetId));
        // A firing burn-rate tier is the target's open alert (the page before the ticket).
        Map<String, Alert> burning = new java.util.LinkedHashMap<>();
        for (String tier : BurnRateAlerts.TIERS) {
            Episode episode = state.episodes().get(Episodes.burnRateKey(targetId, tier));
            if (episode != null && episode.phase() == Episode.Phase.FIRING) burning.put(tier, episode.lastAlert());
        }
        if (!burning.isEmpty() && (deviation == null || deviation.phase() != Episode.Phase.FIRING)) {
            Alert first = burning.values().iterator().next();
            deviation = new Episode(first.fingerprint(), Episode.Phase.FIRING, Timestamps.parse(first.startsAt()), first);
        }
        boolean firing = deviation != null && deviation.phase() == Episode.Phase.FIRING;
        boolean silent = noData != null && noData.phase() == Episode.Phase.FIRING;
        String phase = firing ? TargetStatus.FIRING : switch (verdict.state()) {
            case OK -> TargetStatus.OK;
            case DEVIATING, VIOLATED -> TargetStatus.DEVIATING;
            case INSUFFICIENT_DATA -> TargetStatus.INSUFFICIENT_DATA;
            case NO_EVENTS -> TargetStatus.NO_DATA;
        };
        if (silent && !firing) phase = TargetStatus.NO_DATA;
        Episode open = firing ? deviation : silent ? noData : null;
        return new TargetStatus(TargetStatus.KIND, targetId, target.requirement(), target.metric(),
                target.operator().code(), target.target(), target.alertThreshold(), phase, verdict.actual(),
                verdict.goodRatio(), verdict.deviationPercent(), firing ? deviation.lastAlert().severity() : verdict.severity(),
                verdict.events(), Timestamps.format(verdict.windowStart()), Timestamps.format(verdict.windowEnd()),
                Timestamps.format(now), open == null ? null : open.lastAlert().alertId(),
                open == null ? null : open.lastAlert().startsAt(), clock.late(target.requirement()),
                input.input(), input.heldBy(), verdict.spansSeen(),
                slo == null ? null : BurnRateAlerts.status(target, slo, burning, state.slos().problem(targetId)));
    }

    /**
     * A lost episode ({@link Episodes#markLost}) whose target is now healthy (or deleted) gets a resolve for
     * its reconstructed fingerprint, so that an alert firing downstream does not fire forever. A transition
     * that publishes an alert anyway (the target fails again: a new firing alert, same fingerprint) needs none.
     */
    private AlertLifecycle.Transition resolveIfLost(String key, AlertLifecycle.Transition transition, Target target,
                                                    String kind, Verdict verdict, long windowStart, long windowEnd,
                                                    long now, String reason) {
        if (!state.episodes().lost(key) || !transition.alerts().isEmpty()) return transition;
        Alert resolve = AlertLifecycle.resolvedLost(Episodes.targetId(key), target, kind, verdict, windowStart, windowEnd,
                now, reason);
        LOG.warn("Alert episode {} was lost with its stored state; publishing a resolve for its fingerprint {} ({})", key,
                resolve.fingerprint(), reason);
        return new AlertLifecycle.Transition(transition.episode(), List.of(resolve));
    }

    private void apply(String episodeKey, AlertLifecycle.Transition transition, long now) {
        for (Alert alert : transition.alerts()) {
            output.alert(alert, now);
            LOG.info("Alert {} {} {} {} {}: actual {} vs {} {}{} over {} events [{} .. {}){}", alert.status().toUpperCase(),
                    alert.kind(), alert.severity(), alert.targetId(), alert.alertId(), alert.actual(), alert.operator(),
                    alert.target(), alert.goodRatio() == null ? "" : " (good ratio " + alert.goodRatio() + ")",
                    alert.events(), alert.windowStart(), alert.windowEnd(),
                    alert.resolvedReason() == null ? "" : " (" + alert.resolvedReason() + ")");
        }
        state.episodes().set(episodeKey, transition.episode());
        if (!transition.alerts().isEmpty()) state.episodes().recovered(episodeKey);
    }

    /** A window is a whole number of slices, rounded up. */
    private long windowMs(Duration window) {
        long slicesInWindow = Math.max(1, (window.toMillis() + sliceMs - 1) / sliceMs);
        return slicesInWindow * sliceMs;
    }

    /** Slices are kept as long as the longest window needs them (at least the default window). */
    private long retentionMs() {
        long longest = windowMs(Target.DEFAULT_WINDOW);
        for (Target target : state.targets().all().values()) longest = Math.max(longest, windowMs(target.window()));
        return longest;
    }
}

package io.homeostat.evaluate;

import io.homeostat.aggregate.CumulativeSeries;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.model.Alert;
import io.homeostat.model.Durations;
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
    /** Cumulative series not updated for this long are forgotten (their next point is a new baseline). */
    public static final long SERIES_TTL_MS = 3_600_000;
    /** Series are purged every this many evaluations (they are many, and a scan of them is not free). */
    private static final int SERIES_PURGE_EVERY = 60;

    /** Where alert changes and status go. */
    public interface Output {
        void alert(Alert alert, long now);

        /** A {@link TargetStatus}, an {@link UnattributedStatus}, or {@code null} (a tombstone) for a deleted target. */
        void status(String key, Object status, long now);
    }

    /** What the task counts (Kafka Streams metrics in production). */
    public interface Counters {
        void lateEvents(long events);

        void spansWindowed(long spans);

        void cumulativePointsIgnored(long points);
    }

    /** The task's state, each part written through to its store. */
    public record State(SliceData slices, TargetRegistry targets, Episodes episodes, TargetActivity activity,
                        UnattributedCounts unattributed, SloTracker slos) {
        /** Without a store for SLO histories: they are kept in maps. */
        public State(SliceData slices, TargetRegistry targets, Episodes episodes, TargetActivity activity,
                     UnattributedCounts unattributed) {
            this(slices, targets, episodes, activity, unattributed, null);
        }
    }

    private final long sliceMs;
    private final boolean requireReqTags;
    private final State state;
    private final EventClock clock;
    private final StatusDedup statuses;
    private final Output output;
    private final Counters counters;
    private long evaluations;

    public RequirementEvaluation(long sliceMs, long graceMs, long statusIntervalMs, boolean requireReqTags, State state,
                                 Output output, Counters counters, long startedAtWallTime) {
        this.sliceMs = sliceMs;
        this.requireReqTags = requireReqTags;
        this.state = state.slos() != null ? state : new State(state.slices(), state.targets(), state.episodes(),
                state.activity(), state.unattributed(), SloTracker.inMemory(sliceMs));
        this.clock = new EventClock(sliceMs, graceMs, startedAtWallTime);
        this.statuses = new StatusDedup(statusIntervalMs);
        this.output = output;
        this.counters = counters;
    }

    @Override
    public void spans(String requirement, RequirementEvent.SlicePartial partial, long now) {
        if (accept(requirement, partial.sliceStart(), partial.spans().count(), now)) {
            state.slices().addSpans(requirement, partial.sliceStart(), partial.spans());
            counters.spansWindowed(partial.spans().count());
        }
    }

    @Override
    public void metric(String requirement, RequirementEvent.MetricSlice metric, long now) {
        MetricPartial partial = metric.partial();
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

    /** Data for a slice: advances the clock, or is late (counted) when its slice was judged already. */
    private boolean accept(String requirement, long sliceStart, long events, long now) {
        if (clock.accept(requirement, sliceStart, events, now)) return true;
        counters.lateEvents(events);
        return false;
    }

    @Override
    public void unattributed(RequirementEvent.Unattributed counts, long now) {
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
        if (removed != null) {
            output.status(targetId, null, now);
            LOG.info("Target {} removed", targetId);
        }
    }

    // Implements: REQ-RUNTIME-002 (deviation detection, every slice, by wall clock)
    /** Judges every target over its window ending at the newest closed slice, and publishes what changed. */
    public void judge(long now) {
        evaluations++;
        long windowEnd = clock.close(now);
        if (windowEnd != Long.MIN_VALUE) {
            Map<String, WindowData> cache = new HashMap<>();
            for (Map.Entry<String, Target> entry : state.targets().all().entrySet()) {
                judge(entry.getKey(), entry.getValue(), windowEnd, now, cache);
            }
            state.slices().purge(windowEnd - retentionMs(),
                    evaluations % SERIES_PURGE_EVERY == 0 ? now - SERIES_TTL_MS : Long.MIN_VALUE);
        }
        for (UnattributedStatus counts : state.unattributed().drainChanged()) {
            output.status(UnattributedStatus.key(counts.service()), counts, now);
        }
    }

    private void judge(String targetId, Target target, long windowEnd, long now, Map<String, WindowData> cache) {
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

        TargetStatus status = status(targetId, target, verdict, slo, now);
        if (statuses.publish(targetId, status, now)) output.status(targetId, status, now);
    }

    private TargetStatus status(String targetId, Target target, Verdict verdict, BurnRates.Judgement slo, long now) {
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

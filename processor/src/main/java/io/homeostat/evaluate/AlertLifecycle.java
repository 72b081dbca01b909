package io.homeostat.evaluate;

import io.homeostat.model.Alert;
import io.homeostat.model.Fingerprints;
import io.homeostat.model.Target;
import io.homeostat.model.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert lifecycle of one target: ok → (pending for {@code for}) → firing → (severity change) →
 * resolved. Emits one record per change and none for an unchanged window. Plain Java.
 */
public final class AlertLifecycle {
    private AlertLifecycle() {}

    /**
     * @param episode the next state to store ({@code null}: the target is quietly ok, delete it)
     * @param alerts  the alerts to publish, in order
     */
    public record Transition(Episode episode, List<Alert> alerts) {}

    /** @param episode the stored state, {@code null} when the target is quietly ok */
    public static Transition next(String targetId, Target target, Verdict verdict, Episode episode, long now) {
        List<Alert> alerts = new ArrayList<>(2);
        String fingerprint = Fingerprints.alert(targetId, target.labels());
        if (episode != null && !episode.fingerprint().equals(fingerprint)) {
            // Labels changed: the old alert identity ends, a new one may start below.
            if (episode.phase() == Episode.Phase.FIRING) {
                alerts.add(resolved(episode.lastAlert(), null, now, Alert.RESOLVED_TARGET_CHANGED));
            }
            episode = null;
        }
        Episode next = switch (verdict.state()) {
            case VIOLATED -> {
                if (episode == null) {
                    yield target.forDuration().isZero()
                            ? fire(targetId, target, verdict, fingerprint, now, alerts)
                            : new Episode(fingerprint, Episode.Phase.PENDING, now, null);
                }
                if (episode.phase() == Episode.Phase.PENDING) {
                    yield now - episode.since() >= target.forDuration().toMillis()
                            ? fire(targetId, target, verdict, fingerprint, now, alerts)
                            : episode;
                }
                if (!verdict.severity().equals(episode.lastAlert().severity())) {
                    Alert changed = firing(targetId, target, verdict, fingerprint, episode.since(), now);
                    alerts.add(changed);
                    yield new Episode(fingerprint, Episode.Phase.FIRING, episode.since(), changed);
                }
                yield episode;
            }
            // Hysteresis: a firing alert stays until the target itself is met, not merely the alert level.
            case DEVIATING -> episode != null && episode.phase() == Episode.Phase.FIRING ? episode : null;
            case OK -> {
                if (episode != null && episode.phase() == Episode.Phase.FIRING) {
                    alerts.add(resolved(episode.lastAlert(), verdict, now, Alert.RESOLVED_TARGET_MET));
                }
                yield null;
            }
            case NO_EVENTS -> {
                if (episode != null && episode.phase() == Episode.Phase.FIRING) {
                    alerts.add(resolved(episode.lastAlert(), verdict, now, Alert.RESOLVED_NO_EVENTS));
                }
                yield null;
            }
            case INSUFFICIENT_DATA -> episode;
        };
        return new Transition(next, alerts);
    }

    // Implements: REQ-RUNTIME-002 (no-data: silence of a requirement's telemetry is itself a deviation)
    /**
     * The no-data alert of a target with {@code notify_no_data}: fires when the target saw no events for
     * {@code no_data_after}, resolves when data returns (or the switch is turned off).
     *
     * @param silentSince when the target's data was last seen (or the target appeared, if never)
     * @param clock       the evaluation clock: the end of the window just judged
     */
    public static Transition nextNoData(String targetId, Target target, long silentSince, long clock,
                                        long windowStart, long events, Episode episode, long now) {
        String fingerprint = Fingerprints.alert(targetId, target.labels(), Alert.KIND_NO_DATA);
        boolean firing = episode != null && episode.phase() == Episode.Phase.FIRING;
        boolean silent = clock - silentSince >= target.noDataAfter().toMillis();
        if (firing && !episode.fingerprint().equals(fingerprint)) {
            Alert resolved = resolved(episode.lastAlert(), null, now, Alert.RESOLVED_TARGET_CHANGED);
            return new Transition(null, List.of(resolved));
        }
        if (!target.notifyNoData() || !silent) {
            if (!firing) return new Transition(null, List.of());
            String reason = target.notifyNoData() ? Alert.RESOLVED_DATA_RETURNED : Alert.RESOLVED_NO_DATA_OFF;
            Alert last = episode.lastAlert();
            Alert resolved = new Alert(last.fingerprint(), last.alertId(), Alert.RESOLVED, last.kind(), last.targetId(),
                    last.requirement(), last.metric(), last.operator(), last.target(), last.alertThreshold(), null,
                    null, null, last.severity(), events, Timestamps.format(windowStart), Timestamps.format(clock),
                    last.startsAt(), Timestamps.format(now), Timestamps.format(now), reason, last.description(),
                    last.constraint(), last.businessRules(), last.labels(), last.annotations(), List.of());
            return new Transition(null, List.of(resolved));
        }
        if (firing) return new Transition(episode, List.of());
        Alert alert = new Alert(fingerprint, Fingerprints.alertId(fingerprint, now), Alert.FIRING, Alert.KIND_NO_DATA,
                targetId, target.requirement(), target.metric(), target.operator().code(), target.target(),
                target.alertThreshold(), null, null, null, NO_DATA_SEVERITY, 0, Timestamps.format(silentSince),
                Timestamps.format(clock), Timestamps.format(now), null, Timestamps.format(now), null,
                target.description(), target.constraint(), target.businessRules(), target.labels(),
                target.annotations(), List.of());
        return new Transition(new Episode(fingerprint, Episode.Phase.FIRING, now, alert), List.of(alert));
    }

    /** Missing telemetry is reported as a warning: the requirement may be fine, its evidence is gone. */
    public static final String NO_DATA_SEVERITY = Evaluator.WARNING;

    /** The target was deleted: a firing alert resolves. */
    public static Transition deleted(Episode episode, long now) {
        return ended(episode, now, Alert.RESOLVED_TARGET_DELETED);
    }

    /** The alert no longer applies (the target was deleted, or now alerts another way): a firing alert resolves. */
    public static Transition ended(Episode episode, long now, String reason) {
        if (episode == null || episode.phase() != Episode.Phase.FIRING) return new Transition(null, List.of());
        return new Transition(null, List.of(resolved(episode.lastAlert(), null, now, reason)));
    }

    /**
     * The resolve of an alert whose episode was lost (its stored value unreadable): the fingerprint is
     * reconstructed from the target id and labels (and kind); when it started is unknown, so {@code starts_at}
     * is the epoch and the alert id {@code <fingerprint>-0}.
     *
     * @param verdict the window just judged, or {@code null} (no-data, a deleted target)
     */
    public static Alert resolvedLost(String targetId, Target target, String kind, Verdict verdict, long windowStart,
                                     long windowEnd, long now, String reason) {
        String fingerprint = Fingerprints.alert(targetId, target.labels(), kind);
        boolean measured = verdict != null && verdict.actual() != null;
        return new Alert(fingerprint, Fingerprints.alertId(fingerprint, 0), Alert.RESOLVED, kind, targetId,
                target.requirement(), target.metric(), target.operator().code(), target.target(), target.alertThreshold(),
                measured ? verdict.actual() : null, measured ? verdict.goodRatio() : null,
                measured ? verdict.deviationPercent() : null,
                Alert.KIND_NO_DATA.equals(kind) ? NO_DATA_SEVERITY : null, verdict == null ? 0 : verdict.events(),
                Timestamps.format(windowStart), Timestamps.format(windowEnd), Timestamps.format(0), Timestamps.format(now),
                Timestamps.format(now), reason, target.description(), target.constraint(), target.businessRules(),
                target.labels(), target.annotations(), measured ? verdict.sampleTraceIds() : List.of(),
                verdict == null ? null : verdict.spansSeen());
    }

    private static Episode fire(String targetId, Target target, Verdict verdict, String fingerprint, long now,
                                List<Alert> alerts) {
        Alert alert = firing(targetId, target, verdict, fingerprint, now, now);
        alerts.add(alert);
        return new Episode(fingerprint, Episode.Phase.FIRING, now, alert);
    }

    static Alert firing(String targetId, Target target, Verdict verdict, String fingerprint, long startsAt, long now) {
        return new Alert(fingerprint, Fingerprints.alertId(fingerprint, startsAt), Alert.FIRING, Alert.KIND_DEVIATION,
                targetId, target.requirement(), target.metric(), target.operator().code(), target.target(),
                target.alertThreshold(), verdict.actual(), verdict.goodRatio(), verdict.deviationPercent(),
                verdict.severity(), verdict.events(), Timestamps.format(verdict.windowStart()),
                Timestamps.format(verdict.windowEnd()), Timestamps.format(startsAt), null, Timestamps.format(now),
                null, target.description(), target.constraint(), target.businessRules(), target.labels(),
                target.annotations(), verdict.sampleTraceIds(), verdict.spansSeen());
    }

    /** The last firing alert, closed; with the current window's numbers when there are any. */
    static Alert resolved(Alert last, Verdict verdict, long now, String reason) {
        boolean measured = verdict != null && verdict.actual() != null;
        return new Alert(last.fingerprint(), last.alertId(), Alert.RESOLVED, last.kind(), last.targetId(),
                last.requirement(), last.metric(), last.operator(), last.target(), last.alertThreshold(),
                measured ? verdict.actual() : last.actual(),
                measured ? verdict.goodRatio() : last.goodRatio(),
                measured ? verdict.deviationPercent() : last.deviationPercent(),
                last.severity(),
                verdict != null ? verdict.events() : last.events(),
                verdict != null ? Timestamps.format(verdict.windowStart()) : last.windowStart(),
                verdict != null ? Timestamps.format(verdict.windowEnd()) : last.windowEnd(),
                last.startsAt(), Timestamps.format(now), Timestamps.format(now), reason, last.description(),
                last.constraint(), last.businessRules(), last.labels(), last.annotations(),
                measured ? verdict.sampleTraceIds() : last.sampleTraceIds(),
                verdict != null ? verdict.spansSeen() : last.spansSeen());
    }
}

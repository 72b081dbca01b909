package io.homeostat.evaluate;

import io.homeostat.model.Alert;
import io.homeostat.model.Durations;
import io.homeostat.model.Fingerprints;
import io.homeostat.model.SloAlert;
import io.homeostat.model.SloSpec;
import io.homeostat.model.SloStatus;
import io.homeostat.model.Target;
import io.homeostat.model.Timestamps;
import io.homeostat.slo.BurnRates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The burn-rate alerts of an SLO target, one identity per tier ({@code page}, {@code ticket}): the tier fires
 * while any of its window pairs burns the error budget too fast in both windows, and resolves as soon as none
 * does, as the Prometheus rules Sloth generates fire and resolve. Each tier is an alert episode like any other
 * ({@link Episode}, {@link Episodes}, one intent per episode), with its own fingerprint: the target id, its labels
 * and {@code burn_rate/<tier>}.
 */
public final class BurnRateAlerts {
    public static final List<String> TIERS = List.of(SloSpec.PAGE, SloSpec.TICKET);

    private BurnRateAlerts() {}

    /** The fingerprint of a tier's alerts. */
    public static String fingerprint(String targetId, Target target, String tier) {
        return Fingerprints.alert(targetId, target.labels(), Alert.KIND_BURN_RATE + "/" + tier);
    }

    /**
     * The next episode of a tier and the alerts to publish.
     *
     * @param judgement the SLO judged now; null when the target is no (burn-rate alerting) SLO any more
     * @param evidence  the plain window's verdict (its sample traces go on the alert), or null
     */
    public static AlertLifecycle.Transition next(String targetId, Target target, String tier, BurnRates.Judgement judgement,
                                                 Verdict evidence, Episode episode, long now) {
        String fingerprint = fingerprint(targetId, target, tier);
        List<Alert> alerts = new ArrayList<>(2);
        boolean firing = episode != null && episode.phase() == Episode.Phase.FIRING;
        if (firing && !episode.fingerprint().equals(fingerprint)) {
            alerts.add(resolved(episode.lastAlert(), null, tier, now, Alert.RESOLVED_TARGET_CHANGED));
            episode = null;
            firing = false;
        }
        BurnRates.TierJudgement judged = judgement == null || !target.burnRateAlerting() ? null : judgement.tier(tier);
        if (judged != null && judged.burning()) {
            if (firing) return new AlertLifecycle.Transition(episode, alerts);
            Alert alert = alert(Alert.FIRING, fingerprint, targetId, target, tier, judgement, judged, evidence, now, now, null);
            alerts.add(alert);
            return new AlertLifecycle.Transition(new Episode(fingerprint, Episode.Phase.FIRING, now, alert), alerts);
        }
        if (firing) {
            String reason = judged == null ? Alert.RESOLVED_TARGET_CHANGED
                    : judged.suppressedPair() != null ? Alert.RESOLVED_LOW_TRAFFIC : Alert.RESOLVED_BURN_RATE_OK;
            alerts.add(resolved(episode.lastAlert(), judged == null ? null : judgement, tier, now, reason));
        }
        return new AlertLifecycle.Transition(null, alerts);
    }

    /**
     * The resolve of a tier's alert whose episode was lost with its stored state: the fingerprint reconstructed,
     * its start unknown ({@code starts_at} the epoch).
     */
    public static Alert resolvedLost(String targetId, Target target, String tier, BurnRates.Judgement judgement, long now,
                                     String reason) {
        String fingerprint = fingerprint(targetId, target, tier);
        BurnRates.TierJudgement judged = judgement == null ? null : judgement.tier(tier);
        return alert(Alert.RESOLVED, fingerprint, targetId, target, tier, judgement, judged, null, 0, now, reason);
    }

    /** The target was deleted: a firing tier resolves. */
    public static AlertLifecycle.Transition ended(Episode episode, String tier, long now, String reason) {
        if (episode == null || episode.phase() != Episode.Phase.FIRING) return new AlertLifecycle.Transition(null, List.of());
        return new AlertLifecycle.Transition(null, List.of(resolved(episode.lastAlert(), null, tier, now, reason)));
    }

    private static Alert alert(String status, String fingerprint, String targetId, Target target, String tier,
                               BurnRates.Judgement judgement, BurnRates.TierJudgement judged, Verdict evidence,
                               long startsAt, long now, String reason) {
        BurnRates.Pair pair = judged == null ? null : judged.firingPair() != null ? judged.firingPair()
                : judged.suppressedPair() != null ? judged.suppressedPair() : judged.pairs().get(0);
        SloAlert slo = judged == null ? null : details(judgement, judged, pair, now);
        long end = judgement == null ? now : judgement.end();
        long longMs = pair == null ? 0 : pair.longMs();
        Double goodRatio = pair == null || pair.longBurnRate() == null ? null
                : Math.max(0, 1 - pair.longBurnRate() * (1 - judgement.spec().objective()));
        boolean resolved = Alert.RESOLVED.equals(status);
        return new Alert(fingerprint, Fingerprints.alertId(fingerprint, startsAt), status, Alert.KIND_BURN_RATE, targetId,
                target.requirement(), target.metric(), target.operator().code(), target.target(), target.alertThreshold(),
                null, goodRatio, null, SloSpec.severity(tier), pair == null ? 0 : pair.longEvents(),
                Timestamps.format(end - longMs), Timestamps.format(end), Timestamps.format(startsAt),
                resolved ? Timestamps.format(now) : null, Timestamps.format(now), reason, target.description(),
                target.constraint(), target.businessRules(), target.labels(), target.annotations(),
                evidence == null ? List.of() : evidence.sampleTraceIds(), slo);
    }

    /** The last firing alert, closed; with the tier's numbers now when there are any. */
    static Alert resolved(Alert last, BurnRates.Judgement judgement, String tier, long now, String reason) {
        SloAlert slo = last.slo();
        Double goodRatio = last.goodRatio();
        long events = last.events();
        String windowStart = last.windowStart();
        String windowEnd = last.windowEnd();
        BurnRates.TierJudgement judged = judgement == null ? null : judgement.tier(tier);
        if (judged != null) {
            BurnRates.Pair pair = judged.suppressedPair() != null ? judged.suppressedPair() : judged.pairs().get(0);
            slo = details(judgement, judged, pair, now);
            events = pair.longEvents();
            windowStart = Timestamps.format(judgement.end() - pair.longMs());
            windowEnd = Timestamps.format(judgement.end());
            goodRatio = pair.longBurnRate() == null ? null
                    : Math.max(0, 1 - pair.longBurnRate() * (1 - judgement.spec().objective()));
        }
        return new Alert(last.fingerprint(), last.alertId(), Alert.RESOLVED, last.kind(), last.targetId(),
                last.requirement(), last.metric(), last.operator(), last.target(), last.alertThreshold(), null, goodRatio,
                null, last.severity(), events, windowStart, windowEnd, last.startsAt(), Timestamps.format(now),
                Timestamps.format(now), reason, last.description(), last.constraint(), last.businessRules(), last.labels(),
                last.annotations(), last.sampleTraceIds(), slo);
    }

    /** The alert's {@code slo} object: the tier, the pair it is about, every pair, the budget left. */
    static SloAlert details(BurnRates.Judgement judgement, BurnRates.TierJudgement judged, BurnRates.Pair pair, long now) {
        Long exhaustion = judgement.exhaustionMs(pair.shortBurnRate());
        return new SloAlert(judged.tier().name(), judgement.spec().objective(), Durations.format(judgement.spec().period()),
                Durations.format(pair.window().longWindow()), round(pair.longBurnRate()),
                Durations.format(pair.window().shortWindow()), round(pair.shortBurnRate()), pair.window().burnRate(),
                round(judgement.budget().remaining()), exhaustion == null ? null : BurnRates.humanDuration(exhaustion),
                exhaustion == null ? null : Timestamps.format(now + exhaustion), windows(judged));
    }

    static List<SloAlert.Window> windows(BurnRates.TierJudgement judged) {
        List<SloAlert.Window> windows = new ArrayList<>();
        for (BurnRates.Pair p : judged.pairs()) {
            windows.add(new SloAlert.Window(Durations.format(p.window().longWindow()), Durations.format(p.window().shortWindow()),
                    p.window().burnRate(), round(p.longBurnRate()), round(p.shortBurnRate()), p.longEvents(),
                    p.shortEvents(), p.state().code(), p.reason()));
        }
        return windows;
    }

    /**
     * The {@code slo} object of a target's status: the budget, the burn rates, and each tier's state.
     *
     * @param firing the open alert of each tier ({@code page}, {@code ticket}), absent when none fires
     */
    public static SloStatus status(Target target, BurnRates.Judgement judgement, Map<String, Alert> firing, String problem) {
        Map<String, Double> burnRates = new LinkedHashMap<>();
        judgement.burnRates().forEach((window, rate) -> burnRates.put(Durations.format(window), round(rate)));
        List<SloStatus.Tier> tiers = new ArrayList<>();
        for (BurnRates.TierJudgement judged : judgement.tiers()) {
            Alert open = firing.get(judged.tier().name());
            String state = open != null ? "firing" : judged.burning() ? (target.burnRateAlerting() ? "firing" : "burning")
                    : judged.suppressedPair() != null ? "suppressed"
                    : judged.pairs().stream().allMatch(p -> p.state() == BurnRates.PairState.NO_EVENTS) ? "no_events" : "ok";
            tiers.add(new SloStatus.Tier(judged.tier().name(), judged.tier().severity(), state,
                    open == null ? null : open.alertId(), windows(judged)));
        }
        BurnRates.Budget budget = judgement.budget();
        return new SloStatus(judgement.spec().objective(), Durations.format(judgement.spec().period()),
                judgement.spec().alerting(), budget.good(), budget.total(), round(budget.sli()), round(budget.remaining()),
                round(budget.remainingEvents()), burnRates, tiers, problem);
    }

    /** Six significant digits: what a reader needs, and stable in the JSON. */
    static Double round(Double value) {
        if (value == null || !Double.isFinite(value)) return null;
        if (value == 0) return 0.0;
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6)).doubleValue();
    }

    static double round(double value) {
        Double rounded = round(Double.valueOf(value));
        return rounded == null ? 0 : rounded;
    }
}

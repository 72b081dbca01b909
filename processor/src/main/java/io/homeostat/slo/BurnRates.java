package io.homeostat.slo;

import io.homeostat.model.Durations;
import io.homeostat.model.SloSpec;
import io.homeostat.model.SloSpec.BurnWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Judges an SLO's history: the burn rate of each window, {@code (bad / total) / (1 − objective)}, each tier's
 * window pairs, and the error budget over the period. Plain Java.
 */
public final class BurnRates {
    private BurnRates() {}

    /** What a window pair says. */
    public enum PairState {
        /** Both windows burn faster than the pair's burn rate, with enough events: the tier fires. */
        BURNING("burning"),
        /** At least one window burns no faster than the burn rate. */
        OK("ok"),
        /** The short window holds fewer events than {@code min_events}: not judged (low traffic). */
        LOW_TRAFFIC("low_traffic"),
        /** A window holds no events at all. */
        NO_EVENTS("no_events");

        private final String code;

        PairState(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * One window pair, judged.
     *
     * @param longMs  the long window as judged (rounded up to whole slices)
     * @param shortMs the short window as judged
     * @param reason  why the pair is not judged, for people (low traffic); null otherwise
     */
    public record Pair(BurnWindow window, long longMs, long shortMs, Double longBurnRate, Double shortBurnRate,
                       long longEvents, long shortEvents, PairState state, String reason) {}

    /** One tier, judged: it fires while any of its pairs burns. */
    public record TierJudgement(BurnTiers.Tier tier, List<Pair> pairs) {
        public TierJudgement {
            pairs = List.copyOf(pairs);
        }

        public boolean burning() {
            return firingPair() != null;
        }

        /** The first pair that burns, or null. */
        public Pair firingPair() {
            for (Pair pair : pairs) if (pair.state() == PairState.BURNING) return pair;
            return null;
        }

        /** A pair that would burn but has too few events (why the tier does not fire), or null. */
        public Pair suppressedPair() {
            for (Pair pair : pairs) {
                if (pair.state() == PairState.LOW_TRAFFIC && pair.longBurnRate() != null && pair.shortBurnRate() != null
                        && pair.longBurnRate() > pair.window().burnRate() && pair.shortBurnRate() > pair.window().burnRate()) {
                    return pair;
                }
            }
            return null;
        }
    }

    /**
     * The error budget over the period (or the history so far, when it is younger).
     *
     * @param remaining       the share of the period's budget left, {@code 1 − bad / ((1 − objective) · total)}; 1
     *                        with no events; below 0 once overspent
     * @param remainingEvents bad events the period can still take, {@code (1 − objective) · total − bad}
     */
    public record Budget(long good, long total, double remaining, double remainingEvents) {
        public Double sli() {
            return total == 0 ? null : (double) good / total;
        }
    }

    /** Everything judged at one moment ({@code end}: the end of the counted time). */
    public record Judgement(SloSpec spec, long end, List<TierJudgement> tiers, Budget budget,
                            Map<Duration, Double> burnRates) {
        public Judgement {
            tiers = List.copyOf(tiers);
        }

        public TierJudgement tier(String name) {
            for (TierJudgement tier : tiers) if (tier.tier().name().equals(name)) return tier;
            return null;
        }

        /**
         * How long the remaining budget lasts at {@code burnRate} times the sustainable rate: remaining × period /
         * burn rate; 0 when it is spent, null when nothing burns.
         */
        public Long exhaustionMs(Double burnRate) {
            if (budget.remaining() <= 0) return 0L;
            if (burnRate == null || burnRate <= 0) return null;
            return Math.round(budget.remaining() * spec.period().toMillis() / burnRate);
        }
    }

    public static Judgement judge(SloSpec spec, List<BurnTiers.Tier> tiers, SloHistory history, long sliceMs) {
        double budgetRatio = 1 - spec.objective();
        Map<Long, SloHistory.Counts> windows = new LinkedHashMap<>();
        Map<Duration, Double> burnRates = new LinkedHashMap<>();
        for (Duration window : BurnTiers.windows(tiers)) {
            long ms = slices(window, sliceMs);
            SloHistory.Counts counts = windows.computeIfAbsent(ms, history::window);
            burnRates.put(window, burnRate(counts, budgetRatio));
        }
        List<TierJudgement> judged = new ArrayList<>();
        for (BurnTiers.Tier tier : tiers) {
            List<Pair> pairs = new ArrayList<>();
            for (BurnWindow window : tier.windows()) {
                long longMs = slices(window.longWindow(), sliceMs);
                long shortMs = slices(window.shortWindow(), sliceMs);
                SloHistory.Counts longCounts = windows.computeIfAbsent(longMs, history::window);
                SloHistory.Counts shortCounts = windows.computeIfAbsent(shortMs, history::window);
                pairs.add(pair(window, longMs, shortMs, longCounts, shortCounts, budgetRatio, spec.minEvents()));
            }
            judged.add(new TierJudgement(tier, pairs));
        }
        SloHistory.Counts period = history.period();
        double allowed = budgetRatio * period.total();
        double remaining = period.total() == 0 ? 1 : 1 - period.bad() / allowed;
        return new Judgement(spec, history.end(), judged, new Budget(period.good(), period.total(), remaining,
                allowed - period.bad()), burnRates);
    }

    static Pair pair(BurnWindow window, long longMs, long shortMs, SloHistory.Counts longCounts,
                     SloHistory.Counts shortCounts, double budgetRatio, long minEvents) {
        Double longBurn = burnRate(longCounts, budgetRatio);
        Double shortBurn = burnRate(shortCounts, budgetRatio);
        PairState state;
        String reason = null;
        if (longBurn == null || shortBurn == null) {
            state = PairState.NO_EVENTS;
        } else if (shortCounts.total() < minEvents) {
            state = PairState.LOW_TRAFFIC;
            boolean wouldBurn = longBurn > window.burnRate() && shortBurn > window.burnRate();
            reason = String.format(Locale.ROOT, "low traffic: %d event(s) in the %s window, fewer than min_events %d%s",
                    shortCounts.total(), Durations.format(window.shortWindow()), minEvents,
                    wouldBurn ? String.format(Locale.ROOT, " (burning %s× and %s×, above %s×, not alerted)",
                            rate(longBurn), rate(shortBurn), rate(window.burnRate())) : "");
        } else {
            state = longBurn > window.burnRate() && shortBurn > window.burnRate() ? PairState.BURNING : PairState.OK;
        }
        return new Pair(window, longMs, shortMs, longBurn, shortBurn, longCounts.total(), shortCounts.total(), state, reason);
    }

    /** {@code (bad / total) / (1 − objective)}, null without events. */
    public static Double burnRate(SloHistory.Counts counts, double budgetRatio) {
        if (counts.total() <= 0) return null;
        return (double) counts.bad() / counts.total() / budgetRatio;
    }

    /** A window as the evaluation judges it: whole slices, rounded up. */
    public static long slices(Duration window, long sliceMs) {
        return Math.max(1, (window.toMillis() + sliceMs - 1) / sliceMs) * sliceMs;
    }

    /** A burn rate for people: 14.4, 6, 0.12. */
    public static String rate(double rate) {
        if (rate == Math.rint(rate) && Math.abs(rate) < 1e9) return Long.toString((long) rate);
        return new java.math.BigDecimal(rate).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A long duration for people, to the minute: {@code 2d1h12m}, {@code 45m}, {@code 30s} below a minute. */
    public static String humanDuration(long ms) {
        if (ms < 60_000) return Math.max(0, Math.round(ms / 1000.0)) + "s";
        long minutes = Math.round(ms / 60_000.0);
        StringBuilder s = new StringBuilder();
        if (minutes >= 1440) s.append(minutes / 1440).append('d');
        if (minutes % 1440 >= 60) s.append(minutes % 1440 / 60).append('h');
        if (minutes % 60 > 0 || s.length() == 0) s.append(minutes % 60).append('m');
        return s.toString();
    }
}

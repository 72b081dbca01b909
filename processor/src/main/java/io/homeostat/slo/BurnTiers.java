package io.homeostat.slo;

import io.homeostat.model.SloSpec;
import io.homeostat.model.SloSpec.BurnWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The alert tiers of an SLO: each a list of window pairs, the tier firing while any pair burns the error budget
 * faster than its burn rate in both windows.
 *
 * <p>The defaults are the SRE Workbook's ("Alerting on SLOs", table 5-8, for a 30-day period): page when the 1h
 * and 5m windows both burn faster than 14.4 (2 % of the budget in an hour) or the 6h and 30m windows faster than 6
 * (5 % in six hours); ticket when the 1d and 2h windows burn faster than 3 (10 % in a day) or the 3d and 6h windows
 * faster than 1 (10 % in three days). Another period scales every window by period / 30d, as Pyrra scales its
 * windows to the SLO window (Pyrra from 28 days), keeping the burn rates, so that each tier still fires at the same
 * share of the budget: a 28d SLO pages on 56m and 5m, a 7d SLO on 14m and 1m. A scaled window is rounded to the
 * minute (as Pyrra does), or to the second where it is shorter than a minute (periods of hours, for demos).
 */
public final class BurnTiers {
    /** The period the Workbook's windows are written for. */
    public static final Duration WORKBOOK_PERIOD = Duration.ofDays(30);
    public static final Map<String, List<BurnWindow>> WORKBOOK = workbook();

    private BurnTiers() {}

    /**
     * One tier as the evaluation runs it: its window pairs, in the order written.
     *
     * @param severity the alert's severity: {@code critical} for a page, {@code warning} for a ticket
     */
    public record Tier(String name, String severity, List<BurnWindow> windows) {
        public Tier {
            windows = List.copyOf(windows);
        }
    }

    private static Map<String, List<BurnWindow>> workbook() {
        Map<String, List<BurnWindow>> tiers = new LinkedHashMap<>();
        tiers.put(SloSpec.PAGE, List.of(new BurnWindow(Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
                new BurnWindow(Duration.ofHours(6), Duration.ofMinutes(30), 6)));
        tiers.put(SloSpec.TICKET, List.of(new BurnWindow(Duration.ofDays(1), Duration.ofHours(2), 3),
                new BurnWindow(Duration.ofDays(3), Duration.ofHours(6), 1)));
        return java.util.Collections.unmodifiableMap(tiers);
    }

    /** The tiers of an SLO: its own, or the Workbook's scaled to its period. Page first. */
    public static List<Tier> of(SloSpec slo) {
        Map<String, List<BurnWindow>> written = slo.tiers();
        List<Tier> tiers = new ArrayList<>();
        for (String name : List.of(SloSpec.PAGE, SloSpec.TICKET)) {
            List<BurnWindow> windows;
            if (written != null) {
                windows = written.getOrDefault(name, List.of());
            } else {
                windows = new ArrayList<>();
                for (BurnWindow w : WORKBOOK.get(name)) {
                    windows.add(new BurnWindow(scale(w.longWindow(), slo.period()), scale(w.shortWindow(), slo.period()),
                            w.burnRate()));
                }
            }
            if (!windows.isEmpty()) tiers.add(new Tier(name, SloSpec.severity(name), windows));
        }
        return List.copyOf(tiers);
    }

    /** A Workbook window for another period: {@code window × period / 30d}, rounded to the minute (the second below one). */
    public static Duration scale(Duration workbookWindow, Duration period) {
        double ms = (double) workbookWindow.toMillis() * period.toMillis() / WORKBOOK_PERIOD.toMillis();
        if (ms >= 60_000) return Duration.ofMinutes(Math.round(ms / 60_000));
        return Duration.ofSeconds(Math.max(1, Math.round(ms / 1000)));
    }

    /** Every window length the tiers use, shortest first (what the status reports burn rates for). */
    public static List<Duration> windows(List<Tier> tiers) {
        TreeSet<Duration> all = new TreeSet<>();
        for (Tier tier : tiers) {
            for (BurnWindow w : tier.windows()) {
                all.add(w.shortWindow());
                all.add(w.longWindow());
            }
        }
        return List.copyOf(all);
    }
}

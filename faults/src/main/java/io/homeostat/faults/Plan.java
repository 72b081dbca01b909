package io.homeostat.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The workload, decided before the run from its length alone: which requirements there are, when each one's spans
 * fail (episodes) and when one falls silent, in event time from the start of traffic. Traffic is one OTLP request
 * per tick, round robin over the input partitions, with {@link #SPANS_PER_TICK} spans of every requirement that is
 * not silent: half of them failing during an episode, one in a hundred otherwise (background errors, which make
 * production issues without breaking a target). Episodes and silences start and end on slice boundaries, so that no
 * window's success rate can land exactly on a target.
 */
final class Plan {
    static final long SLICE_MS = 5_000;
    static final long GRACE_MS = 5_000;
    static final long WINDOW_MS = 30_000;
    static final long TICK_MS = 200;
    static final int SPANS_PER_TICK = 4;
    static final int MIN_EVENTS = 20;
    static final double TARGET = 0.95;
    static final long NO_DATA_AFTER_MS = 30_000;
    /** Distinct users per error kind (small: the HyperLogLog is exact while small). */
    static final int USERS = 40;
    static final String SERVICE = "faults-checkout";

    /** [from, to) in ms of event time after the start of traffic. */
    record Interval(long fromMs, long toMs) {
        boolean contains(long elapsedMs) {
            return elapsedMs >= fromMs && elapsedMs < toMs;
        }
    }

    /**
     * @param bad    when its spans fail (half of them)
     * @param silent when it sends nothing
     * @param noData whether its target says {@code notify_no_data}
     */
    record Requirement(String id, List<Interval> bad, List<Interval> silent, boolean noData) {
        String targetId() {
            return id + "/span.success_rate";
        }

        boolean badAt(long elapsedMs) {
            return bad.stream().anyMatch(i -> i.contains(elapsedMs));
        }

        boolean silentAt(long elapsedMs) {
            return silent.stream().anyMatch(i -> i.contains(elapsedMs));
        }

        String targetJson() {
            return String.format(Locale.ROOT, """
                    {"requirement":"%s","metric":"span.success_rate","target":%s,"operator":"gte","window":"%ds",\
                    "min_events":%d,"critical_deviation_percent":1000,"notify_no_data":%s,"no_data_after":"%ds",\
                    "description":"fault-injection workload"}""", id, TARGET, WINDOW_MS / 1000, MIN_EVENTS, noData,
                    NO_DATA_AFTER_MS / 1000);
        }
    }

    final long durationMs;
    final List<Requirement> requirements;

    Plan(long durationMs, List<Requirement> requirements) {
        this.durationMs = durationMs;
        this.requirements = List.copyOf(requirements);
    }

    /**
     * Six requirements with 40-second episodes staggered through the run (so that every fault meets some alert
     * firing or resolving), two always healthy, one that falls silent for a minute (no-data).
     */
    static Plan full(long durationMs) {
        List<Requirement> requirements = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            List<Interval> bad = new ArrayList<>();
            for (long from = 60_000 + 45_000L * i; from + 40_000 <= durationMs - 120_000; from += 270_000) {
                bad.add(new Interval(from, from + 40_000));
            }
            requirements.add(new Requirement(String.format("REQ-FLT-%03d", i + 1), bad, List.of(), false));
        }
        requirements.add(new Requirement("REQ-FLT-007", List.of(), List.of(), false));
        requirements.add(new Requirement("REQ-FLT-008", List.of(), List.of(), false));
        long silence = aligned(durationMs / 2);
        requirements.add(new Requirement("REQ-FLT-009", List.of(), List.of(new Interval(silence, silence + 60_000)), true));
        return new Plan(durationMs, requirements);
    }

    /** The quick run's workload: 130 s; the broker's episode from 80 s, the catch-up's from 35 s. */
    static Plan quick() {
        return quick(130_000, 80_000, 35_000);
    }

    /**
     * One requirement whose 30 s episode meets the broker restart, one whose 20 s episode meets the catch-up (it
     * happens while every instance is down), one healthy.
     */
    static Plan quick(long durationMs, long episodeAt, long catchUpEpisodeAt) {
        return new Plan(durationMs, List.of(
                new Requirement("REQ-FLT-001", List.of(new Interval(episodeAt, episodeAt + 30_000)), List.of(), false),
                new Requirement("REQ-FLT-002", List.of(new Interval(catchUpEpisodeAt, catchUpEpisodeAt + 20_000)),
                        List.of(), false),
                new Requirement("REQ-FLT-003", List.of(), List.of(), false)));
    }

    static long aligned(long ms) {
        return ms / SLICE_MS * SLICE_MS;
    }

    /** The error kinds of a requirement: an issue each ({@code bad}: during episodes, else background). */
    static String errorType(Requirement requirement, boolean episode) {
        return "io.faults." + requirement.id().replace('-', '_') + (episode ? ".EpisodeFailure" : ".BackgroundFailure");
    }

    static String errorMessage(boolean episode) {
        return episode ? "payment provider rejected the request" : "inventory lookup timed out";
    }

    /** Whether span {@code index} of a tick fails. */
    static boolean fails(Requirement requirement, long tick, int index, long elapsedMs) {
        if (requirement.badAt(elapsedMs)) return index % 2 == 0;
        return (tick * SPANS_PER_TICK + index) % 100 == 37;
    }

    static String user(long tick, int index) {
        return "user-" + Math.floorMod(tick * 7 + index * 3, USERS);
    }
}

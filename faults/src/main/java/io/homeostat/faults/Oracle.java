package io.homeostat.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * What Homeostat must have published, from the acknowledged data alone, by the rules of the contract written out
 * again here: a window is the last {@link Plan#WINDOW_MS} of slices before a slice boundary; a success-rate target
 * is violated when the window holds at least {@code min_events} spans and fewer than {@code target} of them
 * succeeded; an episode fires at the first violated window, stays through windows with too few events, and
 * resolves at the first window that meets the target ({@code target_met}) or holds no events ({@code no_events});
 * a no-data target fires once {@code no_data_after} has passed since the end of the newest slice with data, and
 * resolves ({@code data_returned}) at the first window whose newest data is more recent than that. Every window
 * is judged, in order, however the processors were interrupted.
 */
final class Oracle {
    static final String DEVIATION = "deviation";
    static final String NO_DATA = "no_data";

    /** One alert episode: the window it fires on, and the one it resolves on ({@code -1}: still open at the end). */
    record Episode(String targetId, String requirement, String kind, long firedWindowEnd, long resolvedWindowEnd,
                   String resolvedReason) {}

    private final Plan plan;
    private final Truth truth;
    private final long firstWindowEnd;
    private final long lastWindowEnd;

    /**
     * @param firstWindowEnd the first window judged (after traffic started)
     * @param lastWindowEnd  the last window compared (traffic's end)
     */
    Oracle(Plan plan, Truth truth, long firstWindowEnd, long lastWindowEnd) {
        this.plan = plan;
        this.truth = truth;
        this.firstWindowEnd = firstWindowEnd;
        this.lastWindowEnd = lastWindowEnd;
    }

    long lastWindowEnd() {
        return lastWindowEnd;
    }

    long firstWindowEnd() {
        return firstWindowEnd;
    }

    /** Spans of a requirement in the window ending at {@code windowEnd}. */
    long events(String requirement, long windowStart, long windowEnd) {
        return truth.window(requirement, windowStart, windowEnd)[0];
    }

    List<Episode> episodes() {
        List<Episode> episodes = new ArrayList<>();
        for (Plan.Requirement requirement : plan.requirements) {
            episodes.addAll(deviation(requirement));
            if (requirement.noData()) episodes.addAll(noData(requirement));
        }
        return episodes;
    }

    private List<Episode> deviation(Plan.Requirement requirement) {
        List<Episode> out = new ArrayList<>();
        long firedAt = -1;
        for (long end = firstWindowEnd; end <= lastWindowEnd; end += Plan.SLICE_MS) {
            long[] window = truth.window(requirement.id(), end - Plan.WINDOW_MS, end);
            long spans = window[0];
            long good = spans - window[1];
            String verdict;
            if (spans == 0) verdict = "no_events";
            else if (spans < Plan.MIN_EVENTS) verdict = "insufficient";
            else verdict = (double) good / spans >= Plan.TARGET ? "ok" : "violated";
            if (firedAt < 0 && verdict.equals("violated")) {
                firedAt = end;
            } else if (firedAt >= 0 && (verdict.equals("ok") || verdict.equals("no_events"))) {
                out.add(new Episode(requirement.targetId(), requirement.id(), DEVIATION, firedAt, end,
                        verdict.equals("ok") ? "target_met" : "no_events"));
                firedAt = -1;
            }
        }
        if (firedAt >= 0) out.add(new Episode(requirement.targetId(), requirement.id(), DEVIATION, firedAt, -1, null));
        return out;
    }

    private List<Episode> noData(Plan.Requirement requirement) {
        List<Episode> out = new ArrayList<>();
        long firedAt = -1;
        for (long end = firstWindowEnd; end <= lastWindowEnd; end += Plan.SLICE_MS) {
            long lastSeen = truth.lastSeen(requirement.id(), end);
            boolean silent = lastSeen != Long.MIN_VALUE && end - lastSeen >= Plan.NO_DATA_AFTER_MS;
            if (firedAt < 0 && silent) {
                firedAt = end;
            } else if (firedAt >= 0 && !silent) {
                out.add(new Episode(requirement.targetId(), requirement.id(), NO_DATA, firedAt, end, "data_returned"));
                firedAt = -1;
            }
        }
        if (firedAt >= 0) out.add(new Episode(requirement.targetId(), requirement.id(), NO_DATA, firedAt, -1, null));
        return out;
    }
}

package io.homeostat.evaluate;

import java.util.List;

/**
 * The judgement of one target over one window.
 *
 * @param state            see {@link State}
 * @param deviationPercent {@code |actual − target| / |target| × 100}; {@code null} when the target is 0
 * @param severity         {@code critical} or {@code warning} when violated, else {@code null}
 * @param events           the events in the window (for span SLIs: what the spans stand for, by adjusted counts)
 * @param spansSeen        for span SLIs, the spans received; else {@code null}
 */
public record Verdict(State state, Double actual, Double goodRatio, Double deviationPercent, String severity,
                      long events, long windowStart, long windowEnd, List<String> sampleTraceIds, Long spansSeen) {

    /** A verdict on anything but spans. */
    public Verdict(State state, Double actual, Double goodRatio, Double deviationPercent, String severity,
                   long events, long windowStart, long windowEnd, List<String> sampleTraceIds) {
        this(state, actual, goodRatio, deviationPercent, severity, events, windowStart, windowEnd, sampleTraceIds, null);
    }

    public enum State {
        /** The target holds. */
        OK,
        /** The target is violated but not beyond the alert level: shown on the status topic, no alert. */
        DEVIATING,
        /** The target is violated at alert level: an alert fires (after {@code for}). */
        VIOLATED,
        /** Fewer events (for span SLIs: spans seen) than {@code min_events}: no verdict, nothing changes. */
        INSUFFICIENT_DATA,
        /** No events at all in the window. */
        NO_EVENTS
    }

    public Verdict {
        sampleTraceIds = List.copyOf(sampleTraceIds);
    }
}

package io.homeostat.evaluate;

import java.util.List;

/**
 * A metric's value over one window.
 *
 * @param actual       the value compared with the target (a quantile, a mean, a ratio, a count, a rate)
 * @param goodRatio    for distributions, the share of events meeting the target; else {@code null}
 * @param distribution whether the metric is a distribution (which gives alert_threshold in (0,1) its
 *                     "share of good events" meaning)
 * @param events       events in the window (the events spans stand for by their adjusted counts, or data points'
 *                     counts)
 * @param spansSeen    for span SLIs, the spans received (what {@code min_events} is judged on); else {@code null}
 */
public record Measurement(double actual, Double goodRatio, boolean distribution, long events,
                          List<String> sampleTraceIds, Long spansSeen) {
    public Measurement {
        sampleTraceIds = List.copyOf(sampleTraceIds);
    }

    /** A measurement of anything but spans. */
    public Measurement(double actual, Double goodRatio, boolean distribution, long events, List<String> sampleTraceIds) {
        this(actual, goodRatio, distribution, events, sampleTraceIds, null);
    }

    /** What {@code min_events} is judged on: the spans seen for span SLIs (the evidence), else the events. */
    public long evidence() {
        return spansSeen != null ? spansSeen : events;
    }
}

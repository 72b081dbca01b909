package io.homeostat.evaluate;

import java.util.List;

/**
 * A metric's value over one window.
 *
 * @param actual       the value compared with the target (a quantile, a mean, a ratio, a count, a rate)
 * @param goodRatio    for distributions, the share of events meeting the target; else {@code null}
 * @param distribution whether the metric is a distribution (which gives alert_threshold in (0,1) its
 *                     "share of good events" meaning)
 * @param events       events in the window (spans, or data points' counts)
 */
public record Measurement(double actual, Double goodRatio, boolean distribution, long events,
                          List<String> sampleTraceIds) {
    public Measurement {
        sampleTraceIds = List.copyOf(sampleTraceIds);
    }
}

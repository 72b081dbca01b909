package io.homeostat.model;

import java.util.Locale;

/**
 * How an OTLP metric's window becomes one number (target field {@code aggregation}). Defaults: sums
 * {@link #INCREASE}, gauges {@link #LAST}, distributions {@link #AVG} (or the quantile given by a share
 * {@code alert_threshold}).
 */
public enum Aggregation {
    /** Sums: total increase over the window. */
    INCREASE,
    /** Sums: increase per second. Gauges and distributions: not meaningful, the default is used. */
    RATE,
    /** Gauges: the latest value. */
    LAST,
    /** Gauges: mean of the points; distributions: mean of the observations. */
    AVG,
    /** Gauges and distributions: smallest value (distributions: only where reported). */
    MIN,
    /** Gauges and distributions: largest value (distributions: only where reported). */
    MAX,
    /** Points (sums, gauges) or observations (distributions) in the window. */
    COUNT;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Aggregation fromCode(String code) {
        for (Aggregation a : values()) {
            if (a.code().equals(code)) return a;
        }
        throw new IllegalArgumentException("unknown aggregation '" + code
                + "'; use one of increase, rate, last, avg, min, max, count");
    }
}

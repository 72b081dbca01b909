package io.homeostat.model;

import java.util.Optional;

/** The service-level indicators a target can name that come from the spans carrying its requirement. */
public enum SpanSli {
    /** Span duration in ms, a distribution. */
    DURATION_MS("span.duration_ms"),
    /** Share of spans whose status is not ERROR. */
    SUCCESS_RATE("span.success_rate"),
    /** Share of spans whose status is ERROR. */
    ERROR_RATE("span.error_rate"),
    /** Number of spans in the window. */
    COUNT("span.count"),
    /** Spans per second over the window. */
    RATE("span.rate");

    private final String metric;

    SpanSli(String metric) {
        this.metric = metric;
    }

    public String metric() {
        return metric;
    }

    public static Optional<SpanSli> of(String metric) {
        for (SpanSli sli : values()) {
            if (sli.metric.equals(metric)) return Optional.of(sli);
        }
        return Optional.empty();
    }
}

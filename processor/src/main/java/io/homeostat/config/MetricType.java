package io.homeostat.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code type} of a metric declared in {@code telemetry.metrics}: the OpenTelemetry instrument kinds
 * (the seed uses {@code counter} and {@code histogram}) and the OTLP point kinds they produce.
 */
public enum MetricType {
    COUNTER("counter", Shape.MONOTONIC_SUM),
    OBSERVABLE_COUNTER("observable_counter", Shape.MONOTONIC_SUM),
    UP_DOWN_COUNTER("up_down_counter", Shape.SUM),
    OBSERVABLE_UP_DOWN_COUNTER("observable_up_down_counter", Shape.SUM),
    GAUGE("gauge", Shape.GAUGE),
    OBSERVABLE_GAUGE("observable_gauge", Shape.GAUGE),
    HISTOGRAM("histogram", Shape.DISTRIBUTION),
    EXPONENTIAL_HISTOGRAM("exponential_histogram", Shape.DISTRIBUTION),
    SUMMARY("summary", Shape.DISTRIBUTION);

    /** What Homeostat (and an exported rule) does with the points. */
    public enum Shape {
        /** A counter: judged by its increase over the window (or its rate, or its points). */
        MONOTONIC_SUM,
        /** A sum that goes up and down: cumulative (the SDKs' default), a level judged like a gauge. */
        SUM,
        /** Judged by its last value in the window (or the mean, min, max or number of its points). */
        GAUGE,
        /** Histograms and summaries: a distribution, where alert_threshold in (0, 1) is a share. */
        DISTRIBUTION
    }

    private final String code;
    private final Shape shape;

    MetricType(String code, Shape shape) {
        this.code = code;
        this.shape = shape;
    }

    public String code() {
        return code;
    }

    public Shape shape() {
        return shape;
    }

    public static Optional<MetricType> of(String code) {
        String normalized = code.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        if (normalized.equals("updowncounter")) normalized = "up_down_counter";
        for (MetricType type : values()) {
            if (type.code.equals(normalized)) return Optional.of(type);
        }
        return Optional.empty();
    }

    public static String codes() {
        return Arrays.stream(values()).map(MetricType::code).collect(Collectors.joining(", "));
    }
}

package io.homeostat.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * What shapes the topology: topic names and the time grid. Kafka connection settings live elsewhere
 * ({@code cli.StreamsSettings}); the topology does not know how it is run.
 *
 * @param slice          event-time slice length; also how often verdicts are taken (wall clock)
 * @param grace          how long after its end (on the data's clock) a slice still accepts late data
 * @param maxFuture      how far ahead of the processor's clock telemetry may be before its record is
 *                       rejected to the dead-letter topic (a clock that far off would close every slice)
 * @param statusInterval how often an unchanged target's status is published again
 */
public record TopologySettings(Topics topics, Duration slice, Duration grace, Duration maxFuture,
                               Duration statusInterval) {
    public static final Duration DEFAULT_SLICE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(30);

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        if (slice.toMillis() < 100) throw new IllegalArgumentException("slice must be at least 100ms, was " + slice);
        if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative, was " + grace);
        if (maxFuture.isNegative()) throw new IllegalArgumentException("max future must not be negative, was " + maxFuture);
        if (statusInterval.isNegative()) throw new IllegalArgumentException("status interval must not be negative");
    }

    public TopologySettings(Topics topics, Duration slice, Duration grace) {
        this(topics, slice, grace, DEFAULT_MAX_FUTURE, DEFAULT_STATUS_INTERVAL);
    }

    public static TopologySettings defaults() {
        return new TopologySettings(Topics.defaults(), DEFAULT_SLICE, DEFAULT_GRACE);
    }

    public long sliceMs() {
        return slice.toMillis();
    }

    public long graceMs() {
        return grace.toMillis();
    }
}

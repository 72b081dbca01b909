package io.homeostat.topology;

import io.homeostat.evaluate.CardinalityLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * What shapes the topology: topic names, the time grid and the seed's runtime switches. Kafka connection
 * settings live elsewhere ({@code cli.StreamsSettings}); the topology does not know how it is run.
 *
 * @param slice          event-time slice length; also how often verdicts are taken (wall clock)
 * @param grace          how long after its end (on the data's clock) a slice still accepts late data
 * @param maxFuture      how far ahead of the processor's clock telemetry may be before its record is
 *                       rejected to the dead-letter topic (a clock that far off would close every slice)
 * @param statusInterval how often an unchanged target's status is published again
 * @param runtime        the seed's runtime switches (alerts, intents, feedback loop) and the issue clock
 * @param cardinality    how many distinct requirements, series and services a task keeps, and for how long idle
 * @param inputHealth    what the runner knows about reading each input partition (lag, fetch health), for the
 *                       decode tasks' watermarks; {@link InputHealth#ASSUMED_READABLE} by default
 */
public record TopologySettings(Topics topics, Duration slice, Duration grace, Duration maxFuture,
                               Duration statusInterval, RuntimeSettings runtime, CardinalityLimits cardinality,
                               InputHealth inputHealth) {
    public static final Duration DEFAULT_SLICE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(30);

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(cardinality, "cardinality");
        Objects.requireNonNull(inputHealth, "inputHealth");
        if (slice.toMillis() < 100) throw new IllegalArgumentException("slice must be at least 100ms, was " + slice);
        if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative, was " + grace);
        if (maxFuture.isNegative()) throw new IllegalArgumentException("max future must not be negative, was " + maxFuture);
        if (statusInterval.isNegative()) throw new IllegalArgumentException("status interval must not be negative");
    }

    /** The default cardinality limits; input health assumed: every partition readable and read up to its end. */
    public TopologySettings(Topics topics, Duration slice, Duration grace, Duration maxFuture, Duration statusInterval,
                            RuntimeSettings runtime) {
        this(topics, slice, grace, maxFuture, statusInterval, runtime, CardinalityLimits.defaults());
    }

    /** Input health assumed: every partition readable and read up to its end. */
    public TopologySettings(Topics topics, Duration slice, Duration grace, Duration maxFuture, Duration statusInterval,
                            RuntimeSettings runtime, CardinalityLimits cardinality) {
        this(topics, slice, grace, maxFuture, statusInterval, runtime, cardinality, InputHealth.ASSUMED_READABLE);
    }

    /** The defaults for everything but topics and the time grid. */
    public TopologySettings(Topics topics, Duration slice, Duration grace) {
        this(topics, slice, grace, DEFAULT_MAX_FUTURE, DEFAULT_STATUS_INTERVAL, RuntimeSettings.defaults());
    }

    public static TopologySettings defaults() {
        return new TopologySettings(Topics.defaults(), DEFAULT_SLICE, DEFAULT_GRACE);
    }

    public TopologySettings withRuntime(RuntimeSettings newRuntime) {
        return new TopologySettings(topics, slice, grace, maxFuture, statusInterval, newRuntime, cardinality, inputHealth);
    }

    public TopologySettings withStatusInterval(Duration interval) {
        return new TopologySettings(topics, slice, grace, maxFuture, interval, runtime, cardinality, inputHealth);
    }

    public TopologySettings withCardinality(CardinalityLimits limits) {
        return new TopologySettings(topics, slice, grace, maxFuture, statusInterval, runtime, limits, inputHealth);
    }

    public TopologySettings withInputHealth(InputHealth health) {
        return new TopologySettings(topics, slice, grace, maxFuture, statusInterval, runtime, cardinality, health);
    }

    public long sliceMs() {
        return slice.toMillis();
    }

    public long graceMs() {
        return grace.toMillis();
    }
}

package io.homeostat.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * What shapes the topology: topic names and the time grid. Kafka connection settings live elsewhere
 * ({@code cli.StreamsSettings}); the topology does not know how it is run.
 *
 * @param slice event-time slice length; also how often verdicts are taken (wall clock)
 * @param grace how long after its end a slice still accepts late data before its verdict counts
 * @param runtime the seed's runtime switches (alerts, intents, feedback loop) and the issue clock
 */
public record TopologySettings(Topics topics, Duration slice, Duration grace, RuntimeSettings runtime) {
    public static final Duration DEFAULT_SLICE = Duration.ofSeconds(5);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(5);

    public TopologySettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(runtime, "runtime");
        if (slice.toMillis() < 100) throw new IllegalArgumentException("slice must be at least 100ms, was " + slice);
        if (grace.isNegative()) throw new IllegalArgumentException("grace must not be negative, was " + grace);
    }

    public TopologySettings(Topics topics, Duration slice, Duration grace) {
        this(topics, slice, grace, RuntimeSettings.defaults());
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

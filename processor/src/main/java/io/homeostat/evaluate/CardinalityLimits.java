package io.homeostat.evaluate;

import java.time.Duration;

/**
 * How many distinct values a task keeps of what senders name, so that a sender that puts a user id into
 * {@code requirement}, {@code service.name} or a metric attribute cannot grow memory, state or metrics without
 * bound. Each limit is per task (per processor of a task, for the decoders' per-service counters).
 *
 * @param maxRequirements requirements without a target whose slices a requirement task keeps; a requirement
 *                        with a target is always admitted and does not count
 * @param maxSeries       metric series a requirement task keeps, of requirements with a target and of those
 *                        without, each (so that series of untargeted requirements never take a target's room)
 * @param maxServices     services whose unattributed telemetry is counted per service (status topic, and the
 *                        {@code *-unattributed{service}} counters of each decoder)
 * @param idleExpiry      a requirement without a target, a series or a service with no data for this long (wall
 *                        clock) is forgotten, and frees its place
 */
public record CardinalityLimits(int maxRequirements, int maxSeries, int maxServices, Duration idleExpiry) {
    public static final int DEFAULT_MAX_REQUIREMENTS = 10_000;
    public static final int DEFAULT_MAX_SERIES = 20_000;
    public static final int DEFAULT_MAX_SERVICES = 1_000;
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofHours(1);

    public CardinalityLimits {
        if (maxRequirements < 1) throw new IllegalArgumentException("max requirements must be at least 1, was " + maxRequirements);
        if (maxSeries < 1) throw new IllegalArgumentException("max series must be at least 1, was " + maxSeries);
        if (maxServices < 1) throw new IllegalArgumentException("max services must be at least 1, was " + maxServices);
        if (idleExpiry.toMillis() < 1_000) {
            throw new IllegalArgumentException("idle expiry must be at least 1s, was " + idleExpiry);
        }
    }

    public static CardinalityLimits defaults() {
        return new CardinalityLimits(DEFAULT_MAX_REQUIREMENTS, DEFAULT_MAX_SERIES, DEFAULT_MAX_SERVICES, DEFAULT_IDLE_EXPIRY);
    }

    /** No caps at all (the benchmark's comparison); idle entries still expire. */
    public static CardinalityLimits unbounded() {
        return new CardinalityLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, DEFAULT_IDLE_EXPIRY);
    }

    public long idleExpiryMs() {
        return idleExpiry.toMillis();
    }
}

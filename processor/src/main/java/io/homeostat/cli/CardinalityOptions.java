package io.homeostat.cli;

import io.homeostat.evaluate.CardinalityLimits;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The cardinality caps of {@code homeostat run}: how many distinct requirements, metric series and services a task
 * keeps, so that a sender naming them after user ids cannot grow memory and metrics without bound; each also from
 * {@code HOMEOSTAT_<OPTION>}, e.g. {@code HOMEOSTAT_MAX_REQUIREMENTS=20000}.
 */
public final class CardinalityOptions {
    @Option(names = "--max-requirements", defaultValue = "10000",
            description = {"Requirements without a target whose slices one task keeps; beyond it, a new requirement's "
                    + "telemetry is counted (requirements-refused, status overflow/<task>), not kept. A requirement with "
                    + "a target is always kept (default: ${DEFAULT-VALUE})."})
    int maxRequirements;

    @Option(names = "--max-series", defaultValue = "20000",
            description = "Metric series one task keeps, for requirements with a target and for the others each; beyond "
                    + "it, a new series' points are counted (series-refused, target-series-refused), not kept (default: ${DEFAULT-VALUE}).")
    int maxSeries;

    @Option(names = "--max-services", defaultValue = "1000",
            description = "Services whose telemetry without a requirement one task counts per service (status "
                    + "unattributed/<service>, *-unattributed{service}); the others are counted together (default: ${DEFAULT-VALUE}).")
    int maxServices;

    @Option(names = "--idle-expiry", defaultValue = "1h", converter = DurationConverter.class,
            description = "A requirement without a target, a metric series or a service with no telemetry for this long "
                    + "is forgotten, which frees its place under the caps (default: ${DEFAULT-VALUE}).")
    Duration idleExpiry;

    /** @throws IllegalArgumentException naming the option whose value is out of range */
    public CardinalityLimits limits() {
        atLeastOne("--max-requirements", maxRequirements);
        atLeastOne("--max-series", maxSeries);
        atLeastOne("--max-services", maxServices);
        if (idleExpiry.toMillis() < 1_000) throw new IllegalArgumentException("--idle-expiry must be at least 1s, was " + idleExpiry);
        return new CardinalityLimits(maxRequirements, maxSeries, maxServices, idleExpiry);
    }

    private static void atLeastOne(String option, int value) {
        if (value < 1) throw new IllegalArgumentException(option + " must be at least 1, was " + value);
    }
}

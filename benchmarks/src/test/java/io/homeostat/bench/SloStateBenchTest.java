package io.homeostat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SLO state bench measures what it says, on a small scale: entries bounded by the resolution, flat in the events. */
class SloStateBenchTest {
    @Test
    void stateIsBoundedByTheResolutionAndFlatAsEventsGrowTenfold() {
        SloStateBench.Result small = SloStateBench.run(3, 5, 600);
        SloStateBench.Result large = SloStateBench.run(3, 5, 6000);
        assertThat(large.events()).isEqualTo(10 * small.events());
        // Per target: at most one hour block per hour of history (and two more) and one minute block per minute of
        // the last hour (and one more).
        assertThat(small.entriesPerTarget()).isLessThanOrEqualTo(5 * 24 + 2 + 61).isGreaterThan(5 * 24);
        assertThat(large.entries()).isEqualTo(small.entries());
        // Longer varints only: well under twice the bytes for ten times the events.
        assertThat(large.keyBytes() + large.valueBytes()).isLessThan(2 * (small.keyBytes() + small.valueBytes()));
        assertThat(SloStateBench.table(java.util.List.of(small, large))).contains("| 3 | 5d | 600 |", "| 3 | 5d | 6000 |");
    }
}

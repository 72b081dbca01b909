package io.homeostat.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oracle on the quick workload, filled as the harness fills it (every tick's spans acknowledged) but without
 * Kafka. The expected windows are worked out by hand from the plan: 20 spans a second per requirement, so a 5 s
 * slice holds 100 spans; an episode slice fails half of them, which drags any 30 s window holding it below 95 %.
 */
class OracleTest {
    static final long START = 1_800_000_000_000L; // a slice boundary

    static Truth truthOf(Plan plan, long untilMs) {
        Truth truth = new Truth();
        for (long tick = 0; tick * Plan.TICK_MS < untilMs; tick++) {
            long elapsed = tick * Plan.TICK_MS;
            truth.request();
            for (Traffic.SpanFact f : Traffic.facts(plan, tick, elapsed, START + elapsed)) f.addTo(truth);
        }
        return truth;
    }

    static Oracle oracleOf(Plan plan) {
        return new Oracle(plan, truthOf(plan, plan.durationMs), START + Plan.SLICE_MS, Plan.aligned(START + plan.durationMs));
    }

    @Test
    void anEpisodeFiresOnTheFirstWindowHoldingABadSliceAndResolvesOnceTheWindowHasSlidPastIt() {
        Plan plan = Plan.quick(110_000, 20_000, 70_000);
        List<Oracle.Episode> episodes = oracleOf(plan).episodes();

        assertThat(episodes).containsExactlyInAnyOrder(
                // bad from 20 s to 50 s: the window ending at 25 s holds one bad slice; the one ending at 80 s none
                new Oracle.Episode("REQ-FLT-001/span.success_rate", "REQ-FLT-001", Oracle.DEVIATION,
                        START + 25_000, START + 80_000, "target_met"),
                // bad from 70 s to 90 s: fires at 75 s; traffic ends at 110 s, before the window slides past (120 s)
                new Oracle.Episode("REQ-FLT-002/span.success_rate", "REQ-FLT-002", Oracle.DEVIATION,
                        START + 75_000, -1, null));
    }

    @Test
    void theQuickRunExpectsOneEpisodeThroughTheCatchUpAndOneStillFiringAcrossTheBrokerOutage() {
        List<Oracle.Episode> episodes = oracleOf(Plan.quick()).episodes();

        assertThat(episodes).containsExactlyInAnyOrder(
                // bad from 35 s to 55 s, while every instance is down
                new Oracle.Episode("REQ-FLT-002/span.success_rate", "REQ-FLT-002", Oracle.DEVIATION,
                        START + 40_000, START + 85_000, "target_met"),
                // bad from 80 s to 110 s; the broker is killed as it fires: open when traffic ends at 130 s
                new Oracle.Episode("REQ-FLT-001/span.success_rate", "REQ-FLT-001", Oracle.DEVIATION,
                        START + 85_000, -1, null));
    }

    @Test
    void windowCountsAreTwentySpansASecondOfEveryRequirementThatIsNotSilent() {
        Plan plan = Plan.quick(110_000, 20_000, 70_000);
        Oracle oracle = oracleOf(plan);
        assertThat(oracle.events("REQ-FLT-003", START, START + 30_000)).isEqualTo(600);
        // the first window is only partly filled: one slice of traffic
        assertThat(oracle.events("REQ-FLT-003", START - 25_000, START + 5_000)).isEqualTo(100);
        assertThat(oracle.events("REQ-FLT-999", START, START + 30_000)).isZero();
    }

    @Test
    void aSilentRequirementWithNotifyNoDataFiresOnceItsLastDataIsNoDataAfterOldAndResolvesWhenDataReturns() {
        Plan.Requirement quiet = new Plan.Requirement("REQ-FLT-009", List.of(),
                List.of(new Plan.Interval(40_000, 100_000)), true);
        Plan plan = new Plan(160_000, List.of(quiet));
        List<Oracle.Episode> episodes = oracleOf(plan).episodes();

        // last data in the slice [35 s, 40 s): silent from the window ending at 70 s; data again in [100 s, 105 s)
        assertThat(episodes).containsExactly(new Oracle.Episode("REQ-FLT-009/span.success_rate", "REQ-FLT-009",
                Oracle.NO_DATA, START + 70_000, START + 105_000, "data_returned"));
    }

    @Test
    void unacknowledgedRequestsAreNotInTheTruth() {
        Plan plan = Plan.quick(110_000, 20_000, 70_000);
        Truth truth = truthOf(plan, 10_000);
        assertThat(truth.requests()).isEqualTo(50);
        assertThat(truth.spans()).isEqualTo(50L * 3 * Plan.SPANS_PER_TICK);
    }

    @Test
    void backgroundErrorsMakeOneIssuePerRequirementAndEpisodesAnotherWithFewUsers() {
        Plan plan = Plan.quick(110_000, 20_000, 70_000);
        Truth truth = truthOf(plan, plan.durationMs);
        assertThat(truth.issues().values()).extracting(i -> i.errorType).containsExactlyInAnyOrder(
                "io.faults.REQ_FLT_001.BackgroundFailure", "io.faults.REQ_FLT_001.EpisodeFailure",
                "io.faults.REQ_FLT_002.BackgroundFailure", "io.faults.REQ_FLT_002.EpisodeFailure",
                "io.faults.REQ_FLT_003.BackgroundFailure");
        Truth.Issue episode = truth.issues().values().stream()
                .filter(i -> i.errorType.equals("io.faults.REQ_FLT_001.EpisodeFailure")).findFirst().orElseThrow();
        // 30 s of episode, 5 ticks a second, 2 of 4 spans failing
        assertThat(episode.occurrences).isEqualTo(300);
        assertThat(episode.users).hasSizeLessThanOrEqualTo(Plan.USERS).isNotEmpty();
    }
}

package io.homeostat.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlanTest {
    @Test
    void episodesAndSilencesStartAndEndOnSliceBoundariesAndEndBeforeTheLastTwoMinutes() {
        Plan plan = Plan.full(780_000);
        assertThat(plan.requirements).hasSize(9);
        assertThat(plan.requirements.stream().mapToLong(r -> r.bad().size()).sum()).isGreaterThanOrEqualTo(6);
        for (Plan.Requirement r : plan.requirements) {
            for (Plan.Interval i : concat(r.bad(), r.silent())) {
                assertThat(i.fromMs() % Plan.SLICE_MS).isZero();
                assertThat(i.toMs() % Plan.SLICE_MS).isZero();
                assertThat(i.toMs()).isLessThanOrEqualTo(plan.durationMs - 60_000);
            }
        }
        assertThat(plan.requirements).filteredOn(Plan.Requirement::noData).singleElement()
                .satisfies(r -> assertThat(r.silent()).isNotEmpty());
    }

    @Test
    void halfTheSpansFailInAnEpisodeAndOneInAHundredOtherwise() {
        Plan.Requirement r = new Plan.Requirement("REQ-X", List.of(new Plan.Interval(10_000, 20_000)), List.of(), false);
        long failedInEpisode = 0;
        long failedOutside = 0;
        for (long tick = 0; tick < 500; tick++) {
            for (int i = 0; i < Plan.SPANS_PER_TICK; i++) {
                if (Plan.fails(r, tick, i, 15_000)) failedInEpisode++;
                if (Plan.fails(r, tick, i, 25_000)) failedOutside++;
            }
        }
        assertThat(failedInEpisode).isEqualTo(1_000);
        assertThat(failedOutside).isEqualTo(20);
    }

    @Test
    void theTargetIsASuccessRateTargetOfTheContract() throws Exception {
        Plan.Requirement r = new Plan.Requirement("REQ-FLT-001", List.of(), List.of(), true);
        var json = Observed.JSON.readTree(r.targetJson());
        assertThat(json.path("requirement").asText()).isEqualTo("REQ-FLT-001");
        assertThat(json.path("metric").asText()).isEqualTo("span.success_rate");
        assertThat(json.path("window").asText()).isEqualTo("30s");
        assertThat(json.path("min_events").asInt()).isEqualTo(Plan.MIN_EVENTS);
        assertThat(json.path("notify_no_data").asBoolean()).isTrue();
    }

    private static List<Plan.Interval> concat(List<Plan.Interval> a, List<Plan.Interval> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}

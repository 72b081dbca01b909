package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.OverflowStatus;
import io.homeostat.model.Target;
import io.homeostat.model.UnattributedStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The cardinality caps, their expiry and the index of slices, without Kafka. */
class CardinalityTest {
    static final long HOUR = 3_600_000;

    @Test
    void aCapAdmitsUpToItsSizeThenRefusesNewValuesButNotKnownOnes() {
        CardinalityCap<String> cap = new CardinalityCap<>(3, HOUR);
        assertThat(cap.admit("a", 0)).isEqualTo(CardinalityCap.Admission.ADDED);
        assertThat(cap.admit("b", 0)).isEqualTo(CardinalityCap.Admission.ADDED);
        assertThat(cap.admit("a", 1)).isEqualTo(CardinalityCap.Admission.KNOWN);
        assertThat(cap.admit("c", 2)).isEqualTo(CardinalityCap.Admission.ADDED);
        assertThat(cap.full()).isTrue();
        assertThat(cap.admit("d", 3)).isEqualTo(CardinalityCap.Admission.REFUSED);
        assertThat(cap.contains("d")).isFalse();
        assertThat(cap.admit("b", 4)).as("a known value is admitted when the cap is full").isEqualTo(CardinalityCap.Admission.KNOWN);
        assertThat(cap.size()).isEqualTo(3);
    }

    @Test
    void idleValuesExpireInOrderOfTheirLastDataAndFreeTheirPlaces() {
        CardinalityCap<String> cap = new CardinalityCap<>(3, 1_000);
        cap.admit("a", 0);
        cap.admit("b", 100);
        cap.admit("c", 200);
        cap.admit("a", 300); // a had data again: b is now the idlest
        assertThat(cap.expire(1_099)).isEmpty();
        assertThat(cap.expire(1_100)).containsExactly("b");
        assertThat(cap.expire(1_300)).containsExactly("c", "a");
        assertThat(cap.size()).isZero();
        assertThat(cap.expired()).isEqualTo(3);
        assertThat(cap.admit("d", 1_400)).isEqualTo(CardinalityCap.Admission.ADDED);
    }

    @Test
    void expiryOnlyLooksAtWhatExpires() {
        CardinalityCap<Integer> cap = new CardinalityCap<>(Integer.MAX_VALUE, 1_000);
        for (int i = 0; i < 100_000; i++) cap.admit(i, i);
        // The map is in order of last data: expiring the 10 idlest stops at the first value that is not idle.
        assertThat(cap.expire(1_009)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(cap.size()).isEqualTo(99_990);
    }

    @Test
    void refusalsComeInEpisodesOfOneLogLine() {
        CardinalityCap<String> cap = new CardinalityCap<>(1, HOUR);
        cap.admit("a", 0);
        assertThat(cap.refuse("x", 5, 10)).as("the first refusal starts an episode").isTrue();
        assertThat(cap.refuse("y", 7, 20)).isFalse();
        assertThat(cap.refusedValues()).isEqualTo(2);
        assertThat(cap.refusedItems()).isEqualTo(12);
        assertThat(cap.lastRefused()).isEqualTo("y");
        assertThat(cap.refusalsEnded(20 + CardinalityCap.QUIET_MS - 1)).isFalse();
        assertThat(cap.refusalsEnded(20 + CardinalityCap.QUIET_MS)).isTrue();
        assertThat(cap.refusalsEnded(20 + CardinalityCap.QUIET_MS + 1)).as("once").isFalse();
        assertThat(cap.refuse("z", 1, 30 + CardinalityCap.QUIET_MS)).as("a new episode").isTrue();
    }

    @Test
    void valuesFoundAtStartUpAreKeptEvenBeyondTheCap() {
        CardinalityCap<String> cap = new CardinalityCap<>(2, 1_000);
        cap.restore("a", 0);
        cap.restore("b", 10);
        cap.restore("c", 20);
        assertThat(cap.size()).isEqualTo(3);
        assertThat(cap.admit("d", 30)).isEqualTo(CardinalityCap.Admission.REFUSED);
        assertThat(cap.expire(1_010)).containsExactly("a", "b");
        assertThat(cap.admit("d", 1_020)).isEqualTo(CardinalityCap.Admission.ADDED);
    }

    @Test
    void sliceRangesHandOutOnlyThePrefixesWithSlicesBeforeTheCutoff() {
        SliceRanges<String> ranges = new SliceRanges<>();
        for (int r = 0; r < 1_000; r++) ranges.add("REQ-" + r, 10_000);
        ranges.add("REQ-0", 5_000);      // an older slice: REQ-0 is due first
        ranges.add("REQ-1", 20_000);     // newer: only the newest moves
        assertThat(ranges.due(5_000)).isEmpty();
        List<SliceRanges.Due<String>> due = ranges.due(6_000);
        assertThat(due).containsExactly(new SliceRanges.Due<>("REQ-0", 5_000, 10_000));
        assertThat(ranges.contains("REQ-0")).as("taken out until given back").isFalse();
        ranges.restore("REQ-0", 10_000, 10_000);
        due = ranges.due(15_000);
        assertThat(due).hasSize(1_000);
        assertThat(due).filteredOn(d -> d.key().equals("REQ-1")).singleElement()
                .isEqualTo(new SliceRanges.Due<>("REQ-1", 10_000, 20_000));
        assertThat(ranges.size()).isZero();
        ranges.restore("REQ-1", 20_000, 20_000);
        assertThat(ranges.remove("REQ-1")).containsExactly(20_000, 20_000);
        assertThat(ranges.due(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void aRequirementWithATargetIsAlwaysAdmittedAndTakesNoPlace() {
        CardinalityGuard guard = new CardinalityGuard("1_0", new CardinalityLimits(2, 10, 10, Duration.ofHours(1)), 30_000);
        assertThat(guard.admitRequirement("junk-1", false, 1, 0)).isTrue();
        assertThat(guard.admitRequirement("junk-2", false, 1, 0)).isTrue();
        assertThat(guard.admitRequirement("junk-3", false, 4, 0)).isFalse();
        assertThat(guard.admitRequirement("REQ-TARGETED", true, 1, 0)).as("targets' requirements are always admitted").isTrue();
        assertThat(guard.tracked(CardinalityGuard.Kind.REQUIREMENT)).isEqualTo(2);
        guard.targeted("junk-1"); // a target was applied for it: it leaves the cap
        assertThat(guard.admitRequirement("junk-3", false, 1, 0)).isTrue();
        assertThat(guard.refusedItems(CardinalityGuard.Kind.REQUIREMENT)).isEqualTo(4);
    }

    @Test
    void seriesOfRequirementsWithATargetHaveABudgetOfTheirOwn() {
        CardinalityGuard guard = new CardinalityGuard("1_0", new CardinalityLimits(100, 3, 10, Duration.ofHours(1)), 30_000);
        for (int i = 0; i < 10; i++) guard.admitSeries(new SeriesRef("REQ-JUNK", "m", i, false), false, 1, 0);
        assertThat(guard.tracked(CardinalityGuard.Kind.SERIES)).isEqualTo(3);
        assertThat(guard.admitSeries(new SeriesRef("REQ-A", "latency", 1, true), true, 1, 0))
                .as("junk series elsewhere do not take a target's place").isTrue();
        for (int i = 2; i < 10; i++) guard.admitSeries(new SeriesRef("REQ-A", "latency", i, true), true, 1, 0);
        assertThat(guard.tracked(CardinalityGuard.Kind.TARGET_SERIES)).as("but a target's own junk is capped too").isEqualTo(3);
    }

    @Test
    void theOverflowStatusIsPublishedAtTheFirstRefusalThenAtMostEveryIntervalAndOnceWhenItEnds() {
        CardinalityGuard guard = new CardinalityGuard("1_0", new CardinalityLimits(1, 10, 10, Duration.ofHours(1)), 30_000);
        guard.admitRequirement("a", false, 1, 0);
        assertThat(guard.overflowToPublish(1_000)).as("nothing refused").isNull();
        guard.admitRequirement("user-1", false, 3, 1_000);
        OverflowStatus first = guard.overflowToPublish(2_000);
        assertThat(first).isNotNull();
        assertThat(first.task()).isEqualTo("1_0");
        assertThat(first.refusing()).isTrue();
        assertThat(first.requirements()).isEqualTo(new OverflowStatus.Cap(1, 1, 1, 3, 0, "user-1", "1970-01-01T00:00:01.000Z"));
        guard.admitRequirement("user-2", false, 1, 3_000);
        assertThat(guard.overflowToPublish(4_000)).as("within the interval").isNull();
        assertThat(guard.overflowToPublish(32_000).requirements().refused()).isEqualTo(2);
        assertThat(guard.overflowToPublish(63_000)).as("nothing new").isNull();
        guard.expire(3_000 + CardinalityCap.QUIET_MS); // the episode ends
        OverflowStatus last = guard.overflowToPublish(3_000 + CardinalityCap.QUIET_MS);
        assertThat(last.refusing()).isFalse();
        assertThat(guard.overflowToPublish(4_000 + CardinalityCap.QUIET_MS)).isNull();
    }

    /** 100 000 junk requirements, services and series through a requirement task on maps: what it keeps stays bounded. */
    @Test
    void aJunkStormStaysWithinTheCapsAndATargetStillGetsItsData() {
        Task task = new Task(new CardinalityLimits(100, 50, 20, Duration.ofMinutes(10)));
        Target latency = Targets.parse("""
                {"requirement": "REQ-A", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "window": "2s", "min_events": 5}""");
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/lat", latency), 0);
        long now = 100_000;
        for (int i = 0; i < 100_000; i++) {
            if (i % 1_000 == 0) {
                now += 1_000;
                task.evaluation.spans("REQ-A", new RequirementEvent.SlicePartial(now, EvaluationPartsTest.spans(20, 800)), now);
                task.evaluation.judge(now);
            }
            task.evaluation.spans("user-" + i, new RequirementEvent.SlicePartial(now, EvaluationPartsTest.spans(1, 10)), now);
            task.evaluation.unattributed(new RequirementEvent.Unattributed("svc-user-" + i, 1, 0, 0, now), now);
            task.evaluation.metric("REQ-A", new RequirementEvent.MetricSlice(MetricPartial.delta("http.server.duration",
                    new TreeMap<>(Map.of("user.id", "u" + i)), now, MetricAggregate.Gauge.of(now * 1_000_000L, 1.0))), now);
        }
        task.evaluation.judge(now + 1_000);
        assertThat(task.slices.requirements()).as("requirements kept: REQ-A and the cap").isLessThanOrEqualTo(101);
        assertThat(task.slices.series()).as("series kept: REQ-A's budget").isLessThanOrEqualTo(50);
        assertThat(task.unattributed.all()).hasSize(20);
        assertThat(task.alerts).as("the target was judged on its data all along").isNotEmpty()
                .first().satisfies(alert -> assertThat(alert.targetId()).isEqualTo("REQ-A/lat"));
        assertThat(task.refused.get(CardinalityGuard.Kind.REQUIREMENT)).isEqualTo(100_000 - 100);
        assertThat(task.refused.get(CardinalityGuard.Kind.SERVICE)).isEqualTo(100_000 - 20);
        assertThat(task.refused.get(CardinalityGuard.Kind.TARGET_SERIES)).isEqualTo(100_000 - 50);
        List<OverflowStatus> published = task.statuses.stream().filter(OverflowStatus.class::isInstance)
                .map(OverflowStatus.class::cast).toList();
        assertThat(published).as("at the first refusal, then every status interval (30 s) of the 101 s").hasSize(4);
        OverflowStatus overflow = published.get(published.size() - 1);
        assertThat(overflow.requirements().tracked()).isEqualTo(100);
        assertThat(overflow.requirements().refused()).as("as of its last publication, at 91 s").isEqualTo(91_000 - 100);
        assertThat(overflow.services().lastRefused()).isEqualTo("svc-user-90999");
        assertThat(overflow.targetSeries().lastRefused()).isEqualTo("REQ-A http.server.duration");
    }

    @Test
    void idleRequirementsSeriesAndServicesExpireAndFreeTheirPlaces() {
        Task task = new Task(new CardinalityLimits(2, 2, 2, Duration.ofMinutes(10)));
        long now = 100_000;
        for (String r : List.of("user-1", "user-2", "user-3")) {
            task.evaluation.spans(r, new RequirementEvent.SlicePartial(now, EvaluationPartsTest.spans(1, 10)), now);
            task.evaluation.unattributed(new RequirementEvent.Unattributed("svc-" + r, 1, 0, 0, now), now);
        }
        task.evaluation.judge(now);
        assertThat(task.slices.slices.keySet()).containsExactly("user-1", "user-2");
        long later = now + Duration.ofMinutes(10).toMillis();
        task.evaluation.judge(later);
        assertThat(task.slices.slices).as("forgotten with their slices").isEmpty();
        assertThat(task.unattributed.all()).isEmpty();
        assertThat(task.statuses).as("a tombstone for each forgotten service")
                .containsSubsequence(null, null);
        assertThat(task.statusKeys).contains(UnattributedStatus.key("svc-user-1"), UnattributedStatus.key("svc-user-2"));
        task.evaluation.spans("user-3", new RequirementEvent.SlicePartial(later, EvaluationPartsTest.spans(1, 10)), later);
        assertThat(task.slices.slices.keySet()).as("the cap has room again").containsExactly("user-3");
        assertThat(task.expired.get(CardinalityGuard.Kind.REQUIREMENT)).isEqualTo(2);
        assertThat(task.expired.get(CardinalityGuard.Kind.SERVICE)).isEqualTo(2);
    }

    /** A requirement task on maps, with caps, counting what they refuse. */
    static final class Task {
        final Slices slices = new Slices();
        final UnattributedCounts unattributed = new UnattributedCounts(new EvaluationPartsTest.MapWriter<>());
        final List<io.homeostat.model.Alert> alerts = new ArrayList<>();
        final List<Object> statuses = new ArrayList<>();
        final List<String> statusKeys = new ArrayList<>();
        final Map<CardinalityGuard.Kind, Long> refused = new java.util.EnumMap<>(CardinalityGuard.Kind.class);
        final Map<CardinalityGuard.Kind, Long> expired = new java.util.EnumMap<>(CardinalityGuard.Kind.class);
        final RequirementEvaluation evaluation;

        Task(CardinalityLimits limits) {
            RequirementEvaluation.State state = new RequirementEvaluation.State(slices,
                    new TargetRegistry(new EvaluationPartsTest.MapWriter<>()), new Episodes(new EvaluationPartsTest.MapWriter<>()),
                    new TargetActivity(new EvaluationPartsTest.MapWriter<>()), unattributed,
                    new CardinalityGuard("1_0", limits, 30_000), EvaluationPartsTest.clock(0));
            evaluation = new RequirementEvaluation(1_000, 30_000, false, state, new RequirementEvaluation.Output() {
                @Override
                public void alert(io.homeostat.model.Alert alert, long now) {
                    alerts.add(alert);
                }

                @Override
                public void status(String key, Object status, long now) {
                    statuses.add(status);
                    statusKeys.add(key);
                }
            }, new RequirementEvaluation.Counters() {
                @Override
                public void lateEvents(long events) {}

                @Override
                public void spansWindowed(long spans) {}

                @Override
                public void cumulativePointsIgnored(long points) {}

                @Override
                public void refused(CardinalityGuard.Kind kind, long items) {
                    refused.merge(kind, items, Long::sum);
                }

                @Override
                public void expired(CardinalityGuard.Kind kind, long values) {
                    expired.merge(kind, values, Long::sum);
                }
            });
        }
    }

    /** Span and metric slices in maps. */
    static final class Slices extends EvaluationPartsTest.SpanSlices {
        final Map<String, Map<Long, Integer>> metricSeries = new TreeMap<>();

        @Override
        public void addMetric(String requirement, String metric, java.util.SortedMap<String, String> attributes,
                              long sliceStart, MetricAggregate delta) {
            metricSeries.computeIfAbsent(requirement + " " + metric, k -> new TreeMap<>())
                    .merge(MetricPartial.attributesId(attributes), 1, Integer::sum);
        }

        int requirements() {
            return slices.size();
        }

        int series() {
            return metricSeries.values().stream().mapToInt(Map::size).sum();
        }
    }
}

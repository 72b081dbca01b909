package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.Alert;
import io.homeostat.model.Target;
import io.homeostat.model.TargetStatus;
import io.homeostat.model.UnattributedStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.homeostat.evaluate.RequirementEvent.SourceWatermark.Reading;
import org.junit.jupiter.api.Test;

/** The parts of a requirement task's state, each on its own, without Kafka. */
class EvaluationPartsTest {
    static final long SLICE = 1_000;
    static final long GRACE = 1_000;

    /** A store as a map: what a part wrote through. */
    static final class MapWriter<V> implements StateWriter<V> {
        final Map<String, V> written = new LinkedHashMap<>();
        int writes;

        @Override
        public void put(String key, V value) {
            written.put(key, value);
            writes++;
        }

        @Override
        public void delete(String key) {
            written.remove(key);
            writes++;
        }
    }

    static final String SPANS = "otlp_spans";

    static SourceWatermarks sources(MapWriter<SourceWatermarks.Source> store) {
        return new SourceWatermarks(java.util.Set.of(SPANS, "otlp_metrics"), SourceWatermarks.staleAfterMs(GRACE), store);
    }

    static EventClock clock(long startedAt) {
        return new EventClock(SLICE, GRACE, startedAt, sources(new MapWriter<>()), new MapWriter<>());
    }

    static RequirementEvent.SourceWatermark watermark(int partition, long watermark, Reading reading, long at) {
        return new RequirementEvent.SourceWatermark(SPANS, partition, 2, watermark, reading, at);
    }

    /** Closes what is due and records it as judged, as the evaluation does. */
    static long close(EventClock clock, long now) {
        long due = clock.due(now);
        if (due != Long.MIN_VALUE) clock.judged(due);
        return due;
    }

    @Test
    void clockFollowsTheDataAndClosesSlicesGraceBehindTheNewest() {
        long now = 1_000_000;
        EventClock clock = clock(now);
        assertThat(close(clock, now)).as("no data yet, not idle: no clock").isEqualTo(Long.MIN_VALUE);
        assertThat(clock.accept("REQ-A", 500_000, 10, now)).isTrue();
        assertThat(close(clock, now)).as("a slice closes once data a grace newer than its end arrived").isEqualTo(499_000);
        assertThat(clock.accept("REQ-A", 498_000, 3, now)).as("its slice was judged").isFalse();
        assertThat(clock.accept("REQ-A", 499_000, 2, now)).as("within grace of the newest").isTrue();
        assertThat(clock.late("REQ-A")).isEqualTo(3);
        assertThat(clock.late("REQ-B")).isZero();
    }

    @Test
    void clockFallsBackToTheWallClockWhenInputIsIdle() {
        EventClock clock = clock(0);
        assertThat(close(clock, EventClock.STARTUP_IDLE_MS - 1)).as("waits for input after a start").isEqualTo(Long.MIN_VALUE);
        assertThat(close(clock, EventClock.STARTUP_IDLE_MS)).isEqualTo(EventClock.STARTUP_IDLE_MS - GRACE);
        assertThat(clock.accept("REQ-A", 10_000, 1, 40_000)).as("its slice was closed by the wall clock").isFalse();
        assertThat(clock.accept("REQ-A", 29_500, 1, 40_000)).isTrue();
        assertThat(close(clock, 40_000)).as("never moves back").isEqualTo(EventClock.STARTUP_IDLE_MS - GRACE);
        assertThat(close(clock, 40_000 + GRACE + SLICE)).as("idle for grace + slice").isEqualTo(40_000 + SLICE);
    }

    @Test
    void aPartitionWithABacklogHoldsTheClockWhereItIsSoThatItsDataIsNotLate() {
        long now = 1_000_000;
        EventClock clock = clock(now);
        SourceWatermarks sources = clock.sources();
        // Partition 0 replays fast, partition 1 is still 20 s behind it: both behind (a catch-up).
        sources.heard(watermark(0, 500_000, Reading.BEHIND, now), now);
        sources.heard(watermark(1, 480_000, Reading.BEHIND, now), now);
        assertThat(clock.accept("REQ-A", 500_000, 10, now)).isTrue();
        assertThat(close(clock, now)).as("the slowest partition with a backlog decides").isEqualTo(479_000);
        assertThat(clock.accept("REQ-A", 485_000, 4, now)).as("partition 1's data, 15 s behind the newest: on time").isTrue();
        assertThat(clock.late("REQ-A")).isZero();
        assertThat(sources.condition(now).input()).isEqualTo(SourceWatermarks.Condition.CATCHING_UP);
        assertThat(sources.condition(now).heldBy()).containsExactly("otlp_spans-0", "otlp_spans-1");
        // Partition 1 catches up: it is live, and holds nothing any more.
        sources.heard(watermark(1, 500_000, Reading.LIVE, now + 100), now + 100);
        sources.heard(watermark(0, 500_000, Reading.LIVE, now + 100), now + 100);
        assertThat(close(clock, now + 100)).as("live: the newest data decides, as with one watermark").isEqualTo(499_000);
        assertThat(sources.condition(now + 100)).isEqualTo(new SourceWatermarks.Condition("live", List.of()));
    }

    @Test
    void aPartitionThatFallsSilentOrCannotBeReadHoldsTheClockAndIsNotSilence() {
        long now = 1_000_000;
        EventClock clock = clock(now);
        SourceWatermarks sources = clock.sources();
        sources.heard(watermark(0, 500_000, Reading.LIVE, 999_800), now);
        sources.heard(watermark(1, 500_000, Reading.LIVE, 999_800), now);
        assertThat(clock.accept("REQ-A", 999_000, 10, now)).isTrue();
        // Nothing arrives any more: idle on the wall clock; partition 0 keeps saying it is read to its end,
        // partition 1 falls silent (its task stopped, or the broker does not answer).
        long later = now + 60_000;
        sources.heard(watermark(0, 500_000, Reading.LIVE, later - 200), later - 100);
        assertThat(close(clock, later)).as("partition 1 last said it was read to its end at 999.8 s: no further")
                .isEqualTo(998_000);
        assertThat(sources.condition(later)).isEqualTo(new SourceWatermarks.Condition("unreadable", List.of("otlp_spans-1")));
        sources.heard(watermark(1, 500_000, Reading.UNREADABLE, later), later);
        assertThat(close(clock, later)).as("unreadable: held where its data ended").isEqualTo(998_000);
        sources.heard(watermark(1, 500_000, Reading.LIVE, later), later);
        assertThat(close(clock, later)).as("readable again and read to its end: the wall clock closes silence")
                .isEqualTo(later - GRACE);
    }

    @Test
    void aPartitionOfAKnownTopicNotHeardFromYetHoldsEverything() {
        long now = 1_000_000;
        EventClock clock = clock(now);
        SourceWatermarks sources = clock.sources();
        sources.heard(watermark(0, 990_000, Reading.LIVE, now), now);
        assertThat(clock.accept("REQ-A", 990_000, 10, now)).isTrue();
        assertThat(close(clock, now)).as("the topic has two partitions; nobody reads partition 1 yet")
                .isEqualTo(Long.MIN_VALUE);
        assertThat(sources.condition(now).heldBy()).containsExactly("otlp_spans-1");
        sources.heard(watermark(1, Long.MIN_VALUE, Reading.LIVE, now), now);
        assertThat(close(clock, now)).as("an empty partition read to its end holds nothing").isEqualTo(989_000);
    }

    @Test
    void sourcesAndTheJudgedWindowSurviveARestartAndRestoredSourcesAreSilentUntilHeard() {
        long now = 1_000_000;
        MapWriter<SourceWatermarks.Source> sourceStore = new MapWriter<>();
        MapWriter<Long> judgedStore = new MapWriter<>();
        EventClock clock = new EventClock(SLICE, GRACE, now, sources(sourceStore), judgedStore);
        clock.sources().heard(watermark(0, 990_000, Reading.LIVE, now), now);
        clock.sources().heard(watermark(1, 980_000, Reading.BEHIND, now), now);
        clock.sources().heard(new RequirementEvent.SourceWatermark("old_topic", 0, 1, 0, Reading.BEHIND, now), now);
        assertThat(clock.accept("REQ-A", 990_000, 10, now)).isTrue();
        assertThat(close(clock, now)).isEqualTo(979_000);
        assertThat(judgedStore.written).containsEntry(EventClock.JUDGED_KEY, 979_000L);
        assertThat(sourceStore.written).containsOnlyKeys("otlp_spans-0", "otlp_spans-1");

        long restart = now + 5_000;
        EventClock restored = new EventClock(SLICE, GRACE, restart, sources(sourceStore), judgedStore);
        restored.restoreJudged(judgedStore.written.get(EventClock.JUDGED_KEY));
        sourceStore.written.forEach((key, source) -> restored.sources().restore(key, source));
        sourceStore.written.put("gone-0", new SourceWatermarks.Source("gone", 0, 1, 0, Reading.BEHIND, 0));
        restored.sources().restore("gone-0", sourceStore.written.get("gone-0"));
        assertThat(sourceStore.written).as("a topic no longer read is forgotten").doesNotContainKey("gone-0");
        assertThat(restored.accept("REQ-A", 978_000, 1, restart)).as("judged before the restart: late").isFalse();
        assertThat(restored.accept("REQ-A", 995_000, 1, restart)).isTrue();
        assertThat(restored.due(restart + 60_000)).as("held where the sources were: partition 1 was behind at 980 s")
                .isEqualTo(979_000);
        assertThat(ClockCodec.decodeSource(ClockCodec.encode(sourceStore.written.get("otlp_spans-1"))))
                .isEqualTo(sourceStore.written.get("otlp_spans-1"));
        assertThat(ClockCodec.decodeJudged(ClockCodec.encodeJudged(979_000))).isEqualTo(979_000);
    }

    @Test
    void aJumpOfTheClockJudgesEveryWindowInBetweenInOrder() {
        Harness task = new Harness();
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/rate", Targets.successRate("REQ-A", 0.9, "1s")), 0);
        long now = 1_000_000;
        // Healthy, then 5 s of errors, then healthy again: all of it read at once (a catch-up).
        for (long t = 900_000; t < 930_000; t += SLICE) {
            boolean bad = t >= 910_000 && t < 915_000;
            io.homeostat.aggregate.SpanAggregate spans = new io.homeostat.aggregate.SpanAggregate();
            for (int i = 0; i < 10; i++) spans.record(5, bad, () -> "0af7651916cd43dd8448eb211c80319c");
            task.evaluation.spans("REQ-A", new RequirementEvent.SlicePartial(t, spans), now);
        }
        task.clock.sources().heard(watermark(0, 905_000, Reading.BEHIND, now), now);
        task.clock.sources().heard(watermark(1, 905_000, Reading.BEHIND, now), now);
        task.evaluation.judge(now);
        assertThat(task.alerts).as("only what partition 0 and 1 allow: up to 904 s").isEmpty();
        task.clock.sources().heard(watermark(0, 929_000, Reading.LIVE, now), now);
        task.clock.sources().heard(watermark(1, 929_000, Reading.LIVE, now), now);
        task.evaluation.judge(now);
        assertThat(task.alerts).extracting(Alert::status).containsExactly(Alert.FIRING, Alert.RESOLVED);
        assertThat(task.alerts.get(0).windowEnd()).isEqualTo(io.homeostat.model.Timestamps.format(911_000));
        assertThat(task.alerts.get(1).windowEnd()).isEqualTo(io.homeostat.model.Timestamps.format(916_000));
        assertThat(task.alerts.get(1).resolvedReason()).isEqualTo(Alert.RESOLVED_TARGET_MET);
    }

    @Test
    void targetActivityMeasuresSilenceFromTheLastDataOrTheTargetsArrival() {
        MapWriter<TargetActivity.State> store = new MapWriter<>();
        TargetActivity activity = new TargetActivity(store);
        activity.applied("t", 5_000);
        activity.applied("t", 9_000);
        assertThat(store.written).containsEntry("t", new TargetActivity.State(5_000, Long.MIN_VALUE));
        assertThat(activity.silentSince("t", Long.MIN_VALUE, 20_000)).isEqualTo(5_000);
        assertThat(activity.silentSince("t", 12_000, 20_000)).isEqualTo(12_000);
        assertThat(activity.silentSince("t", 11_000, 21_000)).as("older data does not move it back").isEqualTo(12_000);
        assertThat(store.written).containsEntry("t", new TargetActivity.State(5_000, 12_000));
        activity.remove("t");
        assertThat(store.written).isEmpty();
    }

    @Test
    void unattributedCountsAddUpAndPublishWhatChangedOnce() {
        MapWriter<UnattributedStatus> store = new MapWriter<>();
        UnattributedCounts counts = new UnattributedCounts(store);
        assertThat(counts.add("checkout", 3, 0, 0, 2_000)).isTrue();
        assertThat(counts.add("checkout", 2, 1, 0, 1_000)).isFalse();
        assertThat(counts.add("portal", 0, 0, 4, 3_000)).isTrue();
        List<UnattributedStatus> changed = counts.drainChanged();
        assertThat(changed).extracting(UnattributedStatus::service).containsExactly("checkout", "portal");
        assertThat(changed.get(0).spans()).isEqualTo(5);
        assertThat(changed.get(0).dataPoints()).isEqualTo(1);
        assertThat(changed.get(0).lastSeen()).as("the newest sighting").isEqualTo("1970-01-01T00:00:02.000Z");
        assertThat(counts.drainChanged()).isEmpty();
        assertThat(store.written.get("checkout")).isEqualTo(changed.get(0));
    }

    @Test
    void statusIsRepublishedOnChangeOrAfterTheInterval() {
        StatusDedup dedup = new StatusDedup(30_000);
        assertThat(dedup.publish("t", status("ok", 10), 0)).isTrue();
        assertThat(dedup.publish("t", status("ok", 12), 5_000)).as("same state").isFalse();
        assertThat(dedup.publish("t", status("deviating", 12), 6_000)).isTrue();
        assertThat(dedup.publish("t", status("deviating", 12), 36_000)).as("the interval passed").isTrue();
        dedup.forget("t");
        assertThat(dedup.publish("t", status("deviating", 12), 37_000)).isTrue();
    }

    @Test
    void episodesWriteOnlyWhatChanged() {
        MapWriter<Episode> store = new MapWriter<>();
        Episodes episodes = new Episodes(store);
        Episode pending = new Episode("fp", Episode.Phase.PENDING, 1, null);
        episodes.set("t", pending);
        episodes.set("t", new Episode("fp", Episode.Phase.PENDING, 1, null));
        assertThat(store.writes).isEqualTo(1);
        assertThat(episodes.firing("t")).isFalse();
        episodes.set("t", null);
        episodes.set("t", null);
        assertThat(store.writes).isEqualTo(2);
        assertThat(Episodes.targetId(Episodes.noDataKey("REQ-A/span.count"))).isEqualTo("REQ-A/span.count");
        assertThat(Episodes.targetId("REQ-A/span.count")).isEqualTo("REQ-A/span.count");
    }

    @Test
    void aRequirementTaskFiresOnDegradedSpansAndResolvesWhenTheTargetIsDeleted() {
        Harness task = new Harness();
        Target latency = Targets.parse("""
                {"requirement": "REQ-A", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "window": "2s", "min_events": 5}""");
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/lat", latency), 0);
        assertThat(task.targets.written).containsKey("REQ-A/lat");
        for (int second = 0; second < 6; second++) {
            long now = 100_000 + second * SLICE;
            task.evaluation.spans("REQ-A", new RequirementEvent.SlicePartial(now, spans(20, 800)), now);
            task.evaluation.judge(now + SLICE);
        }
        assertThat(task.alerts).singleElement().satisfies(alert -> {
            assertThat(alert.firing()).isTrue();
            assertThat(alert.targetId()).isEqualTo("REQ-A/lat");
        });
        assertThat(task.episodes.written).containsKey("REQ-A/lat");
        assertThat(task.statuses).as("status published on change only").hasSizeLessThan(6)
                .last().satisfies(s -> assertThat(((TargetStatus) s).state()).isEqualTo(TargetStatus.FIRING));

        task.evaluation.targetDelete(new RequirementEvent.TargetDelete("REQ-A/lat"), 200_000);
        assertThat(task.alerts).last().satisfies(alert -> {
            assertThat(alert.status()).isEqualTo(Alert.RESOLVED);
            assertThat(alert.resolvedReason()).isEqualTo(Alert.RESOLVED_TARGET_DELETED);
        });
        assertThat(task.statuses).last().isNull();
        assertThat(task.targets.written).isEmpty();
        assertThat(task.episodes.written).isEmpty();
    }

    @Test
    void aLostEpisodeOfATargetThatStillFailsFiresAgainUnderItsFingerprint() {
        Harness task = new Harness();
        Target latency = Targets.parse("""
                {"requirement": "REQ-A", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "window": "2s", "min_events": 5}""");
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/lat", latency), 0);
        task.episodeState.markLost("REQ-A/lat");
        long now = 100_000;
        for (int second = 0; second < 4; second++) {
            now = 100_000 + second * SLICE;
            task.evaluation.spans("REQ-A", new RequirementEvent.SlicePartial(now, spans(20, 800)), now);
        }
        task.evaluation.judge(now);
        assertThat(task.alerts).singleElement().satisfies(alert -> {
            assertThat(alert.firing()).isTrue();
            assertThat(alert.fingerprint()).isEqualTo(io.homeostat.model.Fingerprints.alert("REQ-A/lat", Map.of()));
        });
        assertThat(task.episodeState.lost("REQ-A/lat")).isFalse();
    }

    @Test
    void aLostNoDataEpisodeResolvesWhenDataIsThere() {
        Harness task = new Harness();
        Target count = Targets.parse("""
                {"requirement": "REQ-A", "metric": "span.count", "target": 1, "operator": "gte", "window": "2s",
                 "notify_no_data": true, "no_data_after": "3s"}""");
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/count", count), 99_000);
        task.episodeState.markLost(Episodes.noDataKey("REQ-A/count"));
        long now = 100_000;
        for (int second = 0; second < 4; second++) {
            now = 100_000 + second * SLICE;
            task.evaluation.spans("REQ-A", new RequirementEvent.SlicePartial(now, spans(20, 10)), now);
        }
        task.evaluation.judge(now);
        assertThat(task.alerts).singleElement().satisfies(alert -> {
            assertThat(alert.kind()).isEqualTo(Alert.KIND_NO_DATA);
            assertThat(alert.status()).isEqualTo(Alert.RESOLVED);
            assertThat(alert.resolvedReason()).isEqualTo(Alert.RESOLVED_DATA_RETURNED);
            assertThat(alert.fingerprint()).isEqualTo(
                    io.homeostat.model.Fingerprints.alert("REQ-A/count", Map.of(), Alert.KIND_NO_DATA));
        });
    }

    static TargetStatus status(String state, long events) {
        return new TargetStatus(TargetStatus.KIND, "t", "REQ-A", "span.count", "gte", 1, null, state, 1.0, null, null,
                null, events, "a", "b", "c", null, null, 0, "live", List.of());
    }

    static io.homeostat.aggregate.SpanAggregate spans(int count, double durationMs) {
        io.homeostat.aggregate.SpanAggregate aggregate = new io.homeostat.aggregate.SpanAggregate();
        for (int i = 0; i < count; i++) aggregate.record(durationMs, false, () -> "0af7651916cd43dd8448eb211c80319c");
        return aggregate;
    }

    /** A requirement task on maps: spans only. */
    static final class Harness {
        final MapWriter<Target> targets = new MapWriter<>();
        final MapWriter<Episode> episodes = new MapWriter<>();
        final Episodes episodeState = new Episodes(episodes);
        final List<Alert> alerts = new java.util.ArrayList<>();
        final List<Object> statuses = new java.util.ArrayList<>();
        final RequirementEvaluation evaluation;
        final EventClock clock = EvaluationPartsTest.clock(0);

        Harness() {
            SpanSlices slices = new SpanSlices();
            RequirementEvaluation.State state = new RequirementEvaluation.State(slices, new TargetRegistry(targets),
                    episodeState, new TargetActivity(new MapWriter<>()), new UnattributedCounts(new MapWriter<>()), clock);
            evaluation = new RequirementEvaluation(SLICE, 30_000, false, state, new RequirementEvaluation.Output() {
                @Override
                public void alert(Alert alert, long now) {
                    alerts.add(alert);
                }

                @Override
                public void status(String key, Object status, long now) {
                    statuses.add(status);
                }
            }, new RequirementEvaluation.Counters() {
                @Override
                public void lateEvents(long events) {}

                @Override
                public void spansWindowed(long spans) {}

                @Override
                public void cumulativePointsIgnored(long points) {}
            });
        }
    }

    /** Span slices in a sorted map (no metrics). */
    static class SpanSlices implements SliceData {
        final java.util.TreeMap<String, java.util.TreeMap<Long, io.homeostat.aggregate.SpanAggregate>> slices =
                new java.util.TreeMap<>();

        @Override
        public void addSpans(String requirement, long sliceStart, io.homeostat.aggregate.SpanAggregate spans) {
            slices.computeIfAbsent(requirement, r -> new java.util.TreeMap<>())
                    .computeIfAbsent(sliceStart, s -> new io.homeostat.aggregate.SpanAggregate()).merge(spans);
        }

        @Override
        public void addMetric(String requirement, String metric, java.util.SortedMap<String, String> attributes,
                              long sliceStart, io.homeostat.aggregate.MetricAggregate delta) {
            throw new UnsupportedOperationException();
        }

        @Override
        public io.homeostat.aggregate.CumulativeSeries.Advance increases(String requirement,
                io.homeostat.aggregate.MetricPartial partial, long nowMs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public WindowData window(String requirement, long from, long to) {
            io.homeostat.aggregate.SpanAggregate merged = new io.homeostat.aggregate.SpanAggregate();
            long latest = Long.MIN_VALUE;
            for (var e : slices.getOrDefault(requirement, new java.util.TreeMap<>()).subMap(from, to).entrySet()) {
                merged.merge(e.getValue());
                latest = Math.max(latest, e.getKey() + SLICE);
            }
            WindowData.Windowed<io.homeostat.aggregate.SpanAggregate> spans = new WindowData.Windowed<>(merged, latest);
            return new WindowData() {
                @Override
                public Windowed<io.homeostat.aggregate.SpanAggregate> spans() {
                    return spans;
                }

                @Override
                public java.util.Optional<Windowed<io.homeostat.aggregate.MetricAggregate>> metric(
                        io.homeostat.model.MetricRef ref) {
                    return java.util.Optional.empty();
                }
            };
        }

        @Override
        public void purge(long cutoff) {
            slices.values().forEach(bySlice -> bySlice.headMap(cutoff).clear());
        }

        @Override
        public void forget(String requirement) {
            slices.remove(requirement);
        }

        @Override
        public void forgetSeries(SeriesRef series) {}
    }
}

package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.Alert;
import io.homeostat.model.Target;
import io.homeostat.model.TargetStatus;
import io.homeostat.model.UnattributedStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void clockFollowsTheDataAndClosesSlicesGraceBehindTheNewest() {
        long now = 1_000_000;
        EventClock clock = new EventClock(SLICE, GRACE, now);
        assertThat(clock.close(now)).as("no data yet, not idle: no clock").isEqualTo(Long.MIN_VALUE);
        assertThat(clock.accept("REQ-A", 500_000, 10, now)).isTrue();
        assertThat(clock.close(now)).as("a slice closes once data a grace newer than its end arrived").isEqualTo(499_000);
        assertThat(clock.accept("REQ-A", 498_000, 3, now)).as("its slice was judged").isFalse();
        assertThat(clock.accept("REQ-A", 499_000, 2, now)).as("within grace of the newest").isTrue();
        assertThat(clock.late("REQ-A")).isEqualTo(3);
        assertThat(clock.late("REQ-B")).isZero();
    }

    @Test
    void clockFallsBackToTheWallClockWhenInputIsIdle() {
        EventClock clock = new EventClock(SLICE, GRACE, 0);
        assertThat(clock.close(EventClock.STARTUP_IDLE_MS - 1)).as("waits for input after a start").isEqualTo(Long.MIN_VALUE);
        assertThat(clock.close(EventClock.STARTUP_IDLE_MS)).isEqualTo(EventClock.STARTUP_IDLE_MS - GRACE);
        assertThat(clock.accept("REQ-A", 10_000, 1, 40_000)).as("its slice was closed by the wall clock").isFalse();
        assertThat(clock.accept("REQ-A", 29_500, 1, 40_000)).isTrue();
        assertThat(clock.close(40_000)).as("never moves back").isEqualTo(EventClock.STARTUP_IDLE_MS - GRACE);
        assertThat(clock.close(40_000 + GRACE + SLICE)).as("idle for grace + slice").isEqualTo(40_000 + SLICE);
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
                null, events, "a", "b", "c", null, null, 0);
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

        Harness() {
            SpanSlices slices = new SpanSlices();
            RequirementEvaluation.State state = new RequirementEvaluation.State(slices, new TargetRegistry(targets),
                    episodeState, new TargetActivity(new MapWriter<>()), new UnattributedCounts(new MapWriter<>()));
            evaluation = new RequirementEvaluation(SLICE, GRACE, 30_000, false, state, new RequirementEvaluation.Output() {
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
            }, 0);
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

package io.homeostat.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.homeostat.aggregate.CumulativeSeries;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.evaluate.AlertLifecycle;
import io.homeostat.evaluate.Episode;
import io.homeostat.evaluate.Evaluator;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.evaluate.TargetMeasurer;
import io.homeostat.evaluate.Verdict;
import io.homeostat.evaluate.WindowData;
import io.homeostat.model.Alert;
import io.homeostat.model.Durations;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import io.homeostat.model.TargetStatus;
import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the requirements of one partition: merges their slices, holds their targets and alert episodes,
 * and on a wall-clock punctuator (every slice) judges every target over its window, publishing alert
 * changes and status. The punctuator runs on the wall clock because stream time stops when input stops,
 * and verdicts (and no-data) must not.
 *
 * <p>Which slices are closed follows the data's own clock while data flows: the watermark is the start of
 * the newest slice seen, and a window ends {@code grace} before it: data up to {@code grace} older than the
 * newest is never late. So export delays, consumer lag, a restart or a replay of old data do not make data
 * "late". When no data has arrived for
 * {@code grace + slice} of wall time, the input is idle and the wall clock closes slices instead. A
 * window is a whole number of slices; data for a slice that a verdict already covered is late: counted,
 * never merged into it.
 */
final class EvaluateProcessor implements Processor<String, RequirementEvent, String, Object> {
    static final String NAME = "evaluate";
    /** Children, by what they receive: alert changes (alerts topic; intents), status records (status topic). */
    static final String ALERTS = "alerts";
    static final String INTENTS = "intents-from-alerts";
    static final String STATUS = "status";
    static final String TARGETS_STORE = "targets";
    static final String EPISODES_STORE = "alert-episodes";
    static final String TARGET_STATE_STORE = "target-state";
    static final String UNATTRIBUTED_STORE = "unattributed-counts";
    static final String[] STORES = {RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
        RequirementWindows.SERIES_STORE, TARGETS_STORE, EPISODES_STORE, TARGET_STATE_STORE, UNATTRIBUTED_STORE};
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateProcessor.class);
    /**
     * Before its first data a task waits this long before judging silence on the wall clock: after a
     * (re)start, input already on Kafka must first reach the task, or it would all count as late.
     */
    static final long STARTUP_IDLE_MS = 30_000;
    /** Cumulative series not updated for this long are forgotten (their next point is a new baseline). */
    static final long SERIES_TTL_MS = 3_600_000;
    private static final String NO_DATA_SUFFIX = "#no_data";

    private final long sliceMs;
    private final long graceMs;
    private final long statusIntervalMs;
    private final boolean requireReqTags;
    private final boolean alertOnDeviation;
    private ProcessorContext<String, Object> context;
    private RequirementWindows windows;
    private KeyValueStore<String, byte[]> targetStore;
    private KeyValueStore<String, byte[]> episodeStore;
    private KeyValueStore<String, byte[]> targetStateStore;
    private KeyValueStore<String, byte[]> unattributedStore;
    /** Mirrors of the stores, read on every punctuation; the stores are the truth on restore. */
    private final Map<String, Target> targets = new TreeMap<>();
    private final Map<String, Episode> episodes = new HashMap<>();
    private final Map<String, TargetState> targetStates = new HashMap<>();
    private final Map<String, UnattributedStatus> unattributed = new TreeMap<>();
    private final Set<String> unattributedChanged = new LinkedHashSet<>();
    private final Map<String, TargetStatus> lastStatus = new HashMap<>();
    private final Map<String, Long> lastStatusAt = new HashMap<>();
    private final Map<String, Long> lateByRequirement = new HashMap<>();
    /** End of the newest slice that received data (event time), or {@link Long#MIN_VALUE}. */
    private long watermark = Long.MIN_VALUE;
    /** Wall time the last data arrived (or the task started). */
    private long lastInputWallTime;
    private boolean sawInput;
    /** End of the newest window judged; never moves back. Slices ending at or before it are closed. */
    private long closedUpTo = Long.MIN_VALUE;
    private long punctuations;
    private TaskMetrics metrics;
    private Sensor lateEvents;
    private Sensor spansWindowed;
    private Sensor ignoredPoints;
    private Sensor alertsPublished;

    /** Records forwarded so far; a punctuation that forwarded any asks for a commit. */
    private long emitted;

    /** When a target appeared, and when its data was last seen (event time); for no-data. */
    record TargetState(long appliedAt, long lastSeen) {}

    EvaluateProcessor(long sliceMs, long graceMs, long statusIntervalMs, boolean requireReqTags, boolean alertOnDeviation) {
        this.alertOnDeviation = alertOnDeviation;
        this.sliceMs = sliceMs;
        this.graceMs = graceMs;
        this.statusIntervalMs = statusIntervalMs;
        this.requireReqTags = requireReqTags;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        windows = new RequirementWindows(sliceMs, context.getStateStore(RequirementWindows.SPAN_SLICES_STORE),
                context.getStateStore(RequirementWindows.METRIC_SLICES_STORE),
                context.getStateStore(RequirementWindows.SERIES_STORE));
        targetStore = context.getStateStore(TARGETS_STORE);
        episodeStore = context.getStateStore(EPISODES_STORE);
        targetStateStore = context.getStateStore(TARGET_STATE_STORE);
        unattributedStore = context.getStateStore(UNATTRIBUTED_STORE);
        metrics = new TaskMetrics(context);
        lateEvents = metrics.counter("late-events-dropped",
                "Spans and metric observations that arrived after their slice was judged (slice + grace): counted, not merged");
        spansWindowed = metrics.counter("spans-windowed",
                "Spans merged into their requirement's slices (those that came too late are in late-events-dropped)");
        ignoredPoints = metrics.counter("cumulative-points-ignored",
                "Cumulative metric points no newer than their series' previous point (duplicates, out of order)");
        alertsPublished = metrics.counter("alerts-published", "Alert records published (firing, severity change, resolved)");
        loadTargets();
        load(episodeStore, Episode.class, episodes);
        load(targetStateStore, TargetState.class, targetStates);
        load(unattributedStore, UnattributedStatus.class, unattributed);
        lastInputWallTime = context.currentSystemTimeMs();
        context.schedule(Duration.ofMillis(sliceMs), PunctuationType.WALL_CLOCK_TIME, this::evaluate);
    }

    private void loadTargets() {
        try (KeyValueIterator<String, byte[]> it = targetStore.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                try {
                    targets.put(entry.key, TargetParser.parse(entry.value));
                } catch (InvalidTargetException e) {
                    LOG.error("Stored target {} no longer parses and is skipped: {}", entry.key, e.getMessage());
                }
            }
        }
        if (!targets.isEmpty()) {
            LOG.info("Task {}: {} targets active: {}", context.taskId(), targets.size(), targets.keySet());
        }
    }

    private static <T> void load(KeyValueStore<String, byte[]> store, Class<T> type, Map<String, T> into) {
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                try {
                    into.put(entry.key, Json.MAPPER.readValue(entry.value, type));
                } catch (java.io.IOException e) {
                    LOG.error("Stored {} of {} is unreadable and is dropped: {}", type.getSimpleName(), entry.key,
                            e.getMessage());
                }
            }
        }
    }

    @Override
    public void process(Record<String, RequirementEvent> record) {
        RequirementEvent event = record.value();
        long now = context.currentSystemTimeMs();
        if (event instanceof RequirementEvent.SlicePartial partial) {
            if (accept(record.key(), partial.sliceStart(), partial.spans().count(), now)) {
                windows.addSpans(record.key(), partial.sliceStart(), partial.spans());
                spansWindowed.record(partial.spans().count());
            }
        } else if (event instanceof RequirementEvent.MetricSlice metric) {
            mergeMetric(record.key(), metric.partial(), now);
        } else if (event instanceof RequirementEvent.Unattributed counts) {
            countUnattributed(counts);
        } else if (event instanceof RequirementEvent.TargetUpsert upsert) {
            applyTarget(upsert.targetId(), upsert.target(), now);
        } else if (event instanceof RequirementEvent.TargetDelete delete) {
            removeTarget(delete.targetId(), now);
        }
    }

    /** Data for a slice: advances the watermark, or is late (counted) when its slice was judged already. */
    private boolean accept(String requirement, long sliceStart, long events, long now) {
        lastInputWallTime = now;
        sawInput = true;
        long sliceEnd = sliceStart + sliceMs;
        if (sliceEnd <= closedUpTo) {
            lateEvents.record(events);
            lateByRequirement.merge(requirement, events, Long::sum);
            return false;
        }
        // The start of the newest slice, not its end: a slice then closes only once data at least `grace` newer
        // than its end has arrived, so anything up to `grace` behind the newest data is on time (with the end, a
        // span just past a slice boundary would close the slice before it with no grace at all).
        watermark = Math.max(watermark, Math.min(sliceStart, now));
        return true;
    }

    private void mergeMetric(String requirement, MetricPartial partial, long now) {
        if (partial.delta() != null) {
            if (accept(requirement, partial.sliceStart(), partial.delta().events(), now)) {
                windows.addMetric(requirement, partial.metric(), partial.attributes(), partial.sliceStart(), partial.delta());
            }
            return;
        }
        CumulativeSeries.Advance advance = windows.increases(requirement, partial, now);
        for (CumulativeSeries.Increase increase : advance.increases()) {
            if (accept(requirement, increase.sliceStart(), increase.delta().events(), now)) {
                windows.addMetric(requirement, partial.metric(), partial.attributes(), increase.sliceStart(), increase.delta());
            }
        }
        if (advance.ignored() > 0) ignoredPoints.record(advance.ignored());
        lastInputWallTime = now;
        sawInput = true;
    }

    private void countUnattributed(RequirementEvent.Unattributed counts) {
        UnattributedStatus before = unattributed.get(counts.service());
        long seenAt = Math.max(counts.seenAtMs(), before == null ? Long.MIN_VALUE : Timestamps.parse(before.lastSeen()));
        UnattributedStatus after = new UnattributedStatus(UnattributedStatus.KIND, counts.service(),
                (before == null ? 0 : before.spans()) + counts.spans(),
                (before == null ? 0 : before.dataPoints()) + counts.dataPoints(),
                (before == null ? 0 : before.logRecords()) + counts.logRecords(), Timestamps.format(seenAt));
        if (before == null && requireReqTags) {
            // Implements: REQ-RUNTIME-001 (require_req_tags: untagged telemetry is reported, not ignored)
            LOG.warn("Service {} sends telemetry without a requirement attribute (require_req_tags): it cannot be judged "
                    + "against any target; counted on the status topic as {}", counts.service(),
                    UnattributedStatus.key(counts.service()));
        }
        unattributed.put(counts.service(), after);
        unattributedStore.put(counts.service(), bytes(after));
        unattributedChanged.add(counts.service());
    }

    private void applyTarget(String targetId, Target target, long now) {
        Target previous = targets.put(targetId, target);
        targetStore.put(targetId, bytes(target.toJson()));
        if (!targetStates.containsKey(targetId)) putState(targetId, new TargetState(now, Long.MIN_VALUE));
        LOG.info("Target {} {}: {} {} {} {}window {}", targetId, previous == null ? "loaded" : "updated",
                target.ratio() == null ? target.metric() : target.metric() + " (ratio)", target.operator().code(),
                target.target(), target.alertThreshold() == null ? "" : "alert_threshold " + target.alertThreshold() + " ",
                Durations.format(target.window()));
    }

    private void removeTarget(String targetId, long now) {
        Target removed = targets.remove(targetId);
        targetStore.delete(targetId);
        apply(targetId, AlertLifecycle.deleted(episodes.get(targetId), now), now);
        apply(targetId + NO_DATA_SUFFIX, AlertLifecycle.deleted(episodes.get(targetId + NO_DATA_SUFFIX), now), now);
        targetStates.remove(targetId);
        targetStateStore.delete(targetId);
        lastStatus.remove(targetId);
        lastStatusAt.remove(targetId);
        if (removed != null) {
            emitStatus(targetId, null, now);
            LOG.info("Target {} removed", targetId);
        }
    }

    // Implements: REQ-RUNTIME-002 (deviation detection, every slice, by wall clock)
    private void evaluate(long now) {
        long emittedBefore = emitted;
        judge(now);
        // Alerts and status are visible once committed: ask for it now rather than at the next commit interval.
        if (emitted > emittedBefore) context.commit();
    }

    private void judge(long now) {
        punctuations++;
        long idleAfter = sawInput ? graceMs + sliceMs : Math.max(graceMs + sliceMs, STARTUP_IDLE_MS);
        boolean idle = now - lastInputWallTime >= idleAfter;
        long clock = idle ? now : Math.min(now, watermark);
        if (clock != Long.MIN_VALUE) {
            long windowEnd = Math.max(closedUpTo, Math.floorDiv(clock - graceMs, sliceMs) * sliceMs);
            closedUpTo = windowEnd;
            Map<String, WindowData> cache = new HashMap<>();
            for (Map.Entry<String, Target> entry : targets.entrySet()) {
                evaluate(entry.getKey(), entry.getValue(), windowEnd, now, cache);
            }
            windows.purge(windowEnd - retentionMs(), punctuations % 60 == 0 ? now - SERIES_TTL_MS : Long.MIN_VALUE);
        }
        publishUnattributed(now);
    }

    private void evaluate(String targetId, Target target, long windowEnd, long now, Map<String, WindowData> cache) {
        long windowMs = windowMs(target.window());
        long windowStart = windowEnd - windowMs;
        WindowData data = cache.computeIfAbsent(target.requirement() + "\u0000" + windowStart,
                k -> windows.window(target.requirement(), windowStart, windowEnd));
        TargetMeasurer.Result measured = TargetMeasurer.measure(target, data, Duration.ofMillis(windowMs));
        Verdict verdict = Evaluator.judge(target, measured.measurement(), windowStart, windowEnd);
        apply(targetId, AlertLifecycle.next(targetId, target, verdict, episodes.get(targetId), now), now);

        TargetState state = targetStates.getOrDefault(targetId, new TargetState(now, Long.MIN_VALUE));
        if (measured.latestSliceEnd() > state.lastSeen()) {
            state = new TargetState(state.appliedAt(), measured.latestSliceEnd());
            putState(targetId, state);
        }
        long silentSince = state.lastSeen() != Long.MIN_VALUE ? state.lastSeen() : state.appliedAt();
        String noDataKey = targetId + NO_DATA_SUFFIX;
        apply(noDataKey, AlertLifecycle.nextNoData(targetId, target, silentSince, windowEnd, windowStart,
                verdict.events(), episodes.get(noDataKey), now), now);

        publishStatus(targetId, target, verdict, now);
    }

    private void publishStatus(String targetId, Target target, Verdict verdict, long now) {
        Episode deviation = episodes.get(targetId);
        Episode noData = episodes.get(targetId + NO_DATA_SUFFIX);
        boolean firing = deviation != null && deviation.phase() == Episode.Phase.FIRING;
        boolean silent = noData != null && noData.phase() == Episode.Phase.FIRING;
        String state = firing ? TargetStatus.FIRING : switch (verdict.state()) {
            case OK -> TargetStatus.OK;
            case DEVIATING, VIOLATED -> TargetStatus.DEVIATING;
            case INSUFFICIENT_DATA -> TargetStatus.INSUFFICIENT_DATA;
            case NO_EVENTS -> TargetStatus.NO_DATA;
        };
        if (silent && !firing) state = TargetStatus.NO_DATA;
        Episode open = firing ? deviation : silent ? noData : null;
        TargetStatus status = new TargetStatus(TargetStatus.KIND, targetId, target.requirement(), target.metric(),
                target.operator().code(), target.target(), target.alertThreshold(), state, verdict.actual(),
                verdict.goodRatio(), verdict.deviationPercent(), verdict.severity(), verdict.events(),
                Timestamps.format(verdict.windowStart()), Timestamps.format(verdict.windowEnd()), Timestamps.format(now),
                open == null ? null : open.lastAlert().alertId(), open == null ? null : open.lastAlert().startsAt(),
                lateByRequirement.getOrDefault(target.requirement(), 0L));
        Long lastAt = lastStatusAt.get(targetId);
        if (status.sameStateAs(lastStatus.get(targetId)) && lastAt != null && now - lastAt < statusIntervalMs) return;
        lastStatus.put(targetId, status);
        lastStatusAt.put(targetId, now);
        emitStatus(targetId, status, now);
    }

    private void publishUnattributed(long now) {
        for (String service : unattributedChanged) {
            String key = UnattributedStatus.key(service);
            emitStatus(key, unattributed.get(service), now);
        }
        unattributedChanged.clear();
    }

    /** A window is a whole number of slices, rounded up. */
    private long windowMs(Duration window) {
        long slicesInWindow = Math.max(1, (window.toMillis() + sliceMs - 1) / sliceMs);
        return slicesInWindow * sliceMs;
    }

    private void apply(String episodeKey, AlertLifecycle.Transition transition, long now) {
        for (Alert alert : transition.alerts()) {
            emitAlert(alert, now);
            alertsPublished.record();
            LOG.info("Alert {} {} {} {} {}: actual {} vs {} {}{} over {} events [{} .. {}){}", alert.status().toUpperCase(),
                    alert.kind(), alert.severity(), alert.targetId(), alert.alertId(), alert.actual(), alert.operator(),
                    alert.target(), alert.goodRatio() == null ? "" : " (good ratio " + alert.goodRatio() + ")",
                    alert.events(), alert.windowStart(), alert.windowEnd(),
                    alert.resolvedReason() == null ? "" : " (" + alert.resolvedReason() + ")");
        }
        Episode before = episodes.get(episodeKey);
        Episode after = transition.episode();
        if (Objects.equals(before, after)) return;
        if (after == null) {
            episodes.remove(episodeKey);
            episodeStore.delete(episodeKey);
        } else {
            episodes.put(episodeKey, after);
            episodeStore.put(episodeKey, bytes(after));
        }
    }

    private void putState(String targetId, TargetState state) {
        targetStates.put(targetId, state);
        targetStateStore.put(targetId, bytes(state));
    }

    /** Slices are kept as long as the longest window needs them (at least the default window). */
    private long retentionMs() {
        long longest = windowMs(Target.DEFAULT_WINDOW);
        for (Target target : targets.values()) longest = Math.max(longest, windowMs(target.window()));
        return longest;
    }

    /** Every alert change makes (at most) an intent; deviation alerts are published unless alert_on_deviation is off. */
    private void emitAlert(Alert alert, long now) {
        emitted++;
        Record<String, Alert> record = new Record<>(alert.fingerprint(), alert, now);
        if (alertOnDeviation || !Alert.KIND_DEVIATION.equals(alert.kind())) context.forward(record, ALERTS);
        context.forward(record, INTENTS);
    }

    /** A {@link TargetStatus}, an {@link UnattributedStatus}, or {@code null} (a tombstone) for a deleted target. */
    private void emitStatus(String key, Object status, long now) {
        emitted++;
        context.forward(new Record<>(key, status, now), STATUS);
    }

    private static byte[] bytes(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

package io.homeostat.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.evaluate.AlertLifecycle;
import io.homeostat.evaluate.Episode;
import io.homeostat.evaluate.Evaluator;
import io.homeostat.evaluate.Measurement;
import io.homeostat.evaluate.SpanMeasurer;
import io.homeostat.evaluate.SpanSli;
import io.homeostat.evaluate.Verdict;
import io.homeostat.model.Alert;
import io.homeostat.model.Durations;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * and on a wall-clock punctuator (every slice) judges every target over its window and publishes alert
 * changes. The punctuator runs on the wall clock because stream time stops when input stops, and
 * verdicts (and no-data) must not.
 *
 * <p>Which slices are closed follows the data's own clock while data flows: the watermark is the end of
 * the newest slice seen, and a window ends {@code grace} before it. So export delays, consumer lag, a
 * restart or a replay of old data do not make data "late". When no data has arrived for
 * {@code grace + slice} of wall time, the input is idle and the wall clock closes slices instead. A
 * window is a whole number of slices; data for a slice that a verdict already covered is late: counted,
 * never merged into it.
 */
final class EvaluateProcessor implements Processor<String, RequirementEvent, String, Alert> {
    static final String SLICES_STORE = "requirement-slices";
    static final String TARGETS_STORE = "targets";
    static final String EPISODES_STORE = "alert-episodes";
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateProcessor.class);
    /**
     * Before its first data a task waits this long before judging silence on the wall clock: after a
     * (re)start, input already on Kafka must first reach the task, or it would all count as late.
     */
    static final long STARTUP_IDLE_MS = 30_000;

    private final long sliceMs;
    private final long graceMs;
    private ProcessorContext<String, Alert> context;
    private KeyValueStore<Bytes, byte[]> slices;
    private KeyValueStore<String, byte[]> targetStore;
    private KeyValueStore<String, byte[]> episodeStore;
    /** Mirrors of the stores, read on every punctuation; the stores are the truth on restore. */
    private final Map<String, Target> targets = new TreeMap<>();
    private final Map<String, Episode> episodes = new HashMap<>();
    /** End of the newest slice that received data (event time), or {@link Long#MIN_VALUE}. */
    private long watermark = Long.MIN_VALUE;
    /** Wall time the last partial arrived (or the task started). */
    private long lastInputWallTime;
    private boolean sawInput;
    /** End of the newest window judged; never moves back. Slices ending at or before it are closed. */
    private long closedUpTo = Long.MIN_VALUE;
    private TaskMetrics metrics;
    private Sensor lateSlices;
    private Sensor alertsPublished;

    EvaluateProcessor(long sliceMs, long graceMs) {
        this.sliceMs = sliceMs;
        this.graceMs = graceMs;
    }

    @Override
    public void init(ProcessorContext<String, Alert> context) {
        this.context = context;
        slices = context.getStateStore(SLICES_STORE);
        targetStore = context.getStateStore(TARGETS_STORE);
        episodeStore = context.getStateStore(EPISODES_STORE);
        metrics = new TaskMetrics(context);
        lateSlices = metrics.counter("late-spans-dropped",
                "Spans that arrived after their slice closed (slice + grace), counted and not merged");
        alertsPublished = metrics.counter("alerts-published", "Alert records published (firing, severity change, resolved)");
        loadTargets();
        loadEpisodes();
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

    private void loadEpisodes() {
        try (KeyValueIterator<String, byte[]> it = episodeStore.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                try {
                    episodes.put(entry.key, Json.MAPPER.readValue(entry.value, Episode.class));
                } catch (java.io.IOException e) {
                    LOG.error("Stored alert episode of {} is unreadable and is dropped: {}", entry.key, e.getMessage());
                }
            }
        }
    }

    @Override
    public void process(Record<String, RequirementEvent> record) {
        RequirementEvent event = record.value();
        if (event instanceof RequirementEvent.SlicePartial partial) {
            mergeSlice(record.key(), partial);
        } else if (event instanceof RequirementEvent.TargetUpsert upsert) {
            Target previous = targets.put(upsert.targetId(), upsert.target());
            targetStore.put(upsert.targetId(), bytes(upsert.target().toJson()));
            LOG.info("Target {} {}: {} {} {} {}{}", upsert.targetId(), previous == null ? "loaded" : "updated",
                    upsert.target().metric(), upsert.target().operator().code(), upsert.target().target(),
                    upsert.target().alertThreshold() == null ? "" : "alert_threshold " + upsert.target().alertThreshold() + " ",
                    "window " + Durations.format(upsert.target().window()));
            if (SpanSli.of(upsert.target().metric()).isEmpty()) {
                LOG.warn("Target {} names metric '{}', which is not a span SLI ({}); it will see no events until "
                        + "OTLP metrics are evaluated", upsert.targetId(), upsert.target().metric(), spanSliNames());
            }
        } else if (event instanceof RequirementEvent.TargetDelete delete) {
            targets.remove(delete.targetId());
            targetStore.delete(delete.targetId());
            long now = context.currentSystemTimeMs();
            apply(delete.targetId(), AlertLifecycle.deleted(episodes.get(delete.targetId()), now), now);
            LOG.info("Target {} removed", delete.targetId());
        }
    }

    private void mergeSlice(String requirement, RequirementEvent.SlicePartial partial) {
        long now = context.currentSystemTimeMs();
        lastInputWallTime = now;
        sawInput = true;
        long sliceEnd = partial.sliceStart() + sliceMs;
        if (sliceEnd <= closedUpTo) {
            lateSlices.record(partial.spans().count());
            return;
        }
        watermark = Math.max(watermark, sliceEnd);
        Bytes key = SliceStoreKeys.key(requirement, partial.sliceStart());
        byte[] existing = slices.get(key);
        SpanAggregate merged = partial.spans();
        if (existing != null) {
            merged = SpanAggregateCodec.decode(existing);
            merged.merge(partial.spans());
        }
        slices.put(key, SpanAggregateCodec.encode(merged));
    }

    // Implements: REQ-RUNTIME-002 (deviation detection, every slice, by wall clock)
    private void evaluate(long now) {
        long idleAfter = sawInput ? graceMs + sliceMs : Math.max(graceMs + sliceMs, STARTUP_IDLE_MS);
        boolean idle = now - lastInputWallTime >= idleAfter;
        long clock = idle ? now : Math.min(now, watermark);
        if (clock == Long.MIN_VALUE) return; // no data yet, and not idle long enough to judge silence
        long windowEnd = Math.max(closedUpTo, Math.floorDiv(clock - graceMs, sliceMs) * sliceMs);
        closedUpTo = windowEnd;
        Map<WindowKey, SpanAggregate> windows = new HashMap<>();
        for (Map.Entry<String, Target> entry : targets.entrySet()) {
            String targetId = entry.getKey();
            Target target = entry.getValue();
            Optional<SpanSli> sli = SpanSli.of(target.metric());
            if (sli.isEmpty()) continue;
            long windowMs = windowMs(target.window());
            long windowStart = windowEnd - windowMs;
            SpanAggregate window = windows.computeIfAbsent(new WindowKey(target.requirement(), windowStart),
                    k -> mergeSlices(k.requirement(), windowStart, windowEnd));
            Measurement measurement = SpanMeasurer.measure(sli.get(), target, window, Duration.ofMillis(windowMs));
            Verdict verdict = Evaluator.judge(target, measurement, windowStart, windowEnd);
            apply(targetId, AlertLifecycle.next(targetId, target, verdict, episodes.get(targetId), now), now);
        }
        purgeSlicesBefore(windowEnd - retentionMs());
    }

    /** A window is a whole number of slices, rounded up. */
    private long windowMs(Duration window) {
        long slicesInWindow = Math.max(1, (window.toMillis() + sliceMs - 1) / sliceMs);
        return slicesInWindow * sliceMs;
    }

    private SpanAggregate mergeSlices(String requirement, long from, long to) {
        SpanAggregate window = new SpanAggregate();
        try (KeyValueIterator<Bytes, byte[]> it =
                     slices.range(SliceStoreKeys.key(requirement, from), SliceStoreKeys.key(requirement, to - 1))) {
            while (it.hasNext()) window.merge(SpanAggregateCodec.decode(it.next().value));
        }
        return window;
    }

    private void apply(String targetId, AlertLifecycle.Transition transition, long now) {
        for (Alert alert : transition.alerts()) {
            context.forward(new Record<>(alert.fingerprint(), alert, now));
            alertsPublished.record();
            LOG.info("Alert {} {} {} {}: actual {} vs {} {}{} over {} events [{} .. {})",
                    alert.status().toUpperCase(), alert.severity(), alert.targetId(), alert.alertId(),
                    alert.actual(), alert.operator(), alert.target(),
                    alert.goodRatio() == null ? "" : " (good ratio " + alert.goodRatio() + ")",
                    alert.events(), alert.windowStart(), alert.windowEnd());
        }
        Episode before = episodes.get(targetId);
        Episode after = transition.episode();
        if (Objects.equals(before, after)) return;
        if (after == null) {
            episodes.remove(targetId);
            episodeStore.delete(targetId);
        } else {
            episodes.put(targetId, after);
            episodeStore.put(targetId, bytes(after));
        }
    }

    /** Slices are kept as long as the longest window needs them (at least the default window). */
    private long retentionMs() {
        long longest = windowMs(Target.DEFAULT_WINDOW);
        for (Target target : targets.values()) longest = Math.max(longest, windowMs(target.window()));
        return longest;
    }

    private void purgeSlicesBefore(long cutoff) {
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = slices.all()) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (SliceStoreKeys.sliceStart(key) < cutoff) expired.add(key);
            }
        }
        expired.forEach(slices::delete);
    }

    private static String spanSliNames() {
        StringBuilder names = new StringBuilder();
        for (SpanSli sli : SpanSli.values()) names.append(names.isEmpty() ? "" : ", ").append(sli.metric());
        return names.toString();
    }

    private static byte[] bytes(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private record WindowKey(String requirement, long windowStart) {}

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

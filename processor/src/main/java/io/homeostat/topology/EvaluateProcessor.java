package io.homeostat.topology;

import io.homeostat.evaluate.CardinalityGuard;
import io.homeostat.evaluate.CardinalityLimits;
import io.homeostat.evaluate.ClockCodec;
import io.homeostat.evaluate.Episode;
import io.homeostat.evaluate.EventClock;
import io.homeostat.evaluate.SourceWatermarks;
import io.homeostat.evaluate.Episodes;
import io.homeostat.evaluate.RequirementEvaluation;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.evaluate.SeriesRef;
import io.homeostat.evaluate.SloTracker;
import io.homeostat.evaluate.StateCodec;
import io.homeostat.evaluate.StateWriter;
import io.homeostat.evaluate.StatusCodec;
import io.homeostat.evaluate.TargetActivity;
import io.homeostat.evaluate.TargetRegistry;
import io.homeostat.evaluate.UnattributedCounts;
import io.homeostat.model.Alert;
import io.homeostat.model.TargetStatus;
import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.common.metrics.Sensor;
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
 * Kafka's side of a requirement task ({@link RequirementEvaluation} is the work): hands each event of the
 * requirement-events topic to the evaluation, runs its verdicts on a wall-clock punctuator (every slice:
 * stream time stops when input stops, and verdicts and no-data must not), writes its state through to the
 * changelogged stores and reads it back on start, counts, and forwards each alert change to the alerts and
 * intents children and each status to the status child.
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
    static final String CLOCK_STORE = "event-clock";
    /** Each target's latest verdict, for the status API and /metrics: in memory, not changelogged (see addStores). */
    static final String TARGET_STATUS_STORE = "target-status";
    static final String[] STORES = {RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
        RequirementWindows.SERIES_STORE, TARGETS_STORE, EPISODES_STORE, TARGET_STATE_STORE, UNATTRIBUTED_STORE,
        CLOCK_STORE, TARGET_STATUS_STORE, SloCounts.STORE};

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateProcessor.class);

    private final long sliceMs;
    private final long graceMs;
    private final long statusIntervalMs;
    private final boolean requireReqTags;
    private final boolean alertOnDeviation;
    private final CardinalityLimits limits;
    private final Set<String> watermarkTopics;
    private ProcessorContext<String, Object> context;
    private RequirementEvaluation evaluation;
    private TaskMetrics metrics;
    private Sensor alertsPublished;
    /** Records forwarded so far; a punctuation that forwarded any asks for a commit. */
    private long emitted;

    /** @param watermarkTopics the input topics whose partitions' watermarks close slices (spans, metrics) */
    EvaluateProcessor(long sliceMs, long graceMs, long statusIntervalMs, boolean requireReqTags, boolean alertOnDeviation,
                      Set<String> watermarkTopics) {
        this(sliceMs, graceMs, statusIntervalMs, requireReqTags, alertOnDeviation, watermarkTopics,
                CardinalityLimits.defaults());
    }

    EvaluateProcessor(long sliceMs, long graceMs, long statusIntervalMs, boolean requireReqTags, boolean alertOnDeviation,
                      Set<String> watermarkTopics, CardinalityLimits limits) {
        this.limits = limits;
        this.watermarkTopics = Set.copyOf(watermarkTopics);
        this.sliceMs = sliceMs;
        this.graceMs = graceMs;
        this.statusIntervalMs = statusIntervalMs;
        this.requireReqTags = requireReqTags;
        this.alertOnDeviation = alertOnDeviation;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        metrics = new TaskMetrics(context);
        Sensor lateEvents = metrics.counter("late-events-dropped",
                "Spans and metric observations that arrived after their slice was judged (slice + grace): counted, not merged");
        Sensor spansWindowed = metrics.counter("spans-windowed",
                "Spans merged into their requirement's slices (those that came too late are in late-events-dropped)");
        Sensor ignoredPoints = metrics.counter("cumulative-points-ignored",
                "Cumulative metric points no newer than their series' previous point (duplicates, out of order)");
        alertsPublished = metrics.counter("alerts-published", "Alert records published (firing, severity change, resolved)");

        UnreadableState unreadable = new UnreadableState(metrics);
        KeyValueStore<String, byte[]> targetStore = context.getStateStore(TARGETS_STORE);
        KeyValueStore<String, byte[]> episodeStore = context.getStateStore(EPISODES_STORE);
        KeyValueStore<String, byte[]> activityStore = context.getStateStore(TARGET_STATE_STORE);
        KeyValueStore<String, byte[]> unattributedStore = context.getStateStore(UNATTRIBUTED_STORE);
        KeyValueStore<String, byte[]> statusStore = context.getStateStore(TARGET_STATUS_STORE);
        TargetRegistry targets = new TargetRegistry(writer(targetStore, StateCodec::encode));
        Episodes episodes = new Episodes(writer(episodeStore, StateCodec::encode));
        TargetActivity activity = new TargetActivity(writer(activityStore, StateCodec::encode));
        UnattributedCounts unattributed = new UnattributedCounts(writer(unattributedStore, StateCodec::encode));
        // What becomes of a value that cannot be read is each part's own answer.
        restore(targetStore, StateCodec::decodeTarget, targets::restore, (key, e) -> unreadable.report(TARGETS_STORE, key, e,
                "the target is inactive until it is applied again on the targets topic"));
        restore(episodeStore, StateCodec::decodeEpisode, episodes::restore, (key, e) -> {
            unreadable.report(EPISODES_STORE, key, e, "the episode is unknown: a firing alert resolves when its target is "
                    + "met again, or fires anew while it fails");
            episodes.markLost(key);
        });
        restore(activityStore, StateCodec::decodeActivity, activity::restore, (key, e) -> unreadable.report(
                TARGET_STATE_STORE, key, e, "no-data counts the target's silence from its next evaluation"));
        restore(unattributedStore, StateCodec::decodeUnattributed, unattributed::restore, (key, e) -> unreadable.report(
                UNATTRIBUTED_STORE, key, e, "the service's counts start over"));

        KeyValueStore<String, byte[]> clockStore = context.getStateStore(CLOCK_STORE);
        SourceWatermarks sources = new SourceWatermarks(watermarkTopics, SourceWatermarks.staleAfterMs(graceMs),
                writer(clockStore, ClockCodec::encode));
        EventClock clock = new EventClock(sliceMs, graceMs, context.currentSystemTimeMs(), sources,
                writer(clockStore, ClockCodec::encodeJudged));
        restoreClock(clockStore, clock, sources, unreadable);
        RequirementWindows slices = new RequirementWindows(sliceMs, context.getStateStore(RequirementWindows.SPAN_SLICES_STORE),
                context.getStateStore(RequirementWindows.METRIC_SLICES_STORE),
                context.getStateStore(RequirementWindows.SERIES_STORE), unreadable);
        CardinalityGuard cardinality = cardinality(slices, targets, unattributed, context.currentSystemTimeMs());
        Map<CardinalityGuard.Kind, Sensor> refused = new EnumMap<>(CardinalityGuard.Kind.class);
        Map<CardinalityGuard.Kind, Sensor> expired = new EnumMap<>(CardinalityGuard.Kind.class);
        Map<CardinalityGuard.Kind, Sensor> tracked = new EnumMap<>(CardinalityGuard.Kind.class);
        for (CardinalityGuard.Kind kind : CardinalityGuard.Kind.values()) {
            String name = kind.metricName;
            refused.put(kind, metrics.counter(name + "-refused", "Spans, data points or log records of " + name
                    + " beyond the cardinality cap: counted, not kept (the task's overflow/<task> status)"));
            tracked.put(kind, metrics.gauge(name + "-tracked", "Distinct " + name + " the task keeps now"));
            if (kind != CardinalityGuard.Kind.TARGET_SERIES) {
                expired.put(kind, metrics.counter(name + "-expired", "Distinct " + name
                        + " forgotten after the idle expiry (their places in the cap freed)"));
            }
        }
        RequirementEvaluation.Counters counters = new RequirementEvaluation.Counters() {
            @Override
            public void lateEvents(long events) {
                lateEvents.record(events);
            }

            @Override
            public void spansWindowed(long spans) {
                spansWindowed.record(spans);
            }

            @Override
            public void cumulativePointsIgnored(long points) {
                ignoredPoints.record(points);
            }

            @Override
            public void refused(CardinalityGuard.Kind kind, long items) {
                refused.get(kind).record(items);
            }

            @Override
            public void expired(CardinalityGuard.Kind kind, long values) {
                Sensor sensor = expired.get(kind);
                if (sensor != null) sensor.record(values);
            }

            @Override
            public void tracked(CardinalityGuard.Kind kind, long values) {
                tracked.get(kind).record(values);
            }
        };
        evaluation = new RequirementEvaluation(sliceMs, statusIntervalMs, requireReqTags,
                new RequirementEvaluation.State(slices, targets, episodes, activity, unattributed, cardinality, clock,
                        new SloTracker(new SloCounts(context.getStateStore(SloCounts.STORE), unreadable), sliceMs)),
                new RequirementEvaluation.Output() {
                    @Override
                    public void alert(Alert alert, long now) {
                        emitAlert(alert, now);
                    }

                    @Override
                    public void status(String key, Object status, long now) {
                        emitStatus(key, status, now);
                    }

                    @Override
                    public void current(String targetId, TargetStatus status) {
                        if (status == null) statusStore.delete(targetId);
                        else statusStore.put(targetId, StatusCodec.encode(status));
                    }
                }, counters);
        if (!targets.isEmpty()) {
            LOG.info("Task {}: {} targets active: {}", context.taskId(), targets.all().size(), targets.all().keySet());
        }
        context.schedule(Duration.ofMillis(sliceMs), PunctuationType.WALL_CLOCK_TIME, this::evaluate);
    }

    /** The task's caps, starting from what its stores hold (admitted even beyond the caps: it is there already). */
    private CardinalityGuard cardinality(RequirementWindows slices, TargetRegistry targets, UnattributedCounts unattributed,
                                         long now) {
        CardinalityGuard guard = new CardinalityGuard(context.taskId().toString(), limits, statusIntervalMs);
        RequirementWindows.Restored restored = slices.restore(now);
        for (String requirement : restored.requirements()) {
            if (!targets.hasRequirement(requirement)) guard.restoreRequirement(requirement, now);
        }
        restored.series().entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> guard.restoreSeries(
                e.getKey(), targets.hasRequirement(e.getKey().requirement()), e.getValue()));
        unattributed.all().values().stream()
                .sorted(java.util.Comparator.comparingLong((UnattributedStatus s) -> lastSeen(s, now)))
                .forEach(s -> guard.restoreService(s.service(), Math.min(now, lastSeen(s, now))));
        if (restored.requirements().size() > limits.maxRequirements()) {
            LOG.warn("Task {}: its state holds {} requirements, more than --max-requirements {}: they are kept until they "
                    + "expire; new ones are refused until then", context.taskId(), restored.requirements().size(),
                    limits.maxRequirements());
        }
        return guard;
    }

    private static long lastSeen(UnattributedStatus status, long now) {
        try {
            return Timestamps.parse(status.lastSeen());
        } catch (RuntimeException e) {
            return now; // not a time (an old or damaged value): the service's idle time starts now
        }
    }

    @Override
    public void process(Record<String, RequirementEvent> record) {
        record.value().applyTo(record.key(), evaluation, context.currentSystemTimeMs());
    }

    private void evaluate(long now) {
        long emittedBefore = emitted;
        evaluation.judge(now);
        // Alerts and status are visible once committed: ask for it now rather than at the next commit interval.
        if (emitted > emittedBefore) context.commit();
    }

    /** Every alert change makes (at most) an intent; deviation alerts are published unless alert_on_deviation is off. */
    private void emitAlert(Alert alert, long now) {
        emitted++;
        alertsPublished.record();
        Record<String, Alert> record = new Record<>(alert.fingerprint(), alert, now);
        if (alertOnDeviation || !Alert.KIND_DEVIATION.equals(alert.kind())) context.forward(record, ALERTS);
        context.forward(record, INTENTS);
    }

    private void emitStatus(String key, Object status, long now) {
        emitted++;
        context.forward(new Record<>(key, status, now), STATUS);
    }

    private static <V> StateWriter<V> writer(KeyValueStore<String, byte[]> store, Function<V, byte[]> encode) {
        return new StateWriter<>() {
            @Override
            public void put(String key, V value) {
                store.put(key, encode.apply(value));
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }
        };
    }

    /**
     * The clock's store: how far verdicts went, and every input partition known. A value that cannot be read is
     * dropped: the clock then starts over (the next window judged is the current one), a partition is not waited for
     * until it is heard from again.
     */
    private static void restoreClock(KeyValueStore<String, byte[]> store, EventClock clock, SourceWatermarks sources,
                                     UnreadableState unreadable) {
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                try {
                    if (EventClock.JUDGED_KEY.equals(entry.key)) clock.restoreJudged(ClockCodec.decodeJudged(entry.value));
                    else sources.restore(entry.key, ClockCodec.decodeSource(entry.value));
                } catch (IllegalArgumentException e) {
                    unreadable.report(CLOCK_STORE, entry.key, e, EventClock.JUDGED_KEY.equals(entry.key)
                            ? "verdicts start over from the current window" : "the partition is waited for once heard from again");
                }
            }
        }
    }

    /** Hands each readable value of {@code store} to {@code into}, and each unreadable one to {@code onUnreadable}. */
    private static <V> void restore(KeyValueStore<String, byte[]> store, Function<byte[], V> decode,
                                    BiConsumer<String, V> into, BiConsumer<String, RuntimeException> onUnreadable) {
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                V value;
                try {
                    value = decode.apply(entry.value);
                } catch (IllegalArgumentException e) {
                    onUnreadable.accept(entry.key, e);
                    continue;
                }
                into.accept(entry.key, value);
            }
        }
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

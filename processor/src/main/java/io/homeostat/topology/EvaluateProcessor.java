package io.homeostat.topology;

import io.homeostat.evaluate.Episode;
import io.homeostat.evaluate.Episodes;
import io.homeostat.evaluate.RequirementEvaluation;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.evaluate.SloTracker;
import io.homeostat.evaluate.StateCodec;
import io.homeostat.evaluate.StateWriter;
import io.homeostat.evaluate.TargetActivity;
import io.homeostat.evaluate.TargetRegistry;
import io.homeostat.evaluate.UnattributedCounts;
import io.homeostat.model.Alert;
import java.time.Duration;
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
    static final String[] STORES = {RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
        RequirementWindows.SERIES_STORE, TARGETS_STORE, EPISODES_STORE, TARGET_STATE_STORE, UNATTRIBUTED_STORE,
        SloCounts.STORE};

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateProcessor.class);

    private final long sliceMs;
    private final long graceMs;
    private final long statusIntervalMs;
    private final boolean requireReqTags;
    private final boolean alertOnDeviation;
    private ProcessorContext<String, Object> context;
    private RequirementEvaluation evaluation;
    private TaskMetrics metrics;
    private Sensor alertsPublished;
    /** Records forwarded so far; a punctuation that forwarded any asks for a commit. */
    private long emitted;

    EvaluateProcessor(long sliceMs, long graceMs, long statusIntervalMs, boolean requireReqTags, boolean alertOnDeviation) {
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

        RequirementWindows slices = new RequirementWindows(sliceMs, context.getStateStore(RequirementWindows.SPAN_SLICES_STORE),
                context.getStateStore(RequirementWindows.METRIC_SLICES_STORE),
                context.getStateStore(RequirementWindows.SERIES_STORE), unreadable);
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
        };
        evaluation = new RequirementEvaluation(sliceMs, graceMs, statusIntervalMs, requireReqTags,
                new RequirementEvaluation.State(slices, targets, episodes, activity, unattributed,
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
                }, counters, context.currentSystemTimeMs());
        if (!targets.isEmpty()) {
            LOG.info("Task {}: {} targets active: {}", context.taskId(), targets.all().size(), targets.all().keySet());
        }
        context.schedule(Duration.ofMillis(sliceMs), PunctuationType.WALL_CLOCK_TIME, this::evaluate);
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

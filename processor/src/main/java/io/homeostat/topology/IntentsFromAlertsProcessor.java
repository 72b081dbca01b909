package io.homeostat.topology;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.issues.AlertIntents;
import io.homeostat.issues.TraceCodec;
import java.util.Objects;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One feedback intent per alert episode ({@link AlertIntents}). Runs on the task that evaluates the
 * alert's requirement, right after it, so no repartition is needed; the store remembers, per alert
 * fingerprint, the episode that already has its intent.
 */
final class IntentsFromAlertsProcessor implements Processor<String, Alert, String, FeedbackIntent> {
    static final String ALERT_INTENTS_STORE = "alert-intents";
    private static final Logger LOG = LoggerFactory.getLogger(IntentsFromAlertsProcessor.class);

    private final boolean intentsEnabled;
    private ProcessorContext<String, FeedbackIntent> context;
    private KeyValueStore<String, byte[]> marks;
    private TaskMetrics metrics;
    private Sensor intentsPublished;

    IntentsFromAlertsProcessor(boolean intentsEnabled) {
        this.intentsEnabled = intentsEnabled;
    }

    @Override
    public void init(ProcessorContext<String, FeedbackIntent> context) {
        this.context = context;
        marks = context.getStateStore(ALERT_INTENTS_STORE);
        metrics = new TaskMetrics(context);
        intentsPublished = metrics.counter("alert-intents-published", "Feedback intents published for alert episodes");
    }

    @Override
    public void process(Record<String, Alert> record) {
        if (!intentsEnabled) return;
        Alert alert = record.value();
        String fingerprint = alert.fingerprint();
        AlertIntents.Mark before = decode(fingerprint, marks.get(fingerprint));
        long now = context.currentSystemTimeMs();
        AlertIntents.Decision decision = AlertIntents.next(before, alert, now);
        if (!Objects.equals(before, decision.mark())) {
            if (decision.mark() == null) marks.delete(fingerprint);
            else marks.put(fingerprint, TraceCodec.encode(decision.mark()));
        }
        FeedbackIntent intent = decision.intent();
        if (intent != null) {
            context.forward(new Record<>(intent.intentId(), intent, now));
            intentsPublished.record();
            LOG.info("Intent {} {} for alert {}: {}", intent.intentId(), intent.priority(), alert.alertId(),
                    intent.description());
        }
    }

    private static AlertIntents.Mark decode(String fingerprint, byte[] stored) {
        if (stored == null) return null;
        try {
            return TraceCodec.decodeMark(stored);
        } catch (IllegalArgumentException e) {
            LOG.error("Stored intent mark of alert {} is unreadable and is dropped: {}", fingerprint, e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

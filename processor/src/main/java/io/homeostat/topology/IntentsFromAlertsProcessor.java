package io.homeostat.topology;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.issues.AlertIntents;
import io.homeostat.issues.IssueCodec;
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
    private UnreadableState unreadable;

    IntentsFromAlertsProcessor(boolean intentsEnabled) {
        this.intentsEnabled = intentsEnabled;
    }

    @Override
    public void init(ProcessorContext<String, FeedbackIntent> context) {
        this.context = context;
        marks = context.getStateStore(ALERT_INTENTS_STORE);
        metrics = new TaskMetrics(context);
        intentsPublished = metrics.counter("alert-intents-published", "Feedback intents published for alert episodes");
        unreadable = new UnreadableState(metrics);
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
            else marks.put(fingerprint, IssueCodec.encode(decision.mark()));
        }
        FeedbackIntent intent = decision.intent();
        if (intent != null) {
            context.forward(new Record<>(intent.intentId(), intent, now));
            intentsPublished.record();
            LOG.info("Intent {} {} for alert {}: {}", intent.intentId(), intent.priority(), alert.alertId(),
                    intent.description());
        }
    }

    private AlertIntents.Mark decode(String fingerprint, byte[] stored) {
        if (stored == null) return null;
        try {
            return IssueCodec.decodeMark(stored);
        } catch (IllegalArgumentException e) {
            unreadable.report(ALERT_INTENTS_STORE, fingerprint, e,
                    "the alert's next episode record may make a second intent for the same episode");
            return null;
        }
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

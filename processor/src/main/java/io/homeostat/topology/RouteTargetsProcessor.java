package io.homeostat.topology;

import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates records of the targets topic and re-keys them by requirement, so each target meets its data
 * on the task that owns the requirement. Invalid targets become dead letters and are never applied (the
 * previous version stays active). A tombstone carries no requirement, so this processor remembers, per
 * target id, where the target was sent ({@link #ROUTES_STORE}).
 */
final class RouteTargetsProcessor implements Processor<byte[], byte[], String, Decoded> {
    static final String ROUTES_STORE = "target-routes";
    private static final Logger LOG = LoggerFactory.getLogger(RouteTargetsProcessor.class);

    private ProcessorContext<String, Decoded> context;
    private KeyValueStore<String, byte[]> routes;
    private UnreadableState unreadable;
    private TaskMetrics metrics;
    private Sensor applied;
    private Sensor deleted;
    private Sensor rejected;

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
        this.routes = context.getStateStore(ROUTES_STORE);
        this.metrics = new TaskMetrics(context);
        applied = metrics.counter("targets-applied", "Valid targets created or changed");
        deleted = metrics.counter("targets-deleted", "Targets deleted by a tombstone");
        rejected = metrics.counter("targets-dead-lettered", "Invalid targets sent to the dead-letter topic");
        unreadable = new UnreadableState(metrics);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DeadLetterHandler.castFailuresToo(() -> handle(record));
    }

    private void handle(Record<byte[], byte[]> record) {
        if (record.key() == null || record.key().length == 0) {
            reject(record, "target record has no key: the key is the target id, e.g. REQ-F-AUTH-001/span.success_rate");
            return;
        }
        String targetId = new String(record.key(), StandardCharsets.UTF_8);
        String previousRequirement = route(targetId);
        if (record.value() == null) {
            if (previousRequirement != null) {
                routes.delete(targetId);
                forward(previousRequirement, new RequirementEvent.TargetDelete(targetId), record.timestamp());
                deleted.record();
                LOG.info("Target {} deleted", targetId);
            }
            return;
        }
        Target target;
        try {
            target = TargetParser.parse(record.value());
        } catch (InvalidTargetException e) {
            reject(record, "target '" + targetId + "' is " + e.getMessage()
                    + (previousRequirement != null ? " (the previous version stays active)" : ""));
            return;
        }
        if (previousRequirement != null && !previousRequirement.equals(target.requirement())) {
            forward(previousRequirement, new RequirementEvent.TargetDelete(targetId), record.timestamp());
        }
        routes.put(targetId, TargetRoutes.encode(target.requirement()));
        forward(target.requirement(), new RequirementEvent.TargetUpsert(targetId, target), record.timestamp());
        applied.record();
    }

    /** Where the target was sent last, or {@code null}. */
    private String route(String targetId) {
        byte[] stored = routes.get(targetId);
        if (stored == null) return null;
        try {
            return TargetRoutes.decode(stored);
        } catch (IllegalArgumentException e) {
            unreadable.report(ROUTES_STORE, targetId, e, "the target is routed as new (a tombstone for it is ignored)");
            return null;
        }
    }

    private void forward(String requirement, RequirementEvent event, long timestamp) {
        context.forward(new Record<>(null, new Decoded.Builder().event(requirement, event).build(), timestamp,
                new RecordHeaders()));
    }

    private void reject(Record<byte[], byte[]> record, String reason) {
        rejected.record();
        context.forward(DeadLetterRecords.of(context, record, reason, InvalidTargetException.class));
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

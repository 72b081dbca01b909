package io.homeostat.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stored value that cannot be decoded (damage, or a format of a newer Homeostat after a downgrade) is
 * never dropped silently: one error line names the store, the key and why, and the task's counter
 * {@code stored-values-unreadable} (tagged with the store) counts it. What happens to the value is the
 * caller's decision, and its log line says so.
 */
final class UnreadableState {
    private static final Logger LOG = LoggerFactory.getLogger(UnreadableState.class);

    private final TaskMetrics metrics;
    private final Map<String, Sensor> byStore = new HashMap<>();

    UnreadableState(TaskMetrics metrics) {
        this.metrics = metrics;
    }

    /** @param consequence what becomes of it, e.g. "the slice is skipped" */
    void report(String store, Object key, Exception error, String consequence) {
        byStore.computeIfAbsent(store, s -> metrics.counter("stored-values-unreadable",
                "Stored values that could not be decoded (logged with store and key)", "store", s)).record();
        LOG.error("Store {}: the value of key {} cannot be read ({}); {}", store, key, error.getMessage(), consequence);
    }
}

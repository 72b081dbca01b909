package io.homeostat.cli;

import io.homeostat.topology.HomeostatTopology;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the processor's own counters (summed over tasks) when they change: what it did, in one line. */
final class ProcessingStats {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessingStats.class);

    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private Map<String, Double> last = Map.of();

    ProcessingStats(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this.metrics = metrics;
    }

    /** Totals by counter name, e.g. {@code spans-decoded → 12000}; per-service counters keep their service. */
    Map<String, Double> totals() {
        Map<String, Double> totals = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName name = e.getKey();
            if (!HomeostatTopology.METRICS_GROUP.equals(name.group()) || !name.name().endsWith("-total")) continue;
            String counter = name.name().substring(0, name.name().length() - "-total".length());
            String service = name.tags().get("service");
            if (service != null) counter = counter + "{service=" + service + "}";
            Object value = e.getValue().metricValue();
            if (value instanceof Number number) totals.merge(counter, number.doubleValue(), Double::sum);
        }
        return totals;
    }

    void logIfChanged() {
        try {
            Map<String, Double> now = totals();
            if (now.equals(last) || now.values().stream().allMatch(v -> v == 0)) return;
            last = now;
            StringBuilder line = new StringBuilder("Processed so far:");
            now.forEach((name, value) -> line.append(' ').append(name).append('=').append(String.format("%.0f", value)));
            LOG.info(line.toString());
        } catch (RuntimeException e) {
            LOG.debug("Could not read metrics", e);
        }
    }
}

package io.homeostat.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Counters of one processor on one task, registered with Kafka Streams' own metrics registry (so they
 * show in JMX and {@code KafkaStreams#metrics()}) in group {@link HomeostatTopology#METRICS_GROUP}, as
 * {@code <name>-total} (sum of recorded values) and {@code <name>-rate} (per second), tagged with the
 * thread and task. {@code sensor.record(n)} adds n.
 */
final class TaskMetrics implements AutoCloseable {
    static final String SCOPE = "homeostat";

    private final ProcessingContext context;
    private final List<Sensor> sensors = new ArrayList<>();

    TaskMetrics(ProcessingContext context) {
        this.context = context;
        // The exception handlers count into the same registry; Kafka Streams hands them none (FailureCounters).
        if (context.appConfigs().get(DeadLetterHandler.COUNTERS_CONFIG) instanceof FailureCounters counters) {
            counters.bind(context.metrics());
        }
    }

    Sensor counter(String name, String description) {
        return register(name, description, Map.of());
    }

    /** A counter per value of one dimension, e.g. per service: tag {@code dimension=value}. */
    Sensor counter(String name, String description, String dimension, String value) {
        return register(name, description, Map.of(dimension, value));
    }

    /** A gauge: {@code <name>} holds the last value recorded. */
    Sensor gauge(String name, String description) {
        Sensor sensor = context.metrics().addSensor(SCOPE + "." + Thread.currentThread().getName() + "." + context.taskId()
                + "." + name, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, HomeostatTopology.METRICS_GROUP, description, tags(Map.of())), new Value());
        sensors.add(sensor);
        return sensor;
    }

    /** Unregisters a sensor of this task (a per-service counter whose service expired). */
    void remove(Sensor sensor) {
        if (sensors.remove(sensor)) context.metrics().removeSensor(sensor);
    }

    private Map<String, String> tags(Map<String, String> extraTags) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("thread-id", Thread.currentThread().getName());
        tags.put("task-id", context.taskId().toString());
        tags.putAll(extraTags);
        return tags;
    }

    private Sensor register(String name, String description, Map<String, String> extraTags) {
        Map<String, String> tags = tags(extraTags);
        Sensor sensor = context.metrics().addSensor(SCOPE + "." + String.join(".", tags.values()) + "." + name,
                Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name + "-total", HomeostatTopology.METRICS_GROUP, description, tags), new CumulativeSum());
        sensor.add(new MetricName(name + "-rate", HomeostatTopology.METRICS_GROUP, description + ", per second", tags),
                new Rate(TimeUnit.SECONDS, new WindowedSum()));
        sensors.add(sensor);
        return sensor;
    }

    @Override
    public void close() {
        sensors.forEach(context.metrics()::removeSensor);
        sensors.clear();
    }
}

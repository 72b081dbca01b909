package io.homeostat.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The counter of records the exception handlers ({@link DeadLetterHandler}) took care of:
 * {@value #NAME}{@code -total} and {@code -rate} in {@link HomeostatTopology#METRICS_GROUP}, tagged with the
 * task, the processor node and the stage (processing, deserialization, production), in the same Kafka Streams
 * metrics registry as the processors' own counters. Kafka Streams makes the handlers itself and hands them no
 * metrics registry, so one instance per client travels in the Streams configuration
 * ({@link DeadLetterHandler#COUNTERS_CONFIG}), and the first processor to start binds it to the client's registry
 * ({@link TaskMetrics}). Thread-safe: production errors arrive on the producer's I/O thread.
 */
public final class FailureCounters {
    static final String NAME = "records-failed";

    private volatile StreamsMetrics metrics;
    private final Map<String, Sensor> sensors = new ConcurrentHashMap<>();
    /** Counted before any processor bound the registry (a failure in the very first record). */
    private final AtomicLong unbound = new AtomicLong();

    void bind(StreamsMetrics registry) {
        if (metrics == null) metrics = registry;
    }

    void record(String taskId, String processor, String stage) {
        StreamsMetrics registry = metrics;
        if (registry == null) {
            unbound.incrementAndGet();
            return;
        }
        sensors.computeIfAbsent(taskId + "\u0000" + processor + "\u0000" + stage, key -> {
            Map<String, String> tags = Map.of("task-id", taskId, "processor", processor, "stage", stage);
            Sensor sensor = registry.addSensor(TaskMetrics.SCOPE + "." + taskId + "." + processor + "." + stage + "." + NAME,
                    Sensor.RecordingLevel.INFO);
            String description = "Records whose handling threw an unexpected exception and that went to the dead-letter "
                    + "topic (or, when no input record was at hand, were only logged)";
            sensor.add(new MetricName(NAME + "-total", HomeostatTopology.METRICS_GROUP, description, tags), new CumulativeSum());
            sensor.add(new MetricName(NAME + "-rate", HomeostatTopology.METRICS_GROUP, description + ", per second", tags),
                    new Rate(TimeUnit.SECONDS, new WindowedSum()));
            if (unbound.get() > 0) sensor.record(unbound.getAndSet(0));
            return sensor;
        }).record();
    }
}

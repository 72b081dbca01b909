package io.homeostat.topology;

import io.homeostat.evaluate.CardinalityCap;
import io.homeostat.evaluate.CardinalityLimits;
import io.homeostat.model.Durations;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One decoder's {@code <name>{service}} counters of telemetry without a requirement, for at most
 * {@code --max-services} services per task: a sender that names its service after a user id must not register a
 * counter per user. Beyond the cap, telemetry is counted under the service {@value #OTHER} (and the first service
 * refused is logged, once per episode); a service with no telemetry for the idle expiry loses its counter, which
 * frees its place.
 */
final class UnattributedCounters {
    private static final Logger LOG = LoggerFactory.getLogger(UnattributedCounters.class);
    /** The service tag of what is counted beyond the cap. */
    static final String OTHER = "_other";

    private final TaskMetrics metrics;
    private final String name;
    private final String description;
    private final String task;
    private final CardinalityLimits limits;
    private final CardinalityCap<String> services;
    private final Map<String, Sensor> sensors = new HashMap<>();
    private Sensor other;

    UnattributedCounters(TaskMetrics metrics, String name, String description, String task, CardinalityLimits limits) {
        this.metrics = metrics;
        this.name = name;
        this.description = description;
        this.task = task;
        this.limits = limits;
        this.services = new CardinalityCap<>(limits.maxServices(), limits.idleExpiryMs());
    }

    void record(String service, long count, long now) {
        for (String gone : services.expire(now)) {
            Sensor sensor = sensors.remove(gone);
            if (sensor != null) metrics.remove(sensor);
        }
        services.refusalsEnded(now);
        if (services.admit(service, now) != CardinalityCap.Admission.REFUSED) {
            sensors.computeIfAbsent(service, s -> metrics.counter(name, description, "service", s)).record(count);
            return;
        }
        if (services.refuse(service, count, now)) {
            LOG.warn("Task {}: more than {} services send telemetry without a requirement (--max-services); {} of the "
                            + "others, first '{}', is counted as {}{{service={}}} until idle services expire after {}", task,
                    services.max(), name, service.length() > 100 ? service.substring(0, 100) + "…" : service, name, OTHER,
                    Durations.format(limits.idleExpiry()));
        }
        if (other == null) other = metrics.counter(name, description + " (services beyond --max-services)", "service", OTHER);
        other.record(count);
    }

    /** Services with a counter of their own now. */
    int services() {
        return sensors.size();
    }
}

package io.homeostat.config;

import java.util.Map;

/**
 * The parts of the seed's {@code config/observability.yml} outside {@code homeostasis} that Homeostat
 * reads: who the service is (for exported rules' tags), which metrics it declares (for resolution) and how its
 * traces are sampled ({@code telemetry.traces}: {@code null} when the file does not say, or samples everything).
 */
public record ObservabilityConfig(String source, String provider, String serviceName, String environment,
                                  Map<String, String> globalTags, Map<String, MetricDeclaration> metrics,
                                  io.homeostat.model.Sampling traces) {
    public ObservabilityConfig {
        globalTags = Map.copyOf(globalTags);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}

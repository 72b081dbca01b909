package io.homeostat.config;

import java.util.Map;

/**
 * The parts of the seed's {@code config/observability.yml} outside {@code homeostasis} that Homeostat
 * reads: who the service is (for exported rules' tags) and which metrics it declares (for resolution).
 */
public record ObservabilityConfig(String source, String provider, String serviceName, String environment,
                                  Map<String, String> globalTags, Map<String, MetricDeclaration> metrics) {
    public ObservabilityConfig {
        globalTags = Map.copyOf(globalTags);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}

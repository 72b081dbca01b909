package io.homeostat.config;

import java.util.List;

/**
 * A metric declared in {@code telemetry.metrics} of {@code config/observability.yml}. Only what Homeostat
 * uses is kept; other keys of a declaration are left to the tools that read them.
 *
 * @param businessRules from {@code business_rule} (the seed's spelling) or {@code business_rules}
 * @param line where the declaration starts, for messages
 * @param unit the instrument's unit (UCUM: {@code ms}, {@code By}, {@code 1}), or null when not declared; Prometheus'
 *             OTLP translation appends it to the name ({@link PrometheusNames})
 */
public record MetricDeclaration(String name, MetricType type, String description, String requirement,
                                String constraint, List<String> businessRules, int line, String unit) {
    public MetricDeclaration {
        businessRules = List.copyOf(businessRules);
    }

    /** A declaration without a unit. */
    public MetricDeclaration(String name, MetricType type, String description, String requirement, String constraint,
                             List<String> businessRules, int line) {
        this(name, type, description, requirement, constraint, businessRules, line, null);
    }
}

package io.homeostat.otlp;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;

/**
 * Which requirement a span, data point or log record belongs to: its own attribute {@code requirement},
 * else its instrumentation scope's, else its resource's (contract, "Requirement keys").
 */
public final class RequirementResolver {
    public static final String REQUIREMENT = "requirement";
    public static final String BUSINESS_RULES = "business_rules";
    /** The seed's singular form, on its counters and log extras ({@code business_rule="BR-001"}): read as a rule too. */
    public static final String BUSINESS_RULE = "business_rule";
    public static final String CONSTRAINTS = "constraints";
    public static final String SERVICE_NAME = "service.name";
    /** Service name used when a resource names none, as the OpenTelemetry SDKs do. */
    public static final String UNKNOWN_SERVICE = "unknown_service";
    /**
     * A requirement key is short ({@code REQ-F-AUTH-001}): a longer value is no requirement key, and the telemetry
     * that carries it counts as unattributed. Service names longer than this are cut to it. Both end up in keys and
     * metric tags, which must stay small.
     */
    public static final int MAX_LENGTH = 255;

    private RequirementResolver() {}

    // Implements: REQ-RUNTIME-001 (telemetry tagged with REQ-* keys is traced back to its requirement)
    public static String requirement(List<KeyValue> own, List<KeyValue> scope, List<KeyValue> resource) {
        String requirement = Attributes.text(own, REQUIREMENT);
        if (requirement == null) requirement = Attributes.text(scope, REQUIREMENT);
        if (requirement == null) requirement = Attributes.text(resource, REQUIREMENT);
        return usable(requirement);
    }

    /** The requirement key, or {@code null} when there is none or it is too long to be one ({@link #MAX_LENGTH}). */
    public static String usable(String requirement) {
        return requirement == null || requirement.length() > MAX_LENGTH ? null : requirement;
    }

    /** A service name as kept: cut to {@link #MAX_LENGTH} characters; {@value #UNKNOWN_SERVICE} when none. */
    public static String service(String name) {
        if (name == null) return UNKNOWN_SERVICE;
        return name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) + "…" : name;
    }

    /** Business rules ({@code BR-*}) or constraints ({@code C-*}) from the nearest level that has them. */
    public static List<String> keys(String attribute, List<KeyValue> own, List<KeyValue> scope, List<KeyValue> resource) {
        List<String> keys = Attributes.list(own, attribute);
        if (keys.isEmpty()) keys = Attributes.list(scope, attribute);
        if (keys.isEmpty()) keys = Attributes.list(resource, attribute);
        if (keys.stream().anyMatch(key -> key.length() > MAX_LENGTH)) {
            keys = keys.stream().filter(key -> key.length() <= MAX_LENGTH).toList(); // too long to be a key
        }
        return keys;
    }

    /**
     * Business rules from the nearest level that names any, in {@code business_rules} or the seed's singular
     * {@code business_rule} (both at one level: the plural's first, then the singular's, without repeats).
     */
    public static List<String> businessRules(List<KeyValue> own, List<KeyValue> scope, List<KeyValue> resource) {
        for (List<KeyValue> level : List.of(own, scope, resource)) {
            List<String> rules = keys(BUSINESS_RULES, level, List.of(), List.of());
            List<String> rule = keys(BUSINESS_RULE, level, List.of(), List.of());
            if (rule.isEmpty() && rules.isEmpty()) continue;
            if (rule.isEmpty()) return rules;
            if (rules.isEmpty()) return rule;
            java.util.LinkedHashSet<String> both = new java.util.LinkedHashSet<>(rules);
            both.addAll(rule);
            return List.copyOf(both);
        }
        return List.of();
    }

    public static String serviceName(List<KeyValue> resource) {
        return service(Attributes.text(resource, SERVICE_NAME));
    }
}

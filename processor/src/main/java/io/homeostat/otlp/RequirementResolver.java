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
    public static final String CONSTRAINTS = "constraints";
    public static final String SERVICE_NAME = "service.name";
    /** Service name used when a resource names none, as the OpenTelemetry SDKs do. */
    public static final String UNKNOWN_SERVICE = "unknown_service";

    private RequirementResolver() {}

    // Implements: REQ-RUNTIME-001 (telemetry tagged with REQ-* keys is traced back to its requirement)
    public static String requirement(List<KeyValue> own, List<KeyValue> scope, List<KeyValue> resource) {
        String requirement = Attributes.text(own, REQUIREMENT);
        if (requirement == null) requirement = Attributes.text(scope, REQUIREMENT);
        if (requirement == null) requirement = Attributes.text(resource, REQUIREMENT);
        return requirement;
    }

    /** Business rules ({@code BR-*}) or constraints ({@code C-*}) from the nearest level that has them. */
    public static List<String> keys(String attribute, List<KeyValue> own, List<KeyValue> scope, List<KeyValue> resource) {
        List<String> keys = Attributes.list(own, attribute);
        if (keys.isEmpty()) keys = Attributes.list(scope, attribute);
        if (keys.isEmpty()) keys = Attributes.list(resource, attribute);
        return keys;
    }

    public static String serviceName(List<KeyValue> resource) {
        String name = Attributes.text(resource, SERVICE_NAME);
        return name == null ? UNKNOWN_SERVICE : name;
    }
}

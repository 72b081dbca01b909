package io.homeostat.tagging;

import io.opentelemetry.api.baggage.Baggage;
import java.util.Arrays;
import java.util.Optional;

/**
 * The requirement in W3C Baggage, under the same names as the attributes ({@code requirement},
 * {@code business_rules}, {@code constraints}), so that a generic baggage-to-attributes processor reads them
 * the same way. A value that breaks this JVM's key conventions is ignored, never exported.
 */
final class RequirementBaggage {
    private RequirementBaggage() {}

    static Baggage put(Baggage baggage, Requirement requirement) {
        var builder = baggage.toBuilder().put(RequirementAttributes.REQUIREMENT.getKey(), requirement.key());
        builder.remove(RequirementAttributes.BUSINESS_RULES.getKey()).remove(RequirementAttributes.CONSTRAINTS.getKey());
        if (!requirement.businessRules().isEmpty()) {
            builder.put(RequirementAttributes.BUSINESS_RULES.getKey(), String.join(",", requirement.businessRules()));
        }
        if (!requirement.constraints().isEmpty()) {
            builder.put(RequirementAttributes.CONSTRAINTS.getKey(), String.join(",", requirement.constraints()));
        }
        return builder.build();
    }

    static Optional<Requirement> fromBaggage(Baggage baggage) {
        String key = baggage.getEntryValue(RequirementAttributes.REQUIREMENT.getKey());
        if (key == null) return Optional.empty();
        try {
            Requirement requirement = Requirement.of(key.trim())
                    .businessRules(split(baggage.getEntryValue(RequirementAttributes.BUSINESS_RULES.getKey())))
                    .constraints(split(baggage.getEntryValue(RequirementAttributes.CONSTRAINTS.getKey())));
            return Optional.of(requirement);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String[] split(String value) {
        if (value == null || value.isBlank()) return new String[0];
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}

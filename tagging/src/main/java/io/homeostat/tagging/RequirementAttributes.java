package io.homeostat.tagging;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;

/**
 * The attribute contract Homeostat reads (docs/contract.md, "Requirement keys"), and the metric helper:
 * OpenTelemetry metrics do not read the context by themselves, so a counter recorded inside a requirement
 * adds {@link #current(Attributes)} to its attributes to carry it.
 */
public final class RequirementAttributes {
    /** The requirement key ({@code REQ-*}): which requirement a span, data point or log record belongs to. */
    public static final AttributeKey<String> REQUIREMENT = AttributeKey.stringKey("requirement");
    /** Business rules ({@code BR-*}), comma-separated, as the seed writes them. */
    public static final AttributeKey<String> BUSINESS_RULES = AttributeKey.stringKey("business_rules");
    /** Constraints ({@code C-*}), comma-separated. */
    public static final AttributeKey<String> CONSTRAINTS = AttributeKey.stringKey("constraints");
    /** The wrapped function's name (the seed's {@code func.__name__}). */
    public static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("function");
    /**
     * {@code true} on a span that carries its requirement only because it started inside the requirement's call (a
     * database or HTTP client span; {@code RequirementSpanProcessor}): Homeostat traces its errors to the requirement
     * but leaves it out of the requirement's span SLIs, which count the requirement's own spans. Absent elsewhere.
     */
    public static final AttributeKey<Boolean> INHERITED = AttributeKey.booleanKey("requirement.inherited");
    /** The one business rule a log line is about (the seed's {@code business_rule=} keyword). */
    public static final AttributeKey<String> BUSINESS_RULE = AttributeKey.stringKey("business_rule");

    private RequirementAttributes() {}

    /** The current requirement's attributes (empty outside a requirement). */
    public static Attributes current() {
        return current(Attributes.empty());
    }

    /**
     * {@code attributes} plus the current requirement's {@code requirement}, {@code business_rules} and
     * {@code constraints}, for a metric recorded inside a requirement:
     * {@code loginAttempts.add(1, RequirementAttributes.current(Attributes.of(STATUS, "success")))}.
     * Keys already in {@code attributes} win.
     */
    public static Attributes current(Attributes attributes) {
        return Requirement.fromContext(Context.current())
                .map(requirement -> requirement.attributes().toBuilder().putAll(attributes).build())
                .orElse(attributes);
    }
}

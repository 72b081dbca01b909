package io.homeostat.tagging.sdk;

import io.homeostat.tagging.Requirement;
import io.homeostat.tagging.RequirementAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.List;

/**
 * The requirement a span or log record started in {@code context} inherits, nearest first:
 * <ol>
 *   <li>the {@link Requirement} of the innermost {@code run}/{@code call} in this process;</li>
 *   <li>the tags of the context's span when it is one of this SDK's spans: this is how the requirement
 *       reaches spans and logs under the Java agent, whose context does not carry the application's context
 *       keys, and under a span the application tagged by hand;</li>
 *   <li>the requirement in W3C Baggage, put there by a calling service that propagates it.</li>
 * </ol>
 */
final class InheritedRequirement {
    private static final AttributeKey<List<String>> BUSINESS_RULES_ARRAY = AttributeKey.stringArrayKey("business_rules");
    private static final AttributeKey<List<String>> CONSTRAINTS_ARRAY = AttributeKey.stringArrayKey("constraints");

    private InheritedRequirement() {}

    /** The attributes to stamp, or {@code null} when the context carries no requirement. */
    static Attributes of(Context context) {
        var called = Requirement.calledIn(context);
        if (called.isPresent()) return called.get().attributes();
        if (Span.fromContextOrNull(context) instanceof ReadableSpan span) {
            String requirement = span.getAttribute(RequirementAttributes.REQUIREMENT);
            if (requirement != null) {
                AttributesBuilder builder = Attributes.builder().put(RequirementAttributes.REQUIREMENT, requirement);
                copy(span, builder, RequirementAttributes.BUSINESS_RULES, BUSINESS_RULES_ARRAY);
                copy(span, builder, RequirementAttributes.CONSTRAINTS, CONSTRAINTS_ARRAY);
                return builder.build();
            }
        }
        return Requirement.fromBaggage(context).map(Requirement::attributes).orElse(null);
    }

    /** business_rules / constraints as the parent carries them: a comma-separated string or a string array. */
    private static void copy(ReadableSpan span, AttributesBuilder builder, AttributeKey<String> text, AttributeKey<List<String>> array) {
        String value = span.getAttribute(text);
        if (value != null) {
            builder.put(text, value);
            return;
        }
        List<String> values = span.getAttribute(array);
        if (values != null) builder.put(array, values);
    }
}

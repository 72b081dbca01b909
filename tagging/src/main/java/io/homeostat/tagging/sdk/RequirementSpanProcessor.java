package io.homeostat.tagging.sdk;

import io.homeostat.tagging.RequirementAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Stamps {@code requirement}, {@code business_rules} and {@code constraints} on every span started inside a
 * requirement (HTTP and database client spans, anything instrumented), so that Homeostat attributes their
 * errors to it, and marks them {@code requirement.inherited = true} ({@link RequirementAttributes#INHERITED}):
 * Homeostat's span SLIs of a requirement ({@code span.duration_ms}, {@code span.success_rate}, ...) count only
 * the requirement's own spans (those that name it, such as {@code REQ-…:function}), never these inner ones. A
 * span that names a requirement of its own keeps it and is not marked. {@code inheritOnSpans(false)} leaves inner
 * spans untagged altogether (the log record processor still tags logs).
 */
public final class RequirementSpanProcessor implements SpanProcessor {
    private final boolean inheritOnSpans;

    private RequirementSpanProcessor(boolean inheritOnSpans) {
        this.inheritOnSpans = inheritOnSpans;
    }

    /** Inner spans inherit the requirement. */
    public static RequirementSpanProcessor create() {
        return new RequirementSpanProcessor(true);
    }

    /** {@code false}: only spans that name their requirement carry it (this processor then does nothing). */
    public static RequirementSpanProcessor inheritOnSpans(boolean inherit) {
        return new RequirementSpanProcessor(inherit);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (!inheritOnSpans || span.getAttribute(RequirementAttributes.REQUIREMENT) != null) return;
        Attributes inherited = InheritedRequirement.of(parentContext);
        if (inherited != null) {
            span.setAllAttributes(inherited);
            span.setAttribute(RequirementAttributes.INHERITED, true);
        }
    }

    @Override
    public boolean isStartRequired() {
        return inheritOnSpans;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
        return false;
    }
}

package io.homeostat.tagging;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * One call of a {@link Requirement} begun by hand ({@link Requirement#begin(String)}): its span is current
 * until {@link #end(Throwable)}. Its methods take and return no OpenTelemetry types, so that the agent
 * extension's advice can drive it from inside the application whatever OpenTelemetry classes it sees.
 */
public final class RequirementCall implements AutoCloseable {
    private final Span span;
    private final Scope scope;
    private final DoubleHistogram histogram;
    private final Attributes attributes;
    private final long startNanos;
    private boolean ended;

    RequirementCall(Span span, Scope scope, DoubleHistogram histogram, Attributes attributes, long startNanos) {
        this.span = span;
        this.scope = scope;
        this.histogram = histogram;
        this.attributes = attributes;
        this.startNanos = startNanos;
    }

    /**
     * Ends the call: status OK when {@code error} is {@code null}, else ERROR with its message and the
     * exception recorded; the latency goes into the histogram; the span ends and stops being current.
     * Ending twice does nothing.
     */
    public void end(Throwable error) {
        if (ended) return;
        ended = true;
        try {
            if (error == null) {
                span.setStatus(StatusCode.OK);
            } else {
                Requirement.fail(span, error);
            }
            if (histogram != null) histogram.record((System.nanoTime() - startNanos) / 1e6, attributes);
        } finally {
            scope.close();
            span.end();
        }
    }

    /** Ends the call as succeeded (for try-with-resources; call {@link #end(Throwable)} on failure first). */
    @Override
    public void close() {
        end(null);
    }
}

package io.homeostat.aggregate;

/**
 * Names the dead-letter class of records none of whose data points or spans could be used ({@link DataPointChecks},
 * {@link SpanFolder}); the reasons are in the dead letter's reason header.
 */
public final class UnusableTelemetryException extends Exception {
    private UnusableTelemetryException() {}
}

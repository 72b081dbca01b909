package io.homeostat.aggregate;

/**
 * Names the dead-letter class of records none of whose data points could be used ({@link DataPointChecks}); the
 * reasons are in the dead letter's reason header.
 */
public final class InvalidDataPointException extends Exception {
    private InvalidDataPointException() {}
}

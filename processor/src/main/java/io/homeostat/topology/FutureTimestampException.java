package io.homeostat.topology;

/** Names the dead-letter class of records whose telemetry lies too far in the future. */
public final class FutureTimestampException extends Exception {
    private FutureTimestampException() {}
}

package io.homeostat.topology;

/**
 * Names the dead-letter class of records whose telemetry carries no requirement at all, rejected under
 * {@code --require-req-tags=reject} (the seed's {@code require_req_tags}); the reason header says how many items of
 * which services.
 */
public final class UntaggedTelemetryException extends Exception {
    private UntaggedTelemetryException() {}

    /** The dead letter's reason: {@code what} (spans, data points, log records) of the services, none with a requirement. */
    static String reason(long count, String what, java.util.Map<String, Long> byService) {
        return "no requirement on any of its " + count + " " + what + " (service " + String.join(", ",
                new java.util.TreeSet<>(byService.keySet())) + "); --require-req-tags=reject sends untagged telemetry "
                + "here: tag it with a requirement attribute (span, scope or resource)";
    }

    static boolean allUntagged(long items, java.util.Map<String, Long> unattributedByService) {
        if (items <= 0) return false;
        long untagged = 0;
        for (long n : unattributedByService.values()) untagged += n;
        return untagged >= items;
    }
}

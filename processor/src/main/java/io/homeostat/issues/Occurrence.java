package io.homeostat.issues;

import java.util.List;

/**
 * One error seen in telemetry: an {@code exception} span event, a span with status ERROR, or a log record
 * of severity ERROR or above, with the requirement context it carried.
 *
 * @param errorType  exception type, or {@code error.type}, or {@link #UNSPECIFIED_TYPE}
 * @param message    the error message as recorded (not normalized); may be empty
 * @param timeMs     event time: of the exception event, the span's end, or the log record
 * @param userId     {@code enduser.id} (or {@code user.id}), or {@code null}
 * @param critical   the message or an attribute says critical ({@link SeverityRules})
 */
public record Occurrence(
        String requirement,
        String service,
        List<String> businessRules,
        List<String> constraints,
        String errorType,
        String message,
        String stackTrace,
        String traceId,
        String spanId,
        long timeMs,
        String userId,
        boolean critical) {

    /** Error type of an error span or log record that names none. */
    public static final String UNSPECIFIED_TYPE = "error";
    /** An exception type is a class name: one longer than this is cut (it is part of the issue's key and record). */
    static final int MAX_TYPE_LENGTH = 500;

    public Occurrence {
        if (errorType != null && errorType.length() > MAX_TYPE_LENGTH) errorType = errorType.substring(0, MAX_TYPE_LENGTH) + "…";
    }
}

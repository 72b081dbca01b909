package io.homeostat.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** RFC 3339 UTC with milliseconds, the only time format on our topics ({@code 2026-11-24T10:15:30.123Z}). */
public final class Timestamps {
    private static final DateTimeFormatter RFC3339_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String format(long epochMillis) {
        return RFC3339_MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }

    public static long parse(String text) {
        return Instant.parse(text).toEpochMilli();
    }
}

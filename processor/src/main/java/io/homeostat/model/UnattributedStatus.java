package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Telemetry of one service that carried no requirement, counted since the processor's state began:
 * the value on {@code homeostasis.status} keyed by {@code unattributed/<service>}.
 */
@JsonPropertyOrder({"kind", "service", "spans", "data_points", "log_records", "last_seen"})
public record UnattributedStatus(String kind, String service, long spans, long dataPoints, long logRecords,
                                 String lastSeen) {
    public static final String KIND = "unattributed";
    public static final String KEY_PREFIX = "unattributed/";

    public static String key(String service) {
        return KEY_PREFIX + service;
    }
}

package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one requirement task refused because a cardinality cap was full (a sender naming a requirement, a
 * service or a metric series after a user id, say): the value on {@code homeostasis.status} keyed by
 * {@code overflow/<task>}, published while it refuses (at most every status interval) and once more when the
 * refusals have stopped. Counts are since the task started on this instance.
 *
 * @param requirements   requirements without a target ({@code --max-requirements})
 * @param series         metric series of requirements without a target ({@code --max-series})
 * @param targetSeries   metric series of requirements with a target ({@code --max-series}, a budget of their own)
 * @param services       services counted as unattributed telemetry ({@code --max-services})
 * @param refusing       whether values are being refused now (an episode ends after 5 minutes without one)
 */
@JsonPropertyOrder({"kind", "task", "requirements", "series", "target_series", "services", "refusing", "updated_at"})
public record OverflowStatus(String kind, String task, Cap requirements, Cap series, Cap targetSeries, Cap services,
                             boolean refusing, String updatedAt) {
    public static final String KIND = "overflow";
    public static final String KEY_PREFIX = "overflow/";

    /**
     * One cap of the task.
     *
     * @param limit         the cap
     * @param tracked       values kept now
     * @param refused       admissions refused (one per partial or record that named a value beyond the cap)
     * @param refusedItems  what those carried: spans, data points, log records; counted here, not merged
     * @param expired       values forgotten after the idle expiry
     * @param lastRefused   the value refused last (a requirement, {@code requirement metric}, or a service), or null
     * @param lastRefusedAt when, or null
     */
    @JsonPropertyOrder({"limit", "tracked", "refused", "refused_items", "expired", "last_refused", "last_refused_at"})
    public record Cap(long limit, long tracked, long refused, long refusedItems, long expired, String lastRefused,
                      String lastRefusedAt) {}

    public static String key(String task) {
        return KEY_PREFIX + task;
    }
}

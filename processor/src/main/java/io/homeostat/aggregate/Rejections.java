package io.homeostat.aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The items (data points, spans) of one request that could not be used, and why: counted, with the first few
 * distinct reasons kept for the log line and the dead letter. A bad item costs only itself.
 */
public final class Rejections {
    private static final int MAX_REASONS = 5;
    private static final int MAX_REASON_LENGTH = 300;

    private long count;
    private final Map<String, Long> reasons = new LinkedHashMap<>();

    /** Rejects one item of {@code what} (a metric name, "span", ...) for {@code reason}. */
    public void add(String what, String reason) {
        count++;
        String text = cut(what, 100) + ": " + reason;
        text = cut(text, MAX_REASON_LENGTH);
        if (reasons.containsKey(text) || reasons.size() < MAX_REASONS) reasons.merge(text, 1L, Long::sum);
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** E.g. {@code "login_latency_ms: count 5 but the buckets hold 4 (2×); ..."}. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        reasons.forEach((reason, n) -> {
            if (text.length() > 0) text.append("; ");
            text.append(reason);
            if (n > 1) text.append(" (").append(n).append("×)");
        });
        long listed = reasons.values().stream().mapToLong(Long::longValue).sum();
        if (count > listed) text.append("; and ").append(count - listed).append(" more");
        return text.toString();
    }

    static String cut(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}

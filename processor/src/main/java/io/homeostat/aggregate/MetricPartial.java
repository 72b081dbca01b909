package io.homeostat.aggregate;

import com.google.protobuf.MessageLite;
import java.util.List;
import java.util.SortedMap;

/**
 * One metric series' contribution from one OTLP request, for one requirement: either a delta-form
 * aggregate for one slice, or the series' raw cumulative points (which only the task that keeps the
 * series' previous point can turn into increases).
 *
 * @param attributes what {@code where} can match: the point's attributes (without the requirement keys)
 *                   and the resource's {@code service.name}
 * @param seriesId   identity of the cumulative series: resource, scope, metric and point attributes
 */
public record MetricPartial(String metric, SortedMap<String, String> attributes, long seriesId, long sliceStart,
                            MetricAggregate delta, Cumulative cumulative) {

    /** The OTLP point type of cumulative points. */
    public enum Shape { SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY }

    /** Cumulative points of one series, oldest first, as OTLP messages. */
    public record Cumulative(Shape shape, List<? extends MessageLite> points) {}

    public static MetricPartial delta(String metric, SortedMap<String, String> attributes, long sliceStart,
                                      MetricAggregate aggregate) {
        return new MetricPartial(metric, attributes, 0, sliceStart, aggregate, null);
    }

    public static MetricPartial cumulative(String metric, SortedMap<String, String> attributes, long seriesId,
                                           Cumulative points) {
        return new MetricPartial(metric, attributes, seriesId, 0, null, points);
    }

    /** Stable 64-bit id of the filterable attributes (FNV-1a), to key a series within a slice. */
    public static long attributesId(SortedMap<String, String> attributes) {
        long hash = 0xcbf29ce484222325L;
        for (var e : attributes.entrySet()) {
            hash = fnv(hash, e.getKey());
            hash = fnv(hash, "=");
            hash = fnv(hash, e.getValue());
            hash = fnv(hash, "\n");
        }
        return hash;
    }

    static long fnv(long hash, String text) {
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}

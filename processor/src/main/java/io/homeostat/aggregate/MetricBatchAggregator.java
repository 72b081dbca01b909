package io.homeostat.aggregate;

import io.homeostat.otlp.Attributes;
import io.homeostat.otlp.RequirementResolver;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import com.google.protobuf.MessageLite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Folds one OTLP metrics export request into partials per requirement: delta points merged per (metric,
 * series, slice), cumulative points grouped per series. Points are attributed to a requirement like spans
 * (point, then scope, then resource attribute {@code requirement}).
 */
public final class MetricBatchAggregator {
    /**
     * Attributes that name the requirement rather than describe the series. The seed's singular {@code business_rule}
     * is not one: its counters label which rule a point is about ({@code account_lockouts} by {@code business_rule}),
     * so it stays a series attribute, and {@code where: {business_rule: BR-003}} selects it.
     */
    private static final Set<String> REQUIREMENT_KEYS = Set.of(RequirementResolver.REQUIREMENT,
            RequirementResolver.BUSINESS_RULES, RequirementResolver.CONSTRAINTS, "constraint");

    /** Longest metric name (as OpenTelemetry instrument names), and largest attribute (key and value, as protobuf). */
    static final int MAX_NAME_LENGTH = 255;
    static final int MAX_ATTRIBUTE_BYTES = 8_192;
    /** Most attributes a series may have (the OpenTelemetry SDKs' default attribute count limit). */
    static final int MAX_ATTRIBUTES = 128;

    private MetricBatchAggregator() {}

    /** A partial, keyed by the requirement it belongs to. */
    public record Keyed(String requirement, MetricPartial partial) {}

    /**
     * @param points     data points used (attributed or not)
     * @param rejections data points that could not be used ({@link DataPointChecks}), with their reasons
     */
    public record Result(List<Keyed> partials, Map<String, Long> unattributedByService, long points,
                         long latestPointTimeMs, Rejections rejections) {}

    public static Result aggregate(ExportMetricsServiceRequest request, long sliceMs) {
        Map<DeltaKey, MetricAggregate> deltas = new LinkedHashMap<>();
        Map<DeltaKey, SortedMap<String, String>> deltaAttributes = new HashMap<>();
        Map<SeriesKey, Accumulating> cumulative = new LinkedHashMap<>();
        Map<String, Long> unattributed = new HashMap<>();
        Rejections rejections = new Rejections();
        long points = 0;
        long latest = Long.MIN_VALUE;
        for (ResourceMetrics rm : request.getResourceMetricsList()) {
            List<KeyValue> resource = rm.getResource().getAttributesList();
            String service = RequirementResolver.serviceName(resource);
            long resourceId = MetricPartial.fnv(0xcbf29ce484222325L, rm.getResource().getAttributesList().toString());
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                List<KeyValue> scope = sm.getScope().getAttributesList();
                long scopeId = MetricPartial.fnv(resourceId, sm.getScope().getName() + "/" + sm.getScope().getVersion());
                for (Metric metric : sm.getMetricsList()) {
                    PointSink sink = new PointSink(metric.getName(), resource, scope, service, scopeId, sliceMs,
                            deltas, deltaAttributes, cumulative, unattributed, rejections);
                    if (metric.getName().length() > MAX_NAME_LENGTH) {
                        sink.rejectAll(metric, "metric name is " + metric.getName().length() + " characters long (at most "
                                + MAX_NAME_LENGTH + ")");
                    } else {
                        addPoints(metric, sink);
                    }
                    points += sink.points;
                    latest = Math.max(latest, sink.latestTimeMs);
                }
            }
        }
        List<Keyed> partials = new ArrayList<>(deltas.size() + cumulative.size());
        deltas.forEach((key, aggregate) -> partials.add(new Keyed(key.requirement,
                MetricPartial.delta(key.metric, deltaAttributes.get(key), key.sliceStart, aggregate))));
        cumulative.forEach((key, acc) -> {
            acc.points.sort(Comparator.comparingLong(TimedPoint::timeNanos));
            partials.add(new Keyed(key.requirement, MetricPartial.cumulative(key.metric, acc.attributes, key.seriesId,
                    new MetricPartial.Cumulative(acc.shape, acc.points.stream().map(TimedPoint::point).toList()))));
        });
        return new Result(partials, unattributed, points, latest, rejections);
    }

    /** How many data points a metric holds, whatever its type. */
    public static int pointCount(Metric metric) {
        return switch (metric.getDataCase()) {
            case GAUGE -> metric.getGauge().getDataPointsCount();
            case SUM -> metric.getSum().getDataPointsCount();
            case HISTOGRAM -> metric.getHistogram().getDataPointsCount();
            case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsCount();
            case SUMMARY -> metric.getSummary().getDataPointsCount();
            default -> 0;
        };
    }

    private static void addPoints(Metric metric, PointSink sink) {
        switch (metric.getDataCase()) {
            case GAUGE -> {
                for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
                    if (sink.usable(p.getAttributesList(), DataPointChecks.number(p, false))) {
                        sink.delta(p.getAttributesList(), p.getTimeUnixNano(), MetricPoints.gauge(p));
                    }
                }
            }
            case SUM -> {
                boolean cumulativeSum = metric.getSum().getAggregationTemporality()
                        == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
                boolean monotonic = metric.getSum().getIsMonotonic();
                for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
                    if (!sink.usable(p.getAttributesList(), DataPointChecks.number(p, monotonic))) continue;
                    if (!cumulativeSum) {
                        sink.delta(p.getAttributesList(), p.getTimeUnixNano(), MetricPoints.deltaSum(p));
                    } else if (monotonic) {
                        sink.cumulative(p.getAttributesList(), p.getTimeUnixNano(), MetricPartial.Shape.SUM, p);
                    } else {
                        // A cumulative up-down counter is a level: judged like a gauge.
                        sink.delta(p.getAttributesList(), p.getTimeUnixNano(), MetricPoints.gauge(p));
                    }
                }
            }
            case HISTOGRAM -> {
                boolean cumulativeHistogram = metric.getHistogram().getAggregationTemporality()
                        == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
                for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
                    if (!sink.usable(p.getAttributesList(), DataPointChecks.histogram(p))) continue;
                    if (cumulativeHistogram) {
                        sink.cumulative(p.getAttributesList(), p.getTimeUnixNano(), MetricPartial.Shape.HISTOGRAM, p);
                    } else {
                        sink.delta(p.getAttributesList(), p.getTimeUnixNano(), MetricPoints.deltaHistogram(p));
                    }
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                boolean cumulativeHistogram = metric.getExponentialHistogram().getAggregationTemporality()
                        == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
                for (ExponentialHistogramDataPoint p : metric.getExponentialHistogram().getDataPointsList()) {
                    if (!sink.usable(p.getAttributesList(), DataPointChecks.exponentialHistogram(p))) continue;
                    if (cumulativeHistogram) {
                        sink.cumulative(p.getAttributesList(), p.getTimeUnixNano(),
                                MetricPartial.Shape.EXPONENTIAL_HISTOGRAM, p);
                    } else {
                        sink.delta(p.getAttributesList(), p.getTimeUnixNano(), MetricPoints.deltaExponentialHistogram(p));
                    }
                }
            }
            case SUMMARY -> {
                // Summaries are cumulative by definition (OTLP data model).
                for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
                    if (sink.usable(p.getAttributesList(), DataPointChecks.summary(p))) {
                        sink.cumulative(p.getAttributesList(), p.getTimeUnixNano(), MetricPartial.Shape.SUMMARY, p);
                    }
                }
            }
            default -> { }
        }
    }

    private record DeltaKey(String requirement, String metric, long attributesId, long sliceStart) {}

    private record SeriesKey(String requirement, String metric, long seriesId) {}

    private record TimedPoint(long timeNanos, MessageLite point) {}

    private static final class Accumulating {
        final MetricPartial.Shape shape;
        final SortedMap<String, String> attributes;
        final List<TimedPoint> points = new ArrayList<>(1);

        Accumulating(MetricPartial.Shape shape, SortedMap<String, String> attributes) {
            this.shape = shape;
            this.attributes = attributes;
        }
    }

    /** Collects the points of one metric of one scope. */
    private static final class PointSink {
        final String metric;
        final List<KeyValue> resource;
        final List<KeyValue> scope;
        final String service;
        final long scopeId;
        final long sliceMs;
        final Map<DeltaKey, MetricAggregate> deltas;
        final Map<DeltaKey, SortedMap<String, String>> deltaAttributes;
        final Map<SeriesKey, Accumulating> cumulative;
        final Map<String, Long> unattributed;
        final Rejections rejections;
        long points;
        long latestTimeMs = Long.MIN_VALUE;

        PointSink(String metric, List<KeyValue> resource, List<KeyValue> scope, String service, long scopeId,
                  long sliceMs, Map<DeltaKey, MetricAggregate> deltas, Map<DeltaKey, SortedMap<String, String>> deltaAttributes,
                  Map<SeriesKey, Accumulating> cumulative, Map<String, Long> unattributed, Rejections rejections) {
            this.metric = metric;
            this.resource = resource;
            this.scope = scope;
            this.service = service;
            this.scopeId = scopeId;
            this.sliceMs = sliceMs;
            this.deltas = deltas;
            this.deltaAttributes = deltaAttributes;
            this.cumulative = cumulative;
            this.unattributed = unattributed;
            this.rejections = rejections;
        }

        /** Whether a point passed its checks and its attributes can name a series; if not, it is rejected. */
        boolean usable(List<KeyValue> attributes, String problem) {
            if (problem == null) problem = attributeProblem(attributes);
            if (problem == null) return true;
            rejections.add(metric, problem);
            return false;
        }

        void rejectAll(Metric m, String problem) {
            for (int i = 0, n = pointCount(m); i < n; i++) rejections.add(metric, problem);
        }

        private static String attributeProblem(List<KeyValue> attributes) {
            if (attributes.size() > MAX_ATTRIBUTES) {
                return attributes.size() + " attributes (a series has at most " + MAX_ATTRIBUTES + ")";
            }
            for (int i = 0, n = attributes.size(); i < n; i++) {
                KeyValue kv = attributes.get(i);
                if (kv.getSerializedSize() > MAX_ATTRIBUTE_BYTES) {
                    return "attribute " + Rejections.cut(kv.getKey(), 50) + " is " + kv.getSerializedSize()
                            + " bytes long (at most " + MAX_ATTRIBUTE_BYTES + ")";
                }
            }
            return null;
        }

        /** The point's requirement, or {@code null} when it has none (then it is counted as unattributed). */
        private String requirement(List<KeyValue> attributes) {
            String requirement = RequirementResolver.requirement(attributes, scope, resource);
            if (requirement == null) {
                points++;
                unattributed.merge(service, 1L, Long::sum);
            }
            return requirement;
        }

        void delta(List<KeyValue> attributes, long timeNanos, MetricAggregate aggregate) {
            String requirement = requirement(attributes);
            if (requirement == null) return;
            long timeMs = timeNanos / 1_000_000L;
            SortedMap<String, String> series = seriesAttributes(attributes);
            DeltaKey key = new DeltaKey(requirement, metric, MetricPartial.attributesId(series),
                    SliceKey.sliceStart(timeMs, sliceMs));
            MetricAggregate existing = deltas.get(key);
            if (existing != null && existing.kind() != aggregate.kind()) {
                rejections.add(metric, "a " + aggregate.kind().name().toLowerCase(java.util.Locale.ROOT) + " point of a metric "
                        + "that is a " + existing.kind().name().toLowerCase(java.util.Locale.ROOT) + " in the same request");
                return;
            }
            points++;
            latestTimeMs = Math.max(latestTimeMs, timeMs);
            deltaAttributes.putIfAbsent(key, series);
            deltas.put(key, existing == null ? aggregate : existing.merge(aggregate));
        }

        void cumulative(List<KeyValue> attributes, long timeNanos, MetricPartial.Shape shape, MessageLite point) {
            String requirement = requirement(attributes);
            if (requirement == null) return;
            SortedMap<String, String> series = seriesAttributes(attributes);
            long seriesId = MetricPartial.fnv(scopeId, metric + "\n" + attributes);
            Accumulating accumulating = cumulative.computeIfAbsent(new SeriesKey(requirement, metric, seriesId),
                    k -> new Accumulating(shape, series));
            if (accumulating.shape != shape) {
                rejections.add(metric, "a cumulative " + shape.name().toLowerCase(java.util.Locale.ROOT) + " point of a series "
                        + "that has " + accumulating.shape.name().toLowerCase(java.util.Locale.ROOT) + " points in the same request");
                return;
            }
            points++;
            latestTimeMs = Math.max(latestTimeMs, timeNanos / 1_000_000L);
            accumulating.points.add(new TimedPoint(timeNanos, point));
        }

        private SortedMap<String, String> seriesAttributes(List<KeyValue> attributes) {
            SortedMap<String, String> series = new TreeMap<>();
            for (KeyValue kv : attributes) {
                if (REQUIREMENT_KEYS.contains(kv.getKey())) continue;
                String value = Attributes.text(List.of(kv), kv.getKey());
                if (value != null) series.put(kv.getKey(), value);
            }
            series.putIfAbsent(RequirementResolver.SERVICE_NAME, service);
            return series;
        }
    }
}

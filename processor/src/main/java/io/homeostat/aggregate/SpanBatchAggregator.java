package io.homeostat.aggregate;

import io.homeostat.otlp.RequirementResolver;
import io.homeostat.otlp.SamplingThreshold;
import io.homeostat.otlp.SpanSummaries;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds one OTLP export request (hundreds of spans) into one {@link SpanAggregate} per (requirement,
 * event-time slice). This is the pre-aggregation that keeps per-span records off the repartition topic.
 */
public final class SpanBatchAggregator {
    private static final HexFormat HEX = HexFormat.of();

    private SpanBatchAggregator() {}

    /** The partial aggregates of one request, and what could not be attributed to a requirement. */
    public record Result(Map<SliceKey, SpanAggregate> partials, Map<String, Long> unattributedByService, long spans,
                         long latestEventTimeMs) {}

    /**
     * @param sliceMs        slice length in ms
     * @param fallbackTimeMs event time for spans that carry no end time (the Kafka record's timestamp)
     */
    public static Result aggregate(ExportTraceServiceRequest request, long sliceMs, long fallbackTimeMs) {
        Map<SliceKey, SpanAggregate> partials = new LinkedHashMap<>();
        Map<String, Long> unattributed = new HashMap<>();
        long spans = 0;
        long latest = Long.MIN_VALUE;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            List<KeyValue> resource = resourceSpans.getResource().getAttributesList();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                List<KeyValue> scope = scopeSpans.getScope().getAttributesList();
                for (Span span : scopeSpans.getSpansList()) {
                    spans++;
                    String requirement = RequirementResolver.requirement(span.getAttributesList(), scope, resource);
                    if (requirement == null) {
                        unattributed.merge(RequirementResolver.serviceName(resource), 1L, Long::sum);
                        continue;
                    }
                    long endNanos = span.getEndTimeUnixNano();
                    long startNanos = span.getStartTimeUnixNano();
                    // As SpanFolder: an end of 2^63 ns or more is the far future; a span that ends before it starts is rejected.
                    long eventTimeMs = endNanos > 0 ? endNanos / 1_000_000L : endNanos < 0 ? Long.MAX_VALUE : fallbackTimeMs;
                    latest = Math.max(latest, eventTimeMs);
                    if (endNanos > 0 && startNanos > 0 && endNanos < startNanos) continue;
                    if (SpanSummaries.isInherited(span.getAttributesList())) continue; // as SpanFolder: not a call of the requirement
                    double durationMs = endNanos > 0 && startNanos > 0 ? (endNanos - startNanos) / 1_000_000.0 : 0.0;
                    SliceKey key = new SliceKey(requirement, SliceKey.sliceStart(eventTimeMs, sliceMs));
                    boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
                    partials.computeIfAbsent(key, k -> new SpanAggregate())
                            .record(durationMs, error, SamplingThreshold.adjustedCount(span.getTraceState()),
                                    () -> traceIdHex(span));
                }
            }
        }
        return new Result(partials, unattributed, spans, latest);
    }

    /**
     * The same as {@link #aggregate(ExportTraceServiceRequest, long, long)}, from a request's span summaries
     * (read by {@code SpanScanner} from protobuf without building the generated classes): what the decode
     * task's {@link SpanFolder} makes of one request on its own.
     */
    public static Result aggregate(SpanSummaries spans, long sliceMs, long fallbackTimeMs) {
        SpanSliceBuffer buffer = new SpanSliceBuffer();
        Map<String, Long> unattributed = new SpanFolder(sliceMs, buffer).fold(spans, fallbackTimeMs);
        Map<SliceKey, SpanAggregate> partials = new LinkedHashMap<>();
        for (SpanSliceBuffer.Partial partial : buffer.drain()) {
            partials.put(new SliceKey(partial.requirement(), partial.sliceStart()), partial.spans());
        }
        return new Result(partials, unattributed, spans.size(), SpanFolder.latestEventTimeMs(spans, fallbackTimeMs));
    }

    private static String traceIdHex(Span span) {
        return span.getTraceId().size() == 16 ? HEX.formatHex(span.getTraceId().toByteArray()) : null;
    }
}

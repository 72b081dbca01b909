package io.homeostat.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.otlp.RequirementResolver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * What a user would write by hand with the Kafka Streams DSL: parse each request, flat-map every span to its
 * own record keyed by its requirement, repartition, and aggregate per requirement in tumbling windows of
 * one slice (with the same grace), into the same {@link SpanAggregate} Homeostat keeps. Windows follow
 * the record timestamps (the DSL's flatMap cannot give each span its own), which the dataset sets to its
 * requests' span end times.
 */
public final class NaiveTopology {
    /** Spans that reached the aggregator in this JVM (the harness waits for it to reach the dataset's size). */
    public static final AtomicLong AGGREGATED = new AtomicLong();
    private static final HexFormat HEX = HexFormat.of();

    /** One span as the naive topology sends it across the repartition topic. */
    public record SpanEvent(double durationMs, boolean error, String traceId) {}

    private NaiveTopology() {}

    public static Topology build(String spansTopic, long sliceMs, long graceMs) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(spansTopic, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .flatMap((key, value) -> spans(value))
                .groupByKey(Grouped.with(Serdes.String(), spanEventSerde()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(sliceMs), Duration.ofMillis(graceMs)))
                .aggregate(SpanAggregate::new, (requirement, span, aggregate) -> {
                    aggregate.record(span.durationMs(), span.error(), span::traceId);
                    AGGREGATED.incrementAndGet();
                    return aggregate;
                }, Materialized.with(Serdes.String(), spanAggregateSerde()));
        return builder.build();
    }

    static List<KeyValue<String, SpanEvent>> spans(byte[] value) {
        ExportTraceServiceRequest request;
        try {
            request = ExportTraceServiceRequest.parseFrom(value);
        } catch (InvalidProtocolBufferException e) {
            return List.of();
        }
        List<KeyValue<String, SpanEvent>> out = new ArrayList<>();
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            List<io.opentelemetry.proto.common.v1.KeyValue> resource = resourceSpans.getResource().getAttributesList();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                List<io.opentelemetry.proto.common.v1.KeyValue> scope = scopeSpans.getScope().getAttributesList();
                for (Span span : scopeSpans.getSpansList()) {
                    String requirement = RequirementResolver.requirement(span.getAttributesList(), scope, resource);
                    if (requirement == null) requirement = "unattributed/" + RequirementResolver.serviceName(resource);
                    double durationMs = (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6;
                    boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
                    String traceId = span.getTraceId().size() == 16 ? HEX.formatHex(span.getTraceId().toByteArray()) : null;
                    out.add(KeyValue.pair(requirement, new SpanEvent(durationMs, error, traceId)));
                }
            }
        }
        return out;
    }

    static Serde<SpanEvent> spanEventSerde() {
        return Serdes.serdeFrom((topic, span) -> {
            byte[] traceId = span.traceId() == null ? new byte[0] : HEX.parseHex(span.traceId());
            return ByteBuffer.allocate(8 + 1 + traceId.length).putDouble(span.durationMs())
                    .put((byte) (span.error() ? 1 : 0)).put(traceId).array();
        }, (topic, bytes) -> {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            double duration = in.getDouble();
            boolean error = in.get() == 1;
            return new SpanEvent(duration, error,
                    in.remaining() == 0 ? null : HEX.formatHex(bytes, in.position(), bytes.length));
        });
    }

    static Serde<SpanAggregate> spanAggregateSerde() {
        return Serdes.serdeFrom((topic, aggregate) -> SpanAggregateCodec.encode(aggregate),
                (topic, bytes) -> SpanAggregateCodec.decode(bytes));
    }
}

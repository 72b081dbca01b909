package io.homeostat.topology;

import io.homeostat.aggregate.Distribution;
import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.MetricCodec;
import io.homeostat.aggregate.MetricKind;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.aggregate.SpanJournal;
import io.homeostat.aggregate.SpanSliceBuffer;
import io.homeostat.evaluate.Episode;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.Json;
import io.homeostat.model.TargetParser;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkLogs;
import io.homeostat.testing.SdkMetrics;
import io.homeostat.issues.TraceCodec;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures the bytes of every changelogged store and repartition record as written by Homeostat before
 * the stored formats were versioned (main at 0fc8795), with what each decoded to at the time. Run once:
 * {@code -Dcapture.legacy=<dir>}; its output is the test resource {@code stored-formats/legacy/}.
 */
@EnabledIfSystemProperty(named = "capture.legacy", matches = ".+")
class LegacyFormatCapture {
    static final HexFormat HEX = HexFormat.of();
    static final String PERF = "REQ-NFR-PERF-001";
    static final String AUTH = "REQ-F-AUTH-001";

    @TempDir Path stateDir;

    @Test
    void capture() throws Exception {
        Path out = Path.of(System.getProperty("capture.legacy"));
        Files.createDirectories(out);
        try (TopologyHarness h = new TopologyHarness(stateDir);
             SdkMetrics cumulative = new SdkMetrics("customer-portal", h.now(), false);
             SdkMetrics delta = new SdkMetrics("checkout", h.now(), true);
             SdkLogs logs = new SdkLogs("customer-portal")) {
            h.putTarget(PERF + "/span.duration_ms", HomeostatTopologyTest.LATENCY_TARGET);
            h.putTarget(PERF + "/slow-for", """
                    {"requirement": "REQ-NFR-PERF-001", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                     "alert_threshold": 0.95, "window": "5s", "min_events": 10, "for": "10m",
                     "labels": {"team": "identity", "tier": "1"}, "business_rules": ["BR-001"]}""");
            h.putTarget("REQ-F-SILENT-001/span.count", """
                    {"requirement": "REQ-F-SILENT-001", "metric": "span.count", "target": 1, "operator": "gte",
                     "window": "2s", "notify_no_data": true, "no_data_after": "3s"}""");
            h.putTarget(PERF + "/login_latency_ms", """
                    {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                     "alert_threshold": 0.95, "window": "5s", "min_events": 20}""");
            h.putTarget(AUTH + "/login_success_rate", """
                    {"requirement": "REQ-F-AUTH-001", "metric": "login_success_rate", "target": 0.99, "operator": "gte",
                     "alert_threshold": 0.98, "window": "5s", "min_events": 10,
                     "ratio": {"good": {"metric": "login_attempts", "where": {"status": "success"}},
                               "total": {"metric": "login_attempts", "where": {"status": ["success", "failure"]}}}}""");
            h.putTarget("REQ-F-GONE-001/span.count", """
                    {"requirement": "REQ-F-GONE-001", "metric": "span.count", "target": 1, "operator": "gte"}""");
            h.deleteTarget("REQ-F-GONE-001/span.count");

            for (int s = 0; s < 12; s++) {
                boolean degraded = s >= 4;
                h.sdk().spans(PERF, 20, h.now().plusMillis(500), degraded ? HomeostatTopologyTest.DEGRADED
                        : HomeostatTopologyTest.HEALTHY, degraded ? 3 : 0);
                h.sdk().span("health-check", Map.of(), h.now().plusMillis(400), 3, false);
                if (s % 3 == 0) {
                    h.sdk().failedSpan("login", Map.of("requirement", AUTH, "enduser.id", "user-" + s, "business_rules", "BR-001"),
                            h.now().plusMillis(500), new IllegalStateException("Session store unavailable for user " + s));
                    logs.log(Severity.ERROR, "Card declined for user " + s, Map.of("requirement", "REQ-F-PAY-001",
                            "constraints", "C-007"), h.now().plusMillis(300), new IllegalArgumentException("declined " + s));
                    h.logs.pipeInput(null, logs.batch(OtlpEncoding.PROTOBUF), h.now());
                }
                h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
                for (int i = 0; i < 5; i++) {
                    cumulative.latency(PERF, degraded ? 700 + i : 100 + i * 10);
                    delta.latency(PERF, 150 + i);
                    cumulative.attempt(AUTH, i == 0 && degraded ? "failure" : "success");
                    delta.attempt(AUTH, "success");
                }
                h.pipeMetrics(cumulative.collect(h.now().plusMillis(900), OtlpEncoding.PROTOBUF));
                h.pipeMetrics(delta.collect(h.now().plusMillis(900), OtlpEncoding.PROTOBUF));
                h.pipeMetrics(handBuilt(h.now().plusMillis(800), s));
                if (s == 11) {
                    // Before the flush: the decode task's journal holds this second's spans.
                    dumpStores(h, out, DecodeSpansProcessor.JOURNAL_STORE);
                }
                h.tick();
            }
            dumpStores(h, out, RequirementWindows.SPAN_SLICES_STORE, RequirementWindows.METRIC_SLICES_STORE,
                    RequirementWindows.SERIES_STORE, EvaluateProcessor.TARGETS_STORE, EvaluateProcessor.EPISODES_STORE,
                    EvaluateProcessor.TARGET_STATE_STORE, EvaluateProcessor.UNATTRIBUTED_STORE,
                    IntentsFromAlertsProcessor.ALERT_INTENTS_STORE, TrackIssuesProcessor.ISSUES_STORE,
                    RouteTargetsProcessor.ROUTES_STORE);
            dumpRepartitionRecords(h, out);
        }
    }

    /** Gauge (delta aggregate), exponential histogram and summary (cumulative series), as no SDK instrument here makes them. */
    static byte[] handBuilt(Instant at, int second) {
        long t = at.toEpochMilli() * 1_000_000L;
        long start = TopologyHarness.T0.toEpochMilli() * 1_000_000L;
        KeyValue req = KeyValue.newBuilder().setKey("requirement").setValue(AnyValue.newBuilder().setStringValue(PERF)).build();
        KeyValue pool = KeyValue.newBuilder().setKey("pool").setValue(AnyValue.newBuilder().setStringValue("main")).build();
        Metric gauge = Metric.newBuilder().setName("pool_in_use").setGauge(Gauge.newBuilder().addDataPoints(
                NumberDataPoint.newBuilder().addAttributes(req).addAttributes(pool).setTimeUnixNano(t).setAsDouble(3 + second)))
                .build();
        Metric exp = Metric.newBuilder().setName("queue_wait_ms").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(ExponentialHistogramDataPoint.newBuilder().addAttributes(req).setStartTimeUnixNano(start)
                        .setTimeUnixNano(t).setCount(4L * (second + 1)).setSum(40.0 * (second + 1)).setScale(2)
                        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(10)
                                .addBucketCounts(2L * (second + 1)).addBucketCounts(2L * (second + 1)))))
                .build();
        Metric summary = Metric.newBuilder().setName("gc_pause_ms").setSummary(Summary.newBuilder().addDataPoints(
                SummaryDataPoint.newBuilder().addAttributes(req).setStartTimeUnixNano(start).setTimeUnixNano(t)
                        .setCount(10L * (second + 1)).setSum(25.0 * (second + 1))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(2))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(9))))
                .build();
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue("worker"))))
                .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(gauge).addMetrics(exp).addMetrics(summary)))
                .build().toByteArray();
    }

    static void dumpStores(TopologyHarness h, Path out, String... stores) throws Exception {
        for (String store : stores) {
            StringBuilder text = new StringBuilder("# store " + store + ": key hex, value hex, then what the value decoded to\n");
            KeyValueStore<Object, Object> kv = h.driver.getKeyValueStore(store);
            int n = 0;
            try (KeyValueIterator<Object, Object> it = kv.all()) {
                while (it.hasNext()) {
                    var entry = it.next();
                    byte[] key = entry.key instanceof Bytes b ? b.get() : ((String) entry.key).getBytes(StandardCharsets.UTF_8);
                    byte[] value = entry.value instanceof byte[] b ? b : ((String) entry.value).getBytes(StandardCharsets.UTF_8);
                    text.append(HEX.formatHex(key)).append(' ').append(HEX.formatHex(value)).append('\n');
                    text.append("= ").append(describeStored(store, value)).append('\n');
                    n++;
                }
            }
            if (n == 0) throw new IllegalStateException("store " + store + " is empty: nothing captured");
            Files.writeString(out.resolve(store + ".txt"), text);
        }
    }

    static String describeStored(String store, byte[] value) throws Exception {
        return switch (store) {
            case RequirementWindows.SPAN_SLICES_STORE -> Describe.of(SpanAggregateCodec.decode(value));
            case RequirementWindows.METRIC_SLICES_STORE -> Describe.of(MetricCodec.decodeSeriesSlice(value));
            case RequirementWindows.SERIES_STORE -> {
                ByteBuffer in = ByteBuffer.wrap(value);
                MetricPartial.Shape shape = MetricPartial.Shape.values()[in.get()];
                long lastUpdate = in.getLong();
                byte[] point = new byte[in.remaining()];
                in.get(point);
                yield "shape=" + shape + " lastUpdate=" + lastUpdate + " point=" + Describe.of(MetricCodec.parsePoint(shape, point));
            }
            case DecodeSpansProcessor.JOURNAL_STORE -> {
                SpanSliceBuffer buffer = new SpanSliceBuffer();
                SpanJournal.replay(value, buffer);
                yield Describe.of(buffer.drain());
            }
            case EvaluateProcessor.TARGETS_STORE -> Describe.of(TargetParser.parse(value));
            case EvaluateProcessor.EPISODES_STORE -> Describe.of(Json.MAPPER.readValue(value, Episode.class));
            case EvaluateProcessor.TARGET_STATE_STORE ->
                    Describe.of(Json.MAPPER.readValue(value, EvaluateProcessor.TargetState.class));
            case EvaluateProcessor.UNATTRIBUTED_STORE -> Describe.of(Json.MAPPER.readValue(value, UnattributedStatus.class));
            case IntentsFromAlertsProcessor.ALERT_INTENTS_STORE -> Describe.of(TraceCodec.decodeMark(value));
            case TrackIssuesProcessor.ISSUES_STORE -> Describe.of(TraceCodec.decodeState(value));
            case RouteTargetsProcessor.ROUTES_STORE -> new String(value, StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException(store);
        };
    }

    /** One record of each kind on each repartition topic, encoded by the topology's own serdes. */
    static void dumpRepartitionRecords(TopologyHarness h, Path out) throws Exception {
        List<RequirementEvent> events = new ArrayList<>();
        KeyValueStore<Bytes, byte[]> slices = h.driver.getKeyValueStore(RequirementWindows.SPAN_SLICES_STORE);
        try (var it = slices.all()) {
            var entry = it.next();
            events.add(new RequirementEvent.SlicePartial(SliceStoreKeys.sliceStart(entry.key), SpanAggregateCodec.decode(entry.value)));
        }
        KeyValueStore<Bytes, byte[]> metricSlices = h.driver.getKeyValueStore(RequirementWindows.METRIC_SLICES_STORE);
        List<MetricKind> kinds = new ArrayList<>();
        try (var it = metricSlices.all()) {
            while (it.hasNext()) {
                MetricCodec.SeriesSlice slice = MetricCodec.decodeSeriesSlice(it.next().value);
                if (kinds.contains(slice.aggregate().kind())) continue;
                kinds.add(slice.aggregate().kind());
                events.add(new RequirementEvent.MetricSlice(MetricPartial.delta("m_" + slice.aggregate().kind(),
                        slice.attributes(), 1_790_244_003_000L, slice.aggregate())));
            }
        }
        KeyValueStore<Bytes, byte[]> series = h.driver.getKeyValueStore(RequirementWindows.SERIES_STORE);
        try (var it = series.all()) {
            long id = 41;
            while (it.hasNext()) {
                ByteBuffer in = ByteBuffer.wrap(it.next().value);
                MetricPartial.Shape shape = MetricPartial.Shape.values()[in.get()];
                in.getLong();
                byte[] point = new byte[in.remaining()];
                in.get(point);
                events.add(new RequirementEvent.MetricSlice(MetricPartial.cumulative("series_" + shape,
                        new TreeMap<>(Map.of("service.name", "worker")), id++,
                        new MetricPartial.Cumulative(shape, List.of(MetricCodec.parsePoint(shape, point))))));
            }
        }
        events.add(new RequirementEvent.Unattributed("customer-portal", 12, 3, 1, 1_790_244_007_000L));
        events.add(new RequirementEvent.TargetUpsert(PERF + "/span.duration_ms",
                TargetParser.parse(HomeostatTopologyTest.LATENCY_TARGET.getBytes(StandardCharsets.UTF_8))));
        events.add(new RequirementEvent.TargetDelete(PERF + "/span.duration_ms"));
        StringBuilder text = new StringBuilder(
                "# repartition topic requirement-events: record value hex, then what it decoded to\n");
        for (RequirementEvent event : events) {
            byte[] bytes = RequirementEventSerde.encode(event);
            text.append(HEX.formatHex(bytes)).append('\n');
            text.append("= ").append(Describe.of(RequirementEventSerde.decode(bytes))).append('\n');
        }
        Files.writeString(out.resolve("requirement-events.txt"), text);

        StringBuilder issues = new StringBuilder(
                "# repartition topic issue-occurrences: record value hex, then what it decoded to\n");
        KeyValueStore<String, byte[]> states = h.driver.getKeyValueStore(TrackIssuesProcessor.ISSUES_STORE);
        try (var it = states.all()) {
            while (it.hasNext()) {
                byte[] bytes = TraceCodec.encode(TraceCodec.decodeState(it.next().value).issue());
                issues.append(HEX.formatHex(bytes)).append('\n');
                issues.append("= ").append(Describe.of(new IssuePartialSerde().deserializer().deserialize("t", bytes)))
                        .append('\n');
            }
        }
        Files.writeString(out.resolve("issue-occurrences.txt"), issues);
    }

    /** What a decoded value holds, field by field, in a form that does not depend on its classes' code. */
    static final class Describe {
        static String of(Object value) {
            StringBuilder out = new StringBuilder();
            append(out, value, 0);
            return out.toString();
        }

        static void append(StringBuilder out, Object value, int depth) {
            if (depth > 12) throw new IllegalStateException("too deep");
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                out.append('"').append(s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"")).append('"');
            } else if (value instanceof Number || value instanceof Boolean || value instanceof Enum<?>
                    || value instanceof Duration || value instanceof Instant) {
                out.append(value);
            } else if (value instanceof Distribution d) {
                out.append("Distribution{count=").append(d.count()).append(", sum=").append(d.sum());
                if (!d.isEmpty()) {
                    out.append(", p50=").append(d.quantile(0.5)).append(", p99=").append(d.quantile(0.99))
                            .append(", max=").append(d.max());
                }
                out.append('}');
            } else if (value instanceof org.apache.datasketches.hll.HllSketch sketch) {
                out.append("Hll{lgK=").append(sketch.getLgConfigK()).append(", estimate=")
                        .append(Math.round(sketch.getEstimate())).append('}');
            } else if (value instanceof com.google.protobuf.MessageOrBuilder message) {
                out.append(message.getClass().getSimpleName()).append('{')
                        .append(com.google.protobuf.TextFormat.printer().shortDebugString(message)).append('}');
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (var e : new TreeMap<>(map).entrySet()) {
                    if (!first) out.append(", ");
                    first = false;
                    out.append(e.getKey()).append('=');
                    append(out, e.getValue(), depth + 1);
                }
                out.append('}');
            } else if (value instanceof Iterable<?> list) {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) out.append(", ");
                    first = false;
                    append(out, item, depth + 1);
                }
                out.append(']');
            } else if (value.getClass().isArray()) {
                int n = java.lang.reflect.Array.getLength(value);
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(java.lang.reflect.Array.get(value, i));
                append(out, items, depth);
            } else if (value.getClass().getName().startsWith("io.homeostat.")) {
                out.append(value.getClass().getSimpleName()).append('{');
                boolean first = true;
                for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (var field : c.getDeclaredFields()) {
                        if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) continue;
                        field.setAccessible(true);
                        if (!first) out.append(", ");
                        first = false;
                        out.append(field.getName()).append('=');
                        try {
                            append(out, field.get(value), depth + 1);
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                out.append('}');
            } else {
                throw new IllegalArgumentException("cannot describe " + value.getClass());
            }
        }
    }
}

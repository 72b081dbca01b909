package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricBatchAggregatorTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void sdkCumulativeMetricsBecomeCumulativePartialsPerSeries() throws Exception {
        try (SdkMetrics sdk = new SdkMetrics("customer-portal", T0, false)) {
            sdk.latency("REQ-NFR-PERF-001", 120).latency("REQ-NFR-PERF-001", 650)
                    .attempt("REQ-F-AUTH-001", "success").attempt("REQ-F-AUTH-001", "success")
                    .attempt("REQ-F-AUTH-001", "failure");
            byte[] otlp = sdk.collect(T0.plusSeconds(10), OtlpEncoding.PROTOBUF);
            MetricBatchAggregator.Result result = MetricBatchAggregator.aggregate(
                    OtlpDecoder.decodeMetrics(otlp, OtlpEncoding.PROTOBUF), 5_000);

            assertThat(result.points()).isEqualTo(3); // one histogram point, two counter series
            assertThat(result.latestPointTimeMs()).isEqualTo(T0.plusSeconds(10).toEpochMilli());
            List<MetricBatchAggregator.Keyed> partials = result.partials();
            assertThat(partials).extracting(MetricBatchAggregator.Keyed::requirement)
                    .containsExactlyInAnyOrder("REQ-NFR-PERF-001", "REQ-F-AUTH-001", "REQ-F-AUTH-001");
            MetricPartial latency = partials.stream().filter(k -> k.requirement().equals("REQ-NFR-PERF-001"))
                    .findFirst().orElseThrow().partial();
            assertThat(latency.metric()).isEqualTo("login_latency_ms");
            assertThat(latency.cumulative().shape()).isEqualTo(MetricPartial.Shape.HISTOGRAM);
            assertThat(latency.attributes()).containsExactly(Map.entry("service.name", "customer-portal"));
            assertThat(partials.stream().filter(k -> k.requirement().equals("REQ-F-AUTH-001"))
                    .map(k -> k.partial().attributes().get("status"))).containsExactlyInAnyOrder("success", "failure");
        }
    }

    @Test
    void sdkDeltaMetricsBecomeSlicePartialsAndJsonEqualsProtobuf() throws Exception {
        try (SdkMetrics sdk = new SdkMetrics("customer-portal", T0, true)) {
            for (int i = 0; i < 10; i++) sdk.latency("REQ-NFR-PERF-001", 100 + i * 100);
            byte[] proto = sdk.collect(T0.plusSeconds(7), OtlpEncoding.PROTOBUF);
            var fromProto = OtlpDecoder.decodeMetrics(proto, null);
            MetricBatchAggregator.Result result = MetricBatchAggregator.aggregate(fromProto, 5_000);
            MetricPartial partial = result.partials().get(0).partial();
            assertThat(partial.cumulative()).isNull();
            assertThat(partial.sliceStart()).isEqualTo(T0.plusSeconds(5).toEpochMilli());
            MetricAggregate.Histogram h = (MetricAggregate.Histogram) partial.delta();
            assertThat(h.count()).isEqualTo(10);
            assertThat(h.sum()).isEqualTo(5500);
            assertThat(h.buckets().bounds()).containsExactly(50, 100, 200, 500, 1000, 2000);
            assertThat(h.fractionSatisfying(io.homeostat.model.Operator.LTE, 500, 0)).isEqualTo(0.5);
        }
    }

    @Test
    void pointsWithoutRequirementAreCountedPerService() throws Exception {
        var request = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(
                                io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("service.name")
                                        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("batch"))))
                        .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("queue_depth")
                                        .setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                                                .addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
                                                        .setTimeUnixNano(1).setAsInt(3))))))
                .build();
        MetricBatchAggregator.Result result = MetricBatchAggregator.aggregate(request, 1_000);
        assertThat(result.partials()).isEmpty();
        assertThat(result.unattributedByService()).containsExactly(Map.entry("batch", 1L));
    }

    @Test
    void deltaCountersAddUpAndCumulativeUpDownCountersAreLevels() {
        var sum = io.opentelemetry.proto.metrics.v1.Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                .addDataPoints(point(1_000, 3)).addDataPoints(point(1_500, 4)).addDataPoints(point(2_500, 10));
        var upDown = io.opentelemetry.proto.metrics.v1.Sum.newBuilder().setIsMonotonic(false)
                .setAggregationTemporality(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(point(1_200, 40)).addDataPoints(point(1_800, 25));
        var request = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
                .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
                        .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("lockouts").setSum(sum))
                                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("sessions").setSum(upDown))))
                .build();
        Map<String, List<MetricAggregate>> byMetric = new java.util.TreeMap<>();
        for (MetricBatchAggregator.Keyed keyed : MetricBatchAggregator.aggregate(request, 1_000).partials()) {
            byMetric.computeIfAbsent(keyed.partial().metric(), k -> new java.util.ArrayList<>()).add(keyed.partial().delta());
        }
        // delta counter: 3 + 4 in slice [1000, 2000), 10 in [2000, 3000)
        assertThat(byMetric.get("lockouts")).containsExactly(new MetricAggregate.Sum(7, 2), new MetricAggregate.Sum(10, 1));
        // a cumulative up-down counter is a level: judged like a gauge, last value 25
        MetricAggregate.Gauge sessions = (MetricAggregate.Gauge) byMetric.get("sessions").get(0);
        assertThat(sessions.last()).isEqualTo(25);
        assertThat(sessions.max()).isEqualTo(40);
    }

    private static io.opentelemetry.proto.metrics.v1.NumberDataPoint.Builder point(long timeMs, long value) {
        return io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
                .addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("requirement")
                        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("REQ-X")))
                .setTimeUnixNano(timeMs * 1_000_000L).setAsInt(value);
    }

    @Test
    void partialsRoundTripThroughTheCodec() throws Exception {
        try (SdkMetrics sdk = new SdkMetrics("svc", T0, false)) {
            sdk.latency("R", 10).attempt("R", "success");
            var result = MetricBatchAggregator.aggregate(
                    OtlpDecoder.decodeMetrics(sdk.collect(T0.plusSeconds(1), OtlpEncoding.PROTOBUF), null), 1_000);
            for (MetricBatchAggregator.Keyed keyed : result.partials()) {
                byte[] bytes = MetricCodec.encode(keyed.partial());
                MetricPartial back = MetricCodec.decodePartial(bytes, 0, bytes.length);
                assertThat(back.metric()).isEqualTo(keyed.partial().metric());
                assertThat(back.attributes()).isEqualTo(keyed.partial().attributes());
                assertThat(back.seriesId()).isEqualTo(keyed.partial().seriesId());
                assertThat(back.cumulative().points()).isEqualTo(keyed.partial().cumulative().points());
            }
        }
    }
}

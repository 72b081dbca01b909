package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.aggregate.UnusableTelemetryException;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.ProductionIssue;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named regression cases: records that once stopped a stream thread. Each must leave the topology running,
 * be processed or dead-lettered with a reason, and not cost the good data beside it.
 */
class PoisonRecordsTest {
    static final String PERF = "REQ-NFR-PERF-001";

    @TempDir Path stateDir;
    TopologyHarness h;

    @BeforeEach
    void start() {
        h = new TopologyHarness(stateDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** The reported crash: IllegalArgumentException from the sketch in decode-metrics stopped the thread. */
    @Test
    void exponentialHistogramAtScaleMinus10WithABucketAtOffset1() {
        long nanos = h.now().toEpochMilli() * 1_000_000L;
        String json = """
                {"resourceMetrics": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "odd-sender"}}]},
                 "scopeMetrics": [{"metrics": [
                  {"name": "odd_latency_ms", "exponentialHistogram": {"aggregationTemporality": 1, "dataPoints": [
                   {"attributes": [{"key": "requirement", "value": {"stringValue": "%1$s"}}],
                    "timeUnixNano": "%2$d", "count": "3", "sum": 3.0, "scale": -10,
                    "positive": {"offset": 1, "bucketCounts": ["3"]}}]}},
                  {"name": "odd_latency_ms", "exponentialHistogram": {"aggregationTemporality": 1, "dataPoints": [
                   {"attributes": [{"key": "requirement", "value": {"stringValue": "%1$s"}}],
                    "timeUnixNano": "%2$d", "count": "2", "sum": 30.0, "scale": 3,
                    "positive": {"offset": 26, "bucketCounts": ["1", "1"]}}]}}]}]}]}
                """.formatted(PERF, nanos);
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        h.metrics.pipeInput(new TestRecord<>(null, json.getBytes(StandardCharsets.UTF_8), headers, h.now()));

        assertThat(h.counter("data-points-decoded")).as("the good point beside the bad one").isEqualTo(1);
        assertThat(h.counter("data-points-rejected")).isEqualTo(1);
        List<TestRecord<byte[], byte[]>> letters = h.deadLetters.readRecordsToList();
        assertThat(letters).isEmpty();
        GoodRecords.assertStillProcessing(h);
    }

    static KeyValue attribute(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    long nanos() {
        return h.now().toEpochMilli() * 1_000_000L;
    }

    private static ExportMetricsServiceRequest metrics(Resource resource, Metric... metrics) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource)
                .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(java.util.List.of(metrics)))).build();
    }

    private static Resource service(String name) {
        return Resource.newBuilder().addAttributes(attribute("service.name", name)).build();
    }

    /**
     * Found by InputFuzzTest (-Dhomeostat.fuzz.seed=20261129, metrics record #4775): one request in which a metric is a gauge and
     * a histogram with the same attributes made the batch merge cast one into the other; the ClassCastException
     * stopped the thread without reaching the exception handler (Kafka Streams takes it for a Serde mistake).
     */
    @Test
    void aMetricThatIsAGaugeAndAHistogramInTheSameRequest() {
        NumberDataPoint gauge = NumberDataPoint.newBuilder().addAttributes(attribute("requirement", PERF))
                .setTimeUnixNano(nanos()).setAsDouble(3).build();
        HistogramDataPoint histogram = HistogramDataPoint.newBuilder().addAttributes(attribute("requirement", PERF))
                .setTimeUnixNano(nanos()).setCount(1).addExplicitBounds(10).addBucketCounts(1).addBucketCounts(0).build();
        h.pipeMetrics(metrics(service("checkout"),
                Metric.newBuilder().setName("pool_size").setGauge(Gauge.newBuilder().addDataPoints(gauge)).build(),
                Metric.newBuilder().setName("pool_size").setHistogram(Histogram.newBuilder()
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(histogram)).build())
                .toByteArray());
        assertThat(h.counter("data-points-decoded")).isEqualTo(1);
        assertThat(h.counter("data-points-rejected")).isEqualTo(1);
        assertThat(h.deadLetters.isEmpty()).isTrue();
        GoodRecords.assertStillProcessing(h);
    }

    /**
     * Found by the first version of InputFuzzTest (seed 20261129, metrics; it made 1 MB strings far more often): a
     * service.name of 1 MB went into the series'
     * attributes, which the repartition record could not hold (UTFDataFormatException); the record was dead-lettered
     * once per partial. Service names are cut to 255 characters now.
     */
    @Test
    void aServiceNameOfOneMegabyte() {
        NumberDataPoint sum = NumberDataPoint.newBuilder().addAttributes(attribute("requirement", PERF))
                .setTimeUnixNano(nanos()).setAsInt(5).build();
        h.pipeMetrics(metrics(service("s".repeat(1 << 20)), Metric.newBuilder().setName("logins").setSum(
                io.opentelemetry.proto.metrics.v1.Sum.newBuilder().setIsMonotonic(true)
                        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA).addDataPoints(sum)).build())
                .toByteArray());
        assertThat(h.counter("data-points-decoded")).isEqualTo(1);
        assertThat(h.deadLetters.isEmpty()).isTrue();
        assertThat(h.counter(FailureCounters.NAME)).isZero();
        GoodRecords.assertStillProcessing(h);
    }

    /** A request none of whose data points can be used is itself the evidence: it is dead-lettered with the reasons. */
    @Test
    void aRequestOfOnlyUnusableDataPointsIsDeadLettered() {
        NumberDataPoint nan = NumberDataPoint.newBuilder().addAttributes(attribute("requirement", PERF))
                .setTimeUnixNano(nanos()).setAsDouble(Double.NaN).build();
        NumberDataPoint negative = NumberDataPoint.newBuilder().addAttributes(attribute("requirement", PERF))
                .setTimeUnixNano(-1L).setAsInt(4).build(); // 2^64 - 1 ns: after the year 2262
        h.pipeMetrics(metrics(service("checkout"), Metric.newBuilder().setName("queue_depth")
                .setGauge(Gauge.newBuilder().addDataPoints(nan).addDataPoints(negative)).build()).toByteArray());
        TestRecord<byte[], byte[]> letter = h.deadLetters.readRecord();
        assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.CLASS))
                .isEqualTo(UnusableTelemetryException.class.getName());
        assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.REASON))
                .contains("every data point was rejected (2)", "queue_depth: value is NaN",
                        "time_unix_nano 18446744073709551615 is after the year 2262");
        assertThat(h.counter("data-points-rejected")).isEqualTo(2);
        assertThat(h.counter("data-points-decoded")).isZero();
    }

    /**
     * Found by InputFuzzTest (seed 20261129, spans and logs, the first canary's check of the issues): trace and span ids of other lengths than OTLP's
     * 16 and 8 bytes went into production issues as hex of any length, which the issue schema does not allow.
     */
    @Test
    void traceAndSpanIdsOfTheWrongLengthAreNotCopiedIntoIssues() {
        byte[] traceId = new byte[23];
        for (int i = 0; i < traceId.length; i++) traceId[i] = (byte) (i + 1);
        Span span = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFromUtf8("abc"))
                .setName("checkout").setStartTimeUnixNano(nanos() - 5_000_000).setEndTimeUnixNano(nanos())
                .addAttributes(attribute("requirement", PERF)).addAttributes(attribute("error.type", "GatewayTimeout"))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("gateway timeout"))
                .build();
        h.pipeSpans(ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(service("checkout"))
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray());
        h.idle(2);
        java.util.List<ProductionIssue> issues = h.issues(); // each checked against issue.schema.json
        assertThat(issues).singleElement().satisfies(issue -> {
            assertThat(issue.traceId()).isNull();
            assertThat(issue.spanId()).isNull();
            assertThat(issue.sampleTraceIds()).isEmpty();
        });
    }

    /** A requirement value far longer than a requirement key is no key: the span counts as unattributed. */
    @Test
    void aRequirementOfOneMegabyteIsNoRequirement() {
        h.sdk().spans("R".repeat(1 << 20), 4, h.now().plusMillis(500), new double[] {5}, 0);
        h.pipeSpans(h.sdk().batch(io.homeostat.otlp.OtlpEncoding.PROTOBUF));
        assertThat(h.counter("spans-decoded")).isEqualTo(4);
        assertThat(h.counter("spans-unattributed")).isEqualTo(4);
        assertThat(h.deadLetters.isEmpty()).isTrue();
        GoodRecords.assertStillProcessing(h);
    }

    /**
     * Found by InputFuzzTest (seed 20261132, targets with telemetry beside them): a target of 4.9e-324 made an
     * infinite deviation percent, written as the string "Infinity" into status records and alerts, which their
     * schemas do not allow.
     */
    @Test
    void aTargetSoSmallThatTheDeviationIsInfinite() throws Exception {
        h.putTarget(PERF + "/span.duration_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "span.duration_ms", "target": 4.9e-324, "operator": "lt",
                 "window": "2s"}""");
        h.seconds(6, PERF, 10, new double[] {200}, 0);
        List<com.fasterxml.jackson.databind.JsonNode> statuses = new java.util.ArrayList<>();
        for (TestRecord<String, byte[]> record : h.status.readRecordsToList()) {
            io.homeostat.testing.Schemas.assertValid("status.schema.json", record.value());
            statuses.add(io.homeostat.model.Json.MAPPER.readTree(record.value()));
        }
        assertThat(statuses).anySatisfy(status -> {
            assertThat(status.path("state").asText()).isIn("deviating", "firing");
            assertThat(status.get("deviation_percent").isNull()).isTrue();
            assertThat(status.path("severity").asText()).isEqualTo("critical");
        });
        assertThat(h.alerts.readValuesToList()).allSatisfy(alert -> assertThat(alert.deviationPercent()).isNull());
    }
}

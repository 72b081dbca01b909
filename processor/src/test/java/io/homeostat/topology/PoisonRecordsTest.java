package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.DeadLetters;
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
}

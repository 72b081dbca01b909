package io.homeostat.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.evaluate.StatusCodec;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import io.homeostat.model.TargetStatus;
import io.homeostat.model.Timestamps;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkMetrics;
import io.homeostat.testing.SdkSpans;
import io.homeostat.topology.HomeostatTopology;
import io.homeostat.topology.QueryableStores;
import io.homeostat.topology.RuntimeSettings;
import io.homeostat.topology.SliceReader;
import io.homeostat.topology.Topics;
import io.homeostat.topology.TopologySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the status API and /metrics read, through the topology: the target-status store holds every target's
 * latest verdict (also between the status topic's publications, and none once the target is deleted), and the
 * series of a window, read back from the slice stores, measures each slice as the verdict measures the window.
 */
class LiveViewTopologyTest {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String LATENCY = "REQ-NFR-PERF-001/span.duration_ms";
    static final String HISTOGRAM = "REQ-NFR-PERF-001/login_latency_ms";

    @TempDir Path stateDir;
    TopologyTestDriver driver;
    TestInputTopic<byte[], byte[]> spans;
    TestInputTopic<byte[], byte[]> metrics;
    TestInputTopic<byte[], byte[]> targets;
    TestOutputTopic<String, byte[]> status;
    final SdkSpans sdk = new SdkSpans("customer-portal");
    SdkMetrics sdkMetrics;
    Instant now = T0;

    @BeforeEach
    void start() {
        Topics topics = Topics.defaults();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "live-view-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // A status interval far longer than the test: the status topic publishes changes only.
        TopologySettings settings = new TopologySettings(topics, Duration.ofSeconds(1), Duration.ofSeconds(1),
                TopologySettings.DEFAULT_MAX_FUTURE, Duration.ofHours(1), RuntimeSettings.defaults());
        driver = new TopologyTestDriver(HomeostatTopology.build(settings), props, T0);
        spans = driver.createInputTopic(topics.spans(), new ByteArraySerializer(), new ByteArraySerializer());
        metrics = driver.createInputTopic(topics.metrics(), new ByteArraySerializer(), new ByteArraySerializer());
        targets = driver.createInputTopic(topics.targets(), new ByteArraySerializer(), new ByteArraySerializer());
        status = driver.createOutputTopic(topics.status(), new StringDeserializer(), new ByteArrayDeserializer());
        sdkMetrics = new SdkMetrics("customer-portal", T0, true);
    }

    @AfterEach
    void stop() {
        driver.close();
        sdk.close();
        sdkMetrics.close();
    }

    static final String LATENCY_TARGET = """
            {"requirement": "REQ-NFR-PERF-001", "metric": "span.duration_ms", "target": 500, "operator": "lt",
             "alert_threshold": 0.9, "window": "4s", "min_events": 5}""";
    static final String HISTOGRAM_TARGET = """
            {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
             "alert_threshold": 0.9, "window": "4s", "min_events": 5}""";

    /** One second: 10 spans and 10 histogram observations of {@code ms}, then the wall clock moves a second. */
    void second(double ms) {
        sdk.spans("REQ-NFR-PERF-001", 10, now.plusMillis(500), new double[] {ms}, 0);
        spans.pipeInput(null, sdk.batch(OtlpEncoding.PROTOBUF), now);
        for (int i = 0; i < 10; i++) sdkMetrics.latency("REQ-NFR-PERF-001", ms);
        metrics.pipeInput(null, sdkMetrics.collect(now.plusMillis(600), OtlpEncoding.PROTOBUF), now);
        now = now.plusSeconds(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    TargetStatus live(String targetId) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(QueryableStores.TARGET_STATUS);
        byte[] stored = store.get(targetId);
        return stored == null ? null : StatusCodec.decode(stored);
    }

    @Test
    void theStoreHoldsEveryVerdictAndTheSeriesMeasuresEachSlice() throws Exception {
        targets.pipeInput(bytes(LATENCY), bytes(LATENCY_TARGET), now);
        targets.pipeInput(bytes(HISTOGRAM), bytes(HISTOGRAM_TARGET), now);
        for (int i = 0; i < 4; i++) second(100);
        for (int i = 0; i < 6; i++) second(i % 2 == 0 ? 900 : 100);

        TargetStatus latest = live(LATENCY);
        assertThat(latest).isNotNull();
        assertThat(latest.lastEvaluated()).as("written at every verdict").isEqualTo(Timestamps.format(now.toEpochMilli()));
        List<JsonNode> published = new ArrayList<>();
        status.readRecordsToList().stream().filter(r -> r.key().equals(LATENCY))
                .forEach(r -> published.add(read(r.value())));
        assertThat(published).isNotEmpty();
        JsonNode lastPublished = published.get(published.size() - 1);
        assertThat(lastPublished.get("last_evaluated").asText()).as("the topic publishes changes only here")
                .isNotEqualTo(latest.lastEvaluated());
        assertThat(latest.state()).isEqualTo(lastPublished.get("state").asText());
        assertThat(Json.MAPPER.readTree(StatusCodec.decodeJson(driver.<String, byte[]>getKeyValueStore(
                QueryableStores.TARGET_STATUS).get(LATENCY))).fieldNames()).toIterable()
                .as("the status record as the topic carries it").containsExactlyElementsOf(() -> lastPublished.fieldNames());

        KeyValueStore<Bytes, byte[]> spanSlices = driver.getKeyValueStore(QueryableStores.SPAN_SLICES);
        KeyValueStore<Bytes, byte[]> metricSlices = driver.getKeyValueStore(QueryableStores.METRIC_SLICES);
        SliceReader reader = new SliceReader(1000, spanSlices, metricSlices, (store, key, error, consequence) -> {
            throw new AssertionError(store + " " + key, error);
        });
        long windowStart = Timestamps.parse(latest.windowStart());
        long windowEnd = Timestamps.parse(latest.windowEnd());
        assertThat(windowEnd - windowStart).isEqualTo(4000);
        WindowSeries series = new WindowSeries(reader, 1000);
        ObjectNode spanSeries = series.of(target(LATENCY_TARGET), windowStart, windowEnd);
        ObjectNode histogramSeries = series.of(target(HISTOGRAM_TARGET), windowStart, windowEnd);
        for (ObjectNode s : List.of(spanSeries, histogramSeries)) {
            assertThat(s.get("slice_ms").asLong()).isEqualTo(1000);
            assertThat(s.get("point_ms").asLong()).isEqualTo(1000);
            assertThat(s.get("points")).hasSize(4);
            for (JsonNode point : s.get("points")) {
                long start = Timestamps.parse(point.get("start").asText());
                // Slow seconds alternate with fast ones: the point is the slice's own measurement.
                boolean slow = ((start - T0.toEpochMilli()) / 1000 - 4) % 2 == 0;
                assertThat(point.get("events").asLong()).isEqualTo(10);
                assertThat(point.get("good_ratio").asDouble()).as("%s", point).isEqualTo(slow ? 0.0 : 1.0);
                assertThat(point.get("actual").asDouble()).as("%s", point).isGreaterThan(slow ? 800 : 50)
                        .isLessThan(slow ? 1000 : 150);
            }
        }
        // The window's verdict is the merge of its points: half the events are good.
        assertThat(latest.goodRatio()).isEqualTo(0.5);

        targets.pipeInput(bytes(LATENCY), null, now);
        second(100);
        assertThat(live(LATENCY)).as("a deleted target has no live status").isNull();
        assertThat(live(HISTOGRAM)).isNotNull();
    }

    @Test
    void aLongWindowIsMergedIntoAtMostSixtyPoints() {
        targets.pipeInput(bytes(LATENCY), bytes(LATENCY_TARGET.replace("\"4s\"", "\"5m\"")), now);
        for (int i = 0; i < 5; i++) second(i < 3 ? 100 : 900);
        SliceReader reader = new SliceReader(1000, driver.getKeyValueStore(QueryableStores.SPAN_SLICES),
                driver.getKeyValueStore(QueryableStores.METRIC_SLICES), (store, key, error, consequence) -> {});
        TargetStatus latest = live(LATENCY);
        long windowEnd = Timestamps.parse(latest.windowEnd());
        ObjectNode s = new WindowSeries(reader, 1000).of(target(LATENCY_TARGET), windowEnd - 300_000, windowEnd);
        assertThat(s.get("point_ms").asLong()).isEqualTo(5000);
        assertThat(s.get("points")).hasSize(60);
        JsonNode last = s.get("points").get(59);
        assertThat(last.get("events").asLong()).as("the last five slices, merged: %s", last).isEqualTo(
                latest.events());
        assertThat(s.get("points").get(0).get("actual").isNull()).as("no events, no value").isTrue();
    }

    static Target target(String json) {
        try {
            return TargetParser.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (io.homeostat.model.InvalidTargetException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode read(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

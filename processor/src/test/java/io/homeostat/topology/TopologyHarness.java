package io.homeostat.topology;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkSpans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The topology under {@link TopologyTestDriver} with a mocked wall clock, 1 s slices and 1 s grace, fed
 * with spans from the OpenTelemetry SDK. One "second" of traffic is a batch of spans ending in that
 * second, followed by a one-second step of the wall clock (which runs the evaluation punctuator).
 */
final class TopologyHarness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final Topics TOPICS = Topics.defaults();
    /** Issues resolve after 30 s of quiet here, so that tests can reach it with a few ticks. */
    static final RuntimeSettings RUNTIME = RuntimeSettings.defaults().withIssueQuietPeriod(Duration.ofSeconds(30));

    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> spans;
    final TestInputTopic<byte[], byte[]> targets;
    final TestInputTopic<byte[], byte[]> logs;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<String, ProductionIssue> issues;
    final TestOutputTopic<String, FeedbackIntent> intents;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final SdkSpans sdk = new SdkSpans("customer-portal");
    private Instant now = T0;

    TopologyHarness(Path stateDir) {
        this(stateDir, T0);
    }

    TopologyHarness(Path stateDir, Instant start) {
        this(stateDir, start, RUNTIME);
    }

    TopologyHarness(Path stateDir, Instant start, RuntimeSettings runtime) {
        this.now = start;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "homeostat-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        TopologySettings settings = new TopologySettings(TOPICS, Duration.ofSeconds(1), Duration.ofSeconds(1), runtime);
        driver = new TopologyTestDriver(HomeostatTopology.build(settings), props, start);
        spans = driver.createInputTopic(TOPICS.spans(), new ByteArraySerializer(), new ByteArraySerializer());
        targets = driver.createInputTopic(TOPICS.targets(), new ByteArraySerializer(), new ByteArraySerializer());
        logs = driver.createInputTopic(TOPICS.logs(), new ByteArraySerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), new JsonSerde<>(Alert.class).deserializer());
        issues = driver.createOutputTopic(TOPICS.issues(), new StringDeserializer(),
                new JsonSerde<>(ProductionIssue.class).deserializer());
        intents = driver.createOutputTopic(TOPICS.intents(), new StringDeserializer(),
                new JsonSerde<>(FeedbackIntent.class).deserializer());
        deadLetters = driver.createOutputTopic(TOPICS.deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    Instant now() {
        return now;
    }

    void putTarget(String id, String json) {
        targets.pipeInput(bytes(id), json == null ? null : bytes(json), now);
    }

    void deleteTarget(String id) {
        putTarget(id, null);
    }

    /** One second of traffic for a requirement: {@code count} spans with the given durations and errors. */
    void second(String requirement, int count, double[] durationsMs, int errors) {
        sdk.spans(requirement, count, now.plusMillis(500), durationsMs, errors);
        pipeSpans(sdk.batch(OtlpEncoding.PROTOBUF));
        tick();
    }

    void seconds(int n, String requirement, int count, double[] durationsMs, int errors) {
        for (int i = 0; i < n; i++) second(requirement, count, durationsMs, errors);
    }

    /** One second of traffic whose spans ended {@code lag} ago: a replay, or a consumer far behind. */
    void secondBehind(Duration lag, String requirement, int count, double[] durationsMs, int errors) {
        sdk.spans(requirement, count, now.minus(lag).plusMillis(500), durationsMs, errors);
        pipeSpans(sdk.batch(OtlpEncoding.PROTOBUF));
        tick();
    }

    SdkSpans sdk() {
        return sdk;
    }

    void pipeSpans(byte[] otlp) {
        RecordHeaders headers = new RecordHeaders();
        spans.pipeInput(new org.apache.kafka.streams.test.TestRecord<>(null, otlp, headers, now));
    }

    void tick() {
        now = now.plusSeconds(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
    }

    void idle(int seconds) {
        for (int i = 0; i < seconds; i++) tick();
    }

    /** Sum of one of Homeostat's counters over tasks (and services). */
    double counter(String name) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
            if (e.getKey().group().equals(HomeostatTopology.METRICS_GROUP) && e.getKey().name().equals(name + "-total")) {
                total += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
        sdk.close();
    }
}

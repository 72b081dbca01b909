package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.Json;
import io.homeostat.model.ProductionIssue;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SdkSpans;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
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
import org.apache.kafka.streams.test.TestRecord;

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
    final TestInputTopic<byte[], byte[]> metrics;
    final TestInputTopic<byte[], byte[]> logs;
    final TestOutputTopic<String, byte[]> status;
    final TestOutputTopic<String, Alert> alerts;
    /** Raw, so that every record is checked against its schema ({@link #issues()}, {@link #intents()}). */
    private final TestOutputTopic<String, byte[]> rawIssues;
    private final TestOutputTopic<String, byte[]> rawIntents;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final SdkSpans sdk = new SdkSpans("customer-portal");
    private Instant now = T0;

    TopologyHarness(Path stateDir) {
        this(stateDir, T0);
    }

    TopologyHarness(Path stateDir, Instant start) {
        this(stateDir, start, RUNTIME, Duration.ofSeconds(1));
    }

    TopologyHarness(Path stateDir, Instant start, RuntimeSettings runtime) {
        this(stateDir, start, runtime, Duration.ofSeconds(1));
    }

    TopologyHarness(Path stateDir, Instant start, Duration statusInterval) {
        this(stateDir, start, RUNTIME, statusInterval);
    }

    TopologyHarness(Path stateDir, Instant start, RuntimeSettings runtime, Duration statusInterval) {
        this(stateDir, start, runtime, statusInterval, io.homeostat.evaluate.CardinalityLimits.defaults(),
                InputHealth.ASSUMED_READABLE);
    }

    TopologyHarness(Path stateDir, io.homeostat.evaluate.CardinalityLimits cardinality) {
        this(stateDir, T0, RUNTIME, Duration.ofSeconds(1), cardinality, InputHealth.ASSUMED_READABLE);
    }

    /** @param inputHealth what the runner would say about reading each input partition */
    TopologyHarness(Path stateDir, Instant start, RuntimeSettings runtime, Duration statusInterval, InputHealth inputHealth) {
        this(stateDir, start, runtime, statusInterval, io.homeostat.evaluate.CardinalityLimits.defaults(), inputHealth);
    }

    TopologyHarness(Path stateDir, Instant start, RuntimeSettings runtime, Duration statusInterval,
                    io.homeostat.evaluate.CardinalityLimits cardinality, InputHealth inputHealth) {
        this.now = start;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "homeostat-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // As the processor runs: a record whose processing throws is dead-lettered, not fatal.
        props.putAll(DeadLetterHandler.streamsConfig(TOPICS.deadLetters(), new FailureCounters()));
        TopologySettings settings = new TopologySettings(TOPICS, Duration.ofSeconds(1), Duration.ofSeconds(1),
                TopologySettings.DEFAULT_MAX_FUTURE, statusInterval, runtime, cardinality, inputHealth);
        driver = new TopologyTestDriver(HomeostatTopology.build(settings), props, start);
        spans = driver.createInputTopic(TOPICS.spans(), new ByteArraySerializer(), new ByteArraySerializer());
        targets = driver.createInputTopic(TOPICS.targets(), new ByteArraySerializer(), new ByteArraySerializer());
        metrics = driver.createInputTopic(TOPICS.metrics(), new ByteArraySerializer(), new ByteArraySerializer());
        logs = driver.createInputTopic(TOPICS.logs(), new ByteArraySerializer(), new ByteArraySerializer());
        status = driver.createOutputTopic(TOPICS.status(), new StringDeserializer(), new ByteArrayDeserializer());
        alerts = driver.createOutputTopic(TOPICS.alerts(), new StringDeserializer(), new JsonSerde<>(Alert.class).deserializer());
        rawIssues = driver.createOutputTopic(TOPICS.issues(), new StringDeserializer(), new ByteArrayDeserializer());
        rawIntents = driver.createOutputTopic(TOPICS.intents(), new StringDeserializer(), new ByteArrayDeserializer());
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

    void pipeMetrics(byte[] otlp) {
        metrics.pipeInput(null, otlp, now);
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

    /**
     * The production issues published since the last call, each checked against {@code issue.schema.json}
     * and its key (the test driver keeps one queue per topic: read them only here).
     */
    List<ProductionIssue> issues() {
        return read(rawIssues, "issue.schema.json", ProductionIssue.class, ProductionIssue::issueId);
    }

    /** The feedback intents published since the last call, each checked against {@code intent.schema.json}. */
    List<FeedbackIntent> intents() {
        return read(rawIntents, "intent.schema.json", FeedbackIntent.class, FeedbackIntent::intentId);
    }

    private static <T> List<T> read(TestOutputTopic<String, byte[]> topic, String schema, Class<T> type,
                                    Function<T, String> key) {
        List<T> values = new ArrayList<>();
        for (TestRecord<String, byte[]> record : topic.readRecordsToList()) {
            Schemas.assertValid(schema, record.value());
            try {
                T value = Json.MAPPER.readValue(record.value(), type);
                assertThat(record.key()).isEqualTo(key.apply(value));
                values.add(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return values;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Also checks every issue and intent that no test read against its schema. */
    @Override
    public void close() {
        issues();
        intents();
        driver.close();
        sdk.close();
    }
}

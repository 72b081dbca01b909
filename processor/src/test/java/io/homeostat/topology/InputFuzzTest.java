package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.aggregate.MetricBatchAggregator;
import io.homeostat.aggregate.UnusableTelemetryException;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.model.TargetParser;
import io.homeostat.otlp.OtlpDecodeException;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.FuzzRecords;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SdkMetrics;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structure-aware fuzzing of every input topic through the whole topology ({@link FuzzRecords}): 10 000 records
 * of each signal and 2 000 targets, seeded. Every record must end processed — its spans, data points or log
 * records all counted (decoded, or rejected with a reason) — or on the dead-letter topic with a reason, the
 * headers of the schema and an expected class (never an unexpected exception caught by the exception handler);
 * every alert, status, issue and intent written validates against its schema; and after each batch a known good
 * record is still processed into a status. {@code -Dhomeostat.fuzz.seed=N} replays another seed,
 * {@code -Dhomeostat.fuzz.scale=K} runs K times as many records.
 */
class InputFuzzTest {
    static final long SEED = Long.getLong("homeostat.fuzz.seed", 20_261_129L);
    static final int SCALE = Integer.getInteger("homeostat.fuzz.scale", 1);
    static final int PER_SIGNAL = 10_000 * SCALE;
    static final int TARGETS = 2_000 * SCALE;
    static final int BATCH = 1_000;
    /** What a dead letter of the fuzz may say it is; anything else is an exception nobody expected. */
    static final Set<String> EXPECTED = Set.of(OtlpDecodeException.class.getName(), FutureTimestampException.class.getName(),
            UnusableTelemetryException.class.getName(), InvalidTargetException.class.getName());

    @TempDir Path stateDir;
    TopologyHarness h;
    FuzzRecords fuzz;
    TestOutputTopic<String, byte[]> rawAlerts;
    private long offset;

    @BeforeEach
    void start() {
        h = new TopologyHarness(stateDir);
        rawAlerts = h.driver.createOutputTopic(TopologyHarness.TOPICS.alerts(), new StringDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** How a record ended: its dead letter (or null), and how much each counter moved. */
    record Outcome(TestRecord<byte[], byte[]> letter, Map<String, Double> moved) {
        double moved(String counter) {
            return moved.get(counter);
        }
    }

    @Test
    void spans() {
        fuzz = fuzz(SEED);
        run("spans", h.spans, fuzz::span, List.of("spans-decoded", "spans-rejected"), (input, outcome) -> {
            ExportTraceServiceRequest request;
            try {
                request = OtlpDecoder.decodeTraces(input.value(), OtlpEncoding.fromHeaders(input.headers()));
            } catch (OtlpDecodeException e) {
                expectLetter(outcome, OtlpDecodeException.class);
                return;
            }
            long spans = request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
                    .mapToLong(s -> s.getSpansCount()).sum();
            double decoded = outcome.moved("spans-decoded");
            double rejected = outcome.moved("spans-rejected");
            if (outcome.letter() == null) {
                assertThat(decoded + rejected).as("every span decoded or rejected").isEqualTo(spans);
            } else if (header(outcome.letter(), DeadLetters.CLASS).equals(UnusableTelemetryException.class.getName())) {
                assertThat(decoded).isZero();
                assertThat(rejected).as("every span rejected").isEqualTo(spans).isPositive();
            } else {
                expectLetter(outcome, FutureTimestampException.class);
                assertThat(decoded).isZero();
            }
        });
    }

    @Test
    void metrics() {
        fuzz = fuzz(SEED + 1);
        run("metrics", h.metrics, fuzz::metric, List.of("data-points-decoded", "data-points-rejected"), (input, outcome) -> {
            ExportMetricsServiceRequest request;
            try {
                request = OtlpDecoder.decodeMetrics(input.value(), OtlpEncoding.fromHeaders(input.headers()));
            } catch (OtlpDecodeException e) {
                expectLetter(outcome, OtlpDecodeException.class);
                return;
            }
            long points = request.getResourceMetricsList().stream().flatMap(r -> r.getScopeMetricsList().stream())
                    .flatMap(s -> s.getMetricsList().stream()).mapToLong(MetricBatchAggregator::pointCount).sum();
            double decoded = outcome.moved("data-points-decoded");
            double rejected = outcome.moved("data-points-rejected");
            if (outcome.letter() == null) {
                assertThat(decoded + rejected).as("every data point decoded or rejected").isEqualTo(points);
            } else if (header(outcome.letter(), DeadLetters.CLASS).equals(UnusableTelemetryException.class.getName())) {
                assertThat(decoded).isZero();
                assertThat(rejected).as("every data point rejected").isEqualTo(points).isPositive();
            } else {
                expectLetter(outcome, FutureTimestampException.class);
                assertThat(decoded).isZero();
            }
        });
    }

    @Test
    void logs() {
        fuzz = fuzz(SEED + 2);
        run("logs", h.logs, fuzz::log, List.of("log-records-decoded"), (input, outcome) -> {
            ExportLogsServiceRequest request;
            try {
                request = OtlpDecoder.decodeLogs(input.value(), OtlpEncoding.fromHeaders(input.headers()));
            } catch (OtlpDecodeException e) {
                expectLetter(outcome, OtlpDecodeException.class);
                return;
            }
            long records = request.getResourceLogsList().stream().flatMap(r -> r.getScopeLogsList().stream())
                    .mapToLong(s -> s.getLogRecordsCount()).sum();
            assertThat(outcome.letter()).as("a decodable log request is processed").isNull();
            assertThat(outcome.moved("log-records-decoded")).as("every log record counted").isEqualTo(records);
        });
    }

    /**
     * Targets with telemetry for their requirements beside them (spans with errors and slow ones, the SDK's latency
     * histogram and counter), so that the canary's ticks judge the fuzzed targets on data: extreme targets, windows
     * and thresholds meet real measurements, and every alert and status that makes is checked against its schema.
     */
    @Test
    void targets() {
        fuzz = fuzz(SEED + 3);
        try (SdkMetrics sdkMetrics = new SdkMetrics("fuzz-service", h.now(), false)) {
            java.util.concurrent.atomic.AtomicInteger round = new java.util.concurrent.atomic.AtomicInteger();
            telemetry = () -> {
                int n = round.incrementAndGet();
                String requirement = FuzzRecords.REQUIREMENTS.get(n % FuzzRecords.REQUIREMENTS.size());
                h.sdk().spans(requirement, 20, h.now().plusMillis(500), new double[] {5, 50, 500, 5000}, n % 4);
                h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
                for (int i = 0; i < 10; i++) sdkMetrics.latency(requirement, 10.0 * i * (n % 7)).attempt(requirement, i % 3 == 0 ? "failure" : "success");
                h.pipeMetrics(sdkMetrics.collect(h.now(), OtlpEncoding.PROTOBUF));
            };
            fuzzTargets();
        }
    }

    private void fuzzTargets() {
        run("targets", h.targets, fuzz::target, List.of("targets-applied", "targets-deleted", "targets-dead-lettered"),
                (input, outcome) -> {
                    boolean keyless = input.key() == null || input.key().length == 0;
                    if (!keyless && input.value() == null) {
                        assertThat(outcome.letter()).as("a tombstone is never a dead letter").isNull();
                        assertThat(outcome.moved("targets-deleted")).isBetween(0.0, 1.0);
                        return;
                    }
                    boolean valid;
                    try {
                        TargetParser.parse(input.value());
                        valid = !keyless;
                    } catch (InvalidTargetException e) {
                        valid = false;
                    }
                    if (valid) {
                        assertThat(outcome.letter()).as("a valid target is applied").isNull();
                        assertThat(outcome.moved("targets-applied")).isEqualTo(1);
                    } else {
                        expectLetter(outcome, InvalidTargetException.class);
                        assertThat(outcome.moved("targets-dead-lettered")).isEqualTo(1);
                        assertThat(outcome.moved("targets-applied")).isZero();
                    }
                });
    }

    interface Check {
        void check(FuzzRecords.Input input, Outcome outcome);
    }

    private long seed;
    /** Telemetry piped every {@value #TELEMETRY_EVERY} records besides the fuzzed ones (targets: data to judge them on). */
    private Runnable telemetry = () -> { };
    static final int TELEMETRY_EVERY = 50;

    private FuzzRecords fuzz(long signalSeed) {
        seed = signalSeed;
        return new FuzzRecords(signalSeed, h.now());
    }

    private void run(String signal, TestInputTopic<byte[], byte[]> topic, Supplier<FuzzRecords.Input> next,
                     List<String> counters, Check check) {
        int total = signal.equals("targets") ? TARGETS : PER_SIGNAL;
        for (int i = 0; i < total; i++) {
            FuzzRecords.Input input = next.get();
            Map<String, Double> before = counters(counters);
            try {
                topic.pipeInput(new TestRecord<>(input.key(), input.value(), input.headers(), h.now()));
                List<TestRecord<byte[], byte[]>> letters = h.deadLetters.readRecordsToList();
                assertThat(letters).as("at most one dead letter per record").hasSizeLessThanOrEqualTo(1);
                TestRecord<byte[], byte[]> letter = letters.isEmpty() ? null : letters.get(0);
                if (letter != null) checkLetter(letter, topic, input);
                Map<String, Double> after = counters(counters);
                after.replaceAll((name, value) -> value - before.get(name));
                check.check(input, new Outcome(letter, after));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("-Dhomeostat.fuzz.seed=" + SEED + " (this signal's generator: seed " + seed + "), " + signal + " record #" + i + " at offset " + offset + " ("
                        + input.what() + "), value starts " + preview(input.value()) + ": " + e.getMessage(), e);
            }
            offset++;
            if ((i + 1) % TELEMETRY_EVERY == 0) telemetry.run();
            if ((i + 1) % BATCH == 0 || i == total - 1) {
                GoodRecords.Piped piped = GoodRecords.assertStillProcessing(h);
                if (topic == h.spans) offset += piped.spans();
                if (topic == h.targets) offset += piped.targets();
                checkOutputs();
            }
        }
        assertThat(h.counter(FailureCounters.NAME)).as("records the exception handler had to take care of").isZero();
    }

    private void checkLetter(TestRecord<byte[], byte[]> letter, TestInputTopic<byte[], byte[]> topic,
                             FuzzRecords.Input input) {
        ObjectNode headers = Json.MAPPER.createObjectNode();
        for (Header header : letter.headers()) headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        Schemas.assertValid("dead-letter.schema.json", headers);
        assertThat(header(letter, DeadLetters.SOURCE_OFFSET)).isEqualTo(Long.toString(offset));
        assertThat(header(letter, DeadLetters.CLASS)).as("an expected dead-letter class; reason: %s",
                header(letter, DeadLetters.REASON)).isIn(EXPECTED);
        assertThat(letter.value()).isEqualTo(input.value());
    }

    private static void expectLetter(Outcome outcome, Class<?> type) {
        assertThat(outcome.letter()).as("a dead letter (%s)", type.getSimpleName()).isNotNull();
        assertThat(header(outcome.letter(), DeadLetters.CLASS)).isEqualTo(type.getName());
        assertThat(header(outcome.letter(), DeadLetters.REASON)).isNotBlank();
    }

    private void checkOutputs() {
        for (TestRecord<String, byte[]> alert : rawAlerts.readRecordsToList()) Schemas.assertValid("alert.schema.json", alert.value());
        h.issues(); // each checked against its schema
        h.intents();
    }

    /** The Streams metrics behind each counter, found again only when metrics come or go (reading all is slow). */
    private final Map<String, List<org.apache.kafka.common.Metric>> counterMetrics = new java.util.HashMap<>();
    private int metricsSeen = -1;

    private Map<String, Double> counters(List<String> names) {
        Map<org.apache.kafka.common.MetricName, ? extends org.apache.kafka.common.Metric> all = h.driver.metrics();
        if (all.size() != metricsSeen) {
            counterMetrics.clear();
            metricsSeen = all.size();
        }
        Map<String, Double> values = new java.util.HashMap<>();
        for (String name : names) {
            List<org.apache.kafka.common.Metric> metrics = counterMetrics.computeIfAbsent(name, n -> all.entrySet().stream()
                    .filter(e -> e.getKey().group().equals(HomeostatTopology.METRICS_GROUP)
                            && e.getKey().name().equals(n + "-total"))
                    .map(Map.Entry::getValue).map(m -> (org.apache.kafka.common.Metric) m).toList());
            double total = 0;
            for (org.apache.kafka.common.Metric metric : metrics) total += ((Number) metric.metricValue()).doubleValue();
            values.put(name, total);
        }
        return values;
    }

    static String header(TestRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String preview(byte[] value) {
        if (value == null) return "(null)";
        return HexFormat.of().formatHex(value, 0, Math.min(value.length, 48)) + " (" + value.length + " bytes)";
    }
}

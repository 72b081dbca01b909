package io.homeostat.config;

import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.exporter.kafka.KafkaMetricExporter;
import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import io.homeostat.model.TargetStatus;
import io.homeostat.model.Timestamps;
import io.homeostat.topology.HomeostatTopology;
import io.homeostat.topology.RuntimeSettings;
import io.homeostat.topology.Topics;
import io.homeostat.topology.TopologySettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableLongPointData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableMetricData;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableSumData;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
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
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A month of one SLO's events, minute by minute: total and bad requests per minute, as a service's OTLP counter
 * {@code http_requests{status}} exports them (delta, one export a minute), played through the processor
 * ({@link TopologyTestDriver}, the real topology, slices of a minute, the wall clock mocked), and as the series
 * Prometheus' OTLP receiver would hold for the same points ({@code http_requests_total}, sample {@code j} = the
 * events of the minutes before {@code j}), for {@code promtool test rules}.
 *
 * <p>Time: minute {@code k}'s requests are exported in the middle of the minute; Homeostat's verdict with window end
 * {@code T0 + m·1m} has the minutes before {@code m}, which is what Prometheus has evaluating at {@code m·1m}.
 */
final class SloScenario {
    static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(1);
    static final String SERVICE = "checkout";
    static final String REQUIREMENT = "REQ-F-CHECKOUT-001";
    static final String TARGET_ID = REQUIREMENT + "/checkout_success";

    /** What a stretch of minutes sends. */
    record Phase(String name, int fromMinute, int toMinute, long perMinute, double badShare) {}

    final List<Phase> phases;
    final int minutes;
    final long[] total;
    final long[] bad;
    final List<Alert> alerts = new ArrayList<>();
    final List<TargetStatus> statuses = new ArrayList<>();

    SloScenario(int minutes, long basePerMinute, List<Phase> phases) {
        this.minutes = minutes;
        this.phases = List.copyOf(phases);
        total = new long[minutes];
        bad = new long[minutes];
        for (int k = 0; k < minutes; k++) total[k] = basePerMinute;
        for (Phase phase : phases) {
            for (int k = phase.fromMinute(); k < phase.toMinute(); k++) {
                total[k] = phase.perMinute();
                // Spread evenly: the bad events of the first k minutes are round(k · share · total).
                long before = Math.round((k - phase.fromMinute()) * phase.badShare() * phase.perMinute());
                long after = Math.round((k - phase.fromMinute() + 1) * phase.badShare() * phase.perMinute());
                bad[k] = after - before;
            }
        }
    }

    /** The phase of minute k, or null (healthy base traffic). */
    Phase phaseAt(int k) {
        for (Phase phase : phases) if (k >= phase.fromMinute() && k < phase.toMinute()) return phase;
        return null;
    }

    static String config() {
        return """
                telemetry:
                  service_name: "checkout"
                  metrics:
                    - name: "http_requests"
                      type: "counter"
                      unit: "{request}"
                      requirement: "REQ-F-CHECKOUT-001"
                  homeostasis:
                    REQ-F-CHECKOUT-001:
                      metric: "checkout_success"
                      target: 0.999
                      operator: "gte"
                      window: "5m"
                      ratio:
                        good: {metric: "http_requests", where: {status: "ok"}}
                        total: {metric: "http_requests"}
                      slo:
                        period: "30d"
                        min_events: 20
                """;
    }

    /**
     * Plays the month through the processor, {@code step} minutes at a time: one OTLP export of their minutes (the
     * next one's too: its slice opens, which closes theirs), then the wall clock moves on a step and the processor
     * judges, so that verdicts end on whole steps, where Prometheus evaluates. Collects the burn-rate alerts and the
     * SLO target's statuses.
     */
    void play(Path stateDir, ResolvedTarget target, int step) throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "slo-scenario");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        Topics topics = Topics.defaults();
        // Slices of a minute; status at least every 10 minutes; the next step's first minute is ahead of the clock.
        TopologySettings settings = new TopologySettings(topics, STEP, Duration.ZERO, Duration.ofHours(1),
                Duration.ofMinutes(10), RuntimeSettings.defaults());
        Resource resource = Resource.getDefault().merge(Resource.builder().put(AttributeKey.stringKey("service.name"), SERVICE).build());
        InstrumentationScopeInfo scope = InstrumentationScopeInfo.create("io.homeostat.slo-scenario");
        Attributes ok = Attributes.of(AttributeKey.stringKey("requirement"), REQUIREMENT, AttributeKey.stringKey("status"), "ok");
        Attributes error = Attributes.of(AttributeKey.stringKey("requirement"), REQUIREMENT, AttributeKey.stringKey("status"), "error");
        try (TopologyTestDriver driver = new TopologyTestDriver(HomeostatTopology.build(settings), props, T0)) {
            TestInputTopic<byte[], byte[]> targets = driver.createInputTopic(topics.targets(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> metrics = driver.createInputTopic(topics.metrics(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> alertTopic = driver.createOutputTopic(topics.alerts(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> statusTopic = driver.createOutputTopic(topics.status(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            targets.pipeInput(target.id().getBytes(StandardCharsets.UTF_8), Json.MAPPER.writeValueAsBytes(target.json()), T0);
            for (int from = 0; from < minutes; from += step) {
                List<LongPointData> points = new ArrayList<>();
                Instant last = T0;
                for (int k = from == 0 ? 0 : from + 1; k <= Math.min(from + step, minutes - 1); k++) {
                    Instant start = T0.plus(STEP.multipliedBy(k));
                    last = start.plus(STEP.dividedBy(2));
                    long startNanos = start.toEpochMilli() * 1_000_000L;
                    long atNanos = last.toEpochMilli() * 1_000_000L;
                    if (total[k] - bad[k] > 0) points.add(ImmutableLongPointData.create(startNanos, atNanos, ok, total[k] - bad[k]));
                    if (bad[k] > 0) points.add(ImmutableLongPointData.create(startNanos, atNanos, error, bad[k]));
                }
                if (!points.isEmpty()) {
                    MetricData data = ImmutableMetricData.createLongSum(resource, scope, "http_requests", "", "{request}",
                            ImmutableSumData.create(true, AggregationTemporality.DELTA, points));
                    metrics.pipeInput(null, KafkaMetricExporter.marshal(List.of(data), KafkaExporterEncoding.OTLP_PROTO), last);
                }
                driver.advanceWallClockTime(STEP.multipliedBy(step));
                for (byte[] value : alertTopic.readValuesToList()) alerts.add(Json.MAPPER.readValue(value, Alert.class));
                for (byte[] value : statusTopic.readValuesToList()) {
                    if (value == null) continue;
                    var node = Json.MAPPER.readTree(value);
                    if ("target".equals(node.path("kind").asText())) statuses.add(Json.MAPPER.treeToValue(node, TargetStatus.class));
                }
            }
        }
    }

    /** Window end {@code m} of a record's window_end. */
    static int minuteOf(String time) {
        return (int) ((Timestamps.parse(time) - T0.toEpochMilli()) / STEP.toMillis());
    }

    /** Homeostat's episodes of a tier as [first window end firing, first window end not firing). */
    List<int[]> episodes(String tier) {
        List<int[]> episodes = new ArrayList<>();
        int[] open = null;
        for (Alert alert : alerts) {
            if (!Alert.KIND_BURN_RATE.equals(alert.kind()) || !tier.equals(tierOf(alert))) continue;
            int m = minuteOf(alert.windowEnd());
            if (alert.firing() && open == null) {
                open = new int[] {m, Integer.MAX_VALUE};
            } else if (!alert.firing() && open != null) {
                open[1] = m;
                episodes.add(open);
                open = null;
            }
        }
        if (open != null) episodes.add(open);
        return episodes;
    }

    static String tierOf(Alert alert) {
        return alert.slo() != null ? alert.slo().tier() : "critical".equals(alert.severity()) ? "page" : "ticket";
    }

    /** Whether Homeostat has the tier firing at window end m. */
    boolean firing(String tier, int m) {
        for (int[] e : episodes(tier)) if (m >= e[0] && m < e[1]) return true;
        return false;
    }

    // ------------------------------------------------------------------------------------------ Prometheus' side

    /**
     * The counter's samples from minute {@code from} to minute {@code to} (both included) as promtool's expanding
     * notation, one sample a minute: sample j holds the events of the minutes before j ({@code a+bxn} for every run
     * of equal increments).
     */
    String series(boolean badOnes, int from, int to) {
        long[] values = new long[minutes + 1];
        for (int k = 0; k < minutes; k++) values[k + 1] = values[k] + (badOnes ? bad[k] : total[k] - bad[k]);
        StringBuilder out = new StringBuilder();
        int i = from;
        while (i <= to) {
            int n = 0;
            long step = i < to ? values[i + 1] - values[i] : 0;
            while (i + n < to && values[i + n + 1] - values[i + n] == step) n++;
            if (out.length() > 0) out.append(' ');
            out.append(values[i]).append('+').append(step).append('x').append(n);
            i += n + 1;
        }
        return out.toString();
    }
}

package io.homeostat.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.exporter.kafka.KafkaMetricExporter;
import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.model.Alert;
import io.homeostat.model.Durations;
import io.homeostat.model.Json;
import io.homeostat.testing.SdkSpans;
import io.homeostat.topology.HomeostatTopology;
import io.homeostat.topology.RuntimeSettings;
import io.homeostat.topology.Topics;
import io.homeostat.topology.TopologySettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleGauge;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * One target, one synthetic timeline of telemetry in phases (healthy, warning, critical, ...), played into the
 * processor ({@link TopologyTestDriver}, the real topology) as OTLP from the OpenTelemetry SDK, and turned into
 * the series Prometheus would hold for the same points (Prometheus' OTLP translation; span metrics as the
 * Collector's spanmetrics connector makes them), so that Homeostat's verdicts and the exported rules can be
 * compared on the same data.
 *
 * <p>Time: one OTLP export per {@code step}, stamped in the middle of its slice ({@code T0 + k·step + step/2});
 * the same point is Prometheus' sample {@code k} at {@code k·step}. Homeostat's window ending at
 * {@code W = T0 + m·step} holds points {@code m - window/step .. m-1}, which is exactly the range Prometheus
 * reads evaluating at {@code m·step - step/2}: so eval time {@code m·step - step/2} is window end {@code m}.
 */
final class RuleScenario {
    static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    static final String SERVICE = "customer-portal";
    /** The spanmetrics connector's default histogram buckets (ms). */
    static final double[] SPAN_BUCKETS = {2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000};
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

    /** What a phase sends: healthy, beyond the alert level at warning or critical, between target and alert level. */
    enum Level { HEALTHY, WARNING, CRITICAL, DEVIATING, FEW, SILENT }

    /**
     * @param level   what is sent
     * @param expect  the severity Homeostat's deviation alert must have once the phase is steady (null: none)
     */
    record Phase(Level level, Duration length, String expect) {}

    /** The instruments and spans one step of traffic is recorded with. */
    interface Traffic {
        void step(Level level, int k, Recorder recorder);
    }

    /** Records with the SDK: every measurement carries the target's requirement. */
    final class Recorder {
        private final Map<String, Object> instruments = new HashMap<>();
        Instant at;

        private Attributes attributes(String... keyValues) {
            AttributesBuilder b = Attributes.builder().put("requirement", target.target().requirement());
            for (int i = 0; i < keyValues.length; i += 2) b.put(keyValues[i], keyValues[i + 1]);
            return b.build();
        }

        void count(String metric, double increment, String... attributes) {
            ((DoubleCounter) instruments.computeIfAbsent(metric, n -> {
                var b = meter.counterBuilder(n).ofDoubles();
                String u = unitOf(n);
                return (u == null ? b : b.setUnit(u)).build();
            })).add(increment, attributes(attributes));
        }

        void level(String metric, double delta) {
            ((DoubleUpDownCounter) instruments.computeIfAbsent(metric, n -> {
                var b = meter.upDownCounterBuilder(n).ofDoubles();
                String u = unitOf(n);
                return (u == null ? b : b.setUnit(u)).build();
            })).add(delta, attributes());
        }

        void gauge(String metric, double value) {
            ((DoubleGauge) instruments.computeIfAbsent(metric, n -> {
                var b = meter.gaugeBuilder(n);
                String u = unitOf(n);
                return (u == null ? b : b.setUnit(u)).build();
            })).set(value, attributes());
        }

        void observe(String metric, double value, int times) {
            DoubleHistogram h = (DoubleHistogram) instruments.computeIfAbsent(metric, n -> {
                var b = meter.histogramBuilder(n).setExplicitBucketBoundariesAdvice(
                        List.of(50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0));
                String u = unitOf(n);
                return (u == null ? b : b.setUnit(u)).build();
            });
            for (int i = 0; i < times; i++) h.record(value, attributes());
        }

        void spans(int count, double durationMs, int errors) {
            spans.spans(target.target().requirement(), count, at, new double[] {durationMs}, errors);
        }

    }

    final String name;
    final ResolvedTarget target;
    final TargetFiles.Loaded loaded;
    final Duration step;
    final List<Phase> phases;
    private final Traffic traffic;
    private final TestClock clock = TestClock.create(T0);
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider meterProvider;
    private final Meter meter;
    /**
     * Every span of the service, as a spanmetrics connector ahead of any sampler counts them for the exported rules;
     * their trace state says so ({@code ot=th:0}, the consistent sampler's 100 %), so Homeostat counts each once too,
     * whatever {@code sampling} the seed's {@code telemetry.traces} gives the target.
     */
    private final SdkSpans spans = new SdkSpans(SERVICE, io.opentelemetry.contrib.sampler.consistent56.ConsistentSampler.alwaysOn());
    /** Prometheus' series: key {@code name{labels}} → sample index → value. */
    private final Map<String, TreeMap<Integer, Double>> series = new TreeMap<>();
    /** The spanmetrics connector's cumulative state: key → value. */
    private final Map<String, Double> spanMetrics = new TreeMap<>();
    private final List<Alert> alerts = new ArrayList<>();
    private int steps;

    RuleScenario(String name, TargetFiles.Loaded loaded, String targetId, Duration step, List<Phase> phases, Traffic traffic) {
        this.name = name;
        this.loaded = loaded;
        this.target = loaded.targets().stream().filter(t -> t.id().equals(targetId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no target " + targetId));
        this.step = step;
        this.phases = List.copyOf(phases);
        this.traffic = traffic;
        meterProvider = SdkMeterProvider.builder().setClock(clock)
                .setResource(Resource.getDefault().merge(Resource.builder().put(AttributeKey.stringKey("service.name"), SERVICE).build()))
                .registerMetricReader(reader).build();
        meter = meterProvider.get("io.homeostat.rules-scenario");
    }

    /** The unit the configuration declares for a metric: what the service's SDK says, so that the names agree. */
    private String unitOf(String metric) {
        for (ResolvedTarget t : loaded.targets()) {
            MetricResolution r = t.resolution();
            if (r.declaration() != null && r.declaration().name().equals(metric)) return r.declaration().unit();
            if (r.ratio() != null) {
                for (MetricDeclaration d : new MetricDeclaration[] {r.ratio().good(), r.ratio().total()}) {
                    if (d != null && d.name().equals(metric)) return d.unit();
                }
            }
        }
        return null;
    }

    int steps() {
        return steps;
    }

    Level levelAt(int k) {
        int end = 0;
        for (Phase phase : phases) {
            end += (int) (phase.length().toMillis() / step.toMillis());
            if (k < end) return phase.level();
        }
        return phases.get(phases.size() - 1).level();
    }

    /** Plays the timeline into the processor; collects its alerts and Prometheus' series. */
    void play(Path stateDir) throws IOException {
        for (Phase phase : phases) steps += (int) (phase.length().toMillis() / step.toMillis());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rules-scenario");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        Topics topics = Topics.defaults();
        TopologySettings settings = new TopologySettings(topics, step, step, TopologySettings.DEFAULT_MAX_FUTURE,
                Duration.ofHours(1), RuntimeSettings.defaults());
        Recorder recorder = new Recorder();
        try (TopologyTestDriver driver = new TopologyTestDriver(HomeostatTopology.build(settings), props, T0)) {
            TestInputTopic<byte[], byte[]> targets = driver.createInputTopic(topics.targets(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> metrics = driver.createInputTopic(topics.metrics(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> spanTopic = driver.createInputTopic(topics.spans(), new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> alertTopic = driver.createOutputTopic(topics.alerts(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            targets.pipeInput(target.id().getBytes(StandardCharsets.UTF_8), Json.MAPPER.writeValueAsBytes(target.target().toJson()), T0);
            for (int k = 0; k < steps; k++) {
                Level level = levelAt(k);
                Instant at = T0.plus(step.multipliedBy(k)).plus(step.dividedBy(2));
                recorder.at = at;
                if (level != Level.SILENT) {
                    traffic.step(level, k, recorder);
                    clock.setTime(at);
                    Collection<MetricData> collected = reader.collectAllMetrics();
                    if (!collected.isEmpty()) {
                        metrics.pipeInput(null, KafkaMetricExporter.marshal(collected, KafkaExporterEncoding.OTLP_PROTO), at);
                        sample(collected, k);
                    }
                    List<SpanData> finished = spans.drain();
                    if (!finished.isEmpty()) {
                        spanTopic.pipeInput(null, KafkaSpanExporter.marshal(finished, KafkaExporterEncoding.OTLP_PROTO), at);
                        spanMetrics(finished);
                    }
                    int sampleIndex = k;
                    spanMetrics.forEach((key, value) -> put(key, sampleIndex, value));
                }
                driver.advanceWallClockTime(step);
                for (byte[] value : alertTopic.readValuesToList()) alerts.add(Json.MAPPER.readValue(value, Alert.class));
            }
        } finally {
            meterProvider.close();
            spans.close();
        }
    }

    // ------------------------------------------------------------------------------------ Prometheus' series

    /** The collected points as Prometheus' OTLP receiver stores them (names by {@link PrometheusNames}). */
    private void sample(Collection<MetricData> collected, int k) {
        for (MetricData md : collected) {
            String unit = md.getUnit() == null || md.getUnit().isEmpty() ? null : md.getUnit();
            switch (md.getType()) {
                case DOUBLE_SUM -> {
                    MetricType type = md.getDoubleSumData().isMonotonic() ? MetricType.COUNTER : MetricType.UP_DOWN_COUNTER;
                    String name = PrometheusNames.metric(md.getName(), unit, type, PrometheusNames.Style.OTLP);
                    for (DoublePointData p : md.getDoubleSumData().getPoints()) put(key(name, labels(p), null), k, p.getValue());
                }
                case DOUBLE_GAUGE -> {
                    String name = PrometheusNames.metric(md.getName(), unit, MetricType.GAUGE, PrometheusNames.Style.OTLP);
                    for (DoublePointData p : md.getDoubleGaugeData().getPoints()) put(key(name, labels(p), null), k, p.getValue());
                }
                case HISTOGRAM -> {
                    String name = PrometheusNames.metric(md.getName(), unit, MetricType.HISTOGRAM, PrometheusNames.Style.OTLP);
                    for (HistogramPointData p : md.getHistogramData().getPoints()) {
                        Map<String, String> labels = labels(p);
                        long cumulative = 0;
                        for (int i = 0; i < p.getBoundaries().size(); i++) {
                            cumulative += p.getCounts().get(i);
                            put(key(name + "_bucket", labels, number(p.getBoundaries().get(i))), k, cumulative);
                        }
                        put(key(name + "_bucket", labels, "+Inf"), k, p.getCount());
                        put(key(name + "_sum", labels, null), k, p.getSum());
                        put(key(name + "_count", labels, null), k, p.getCount());
                    }
                }
                default -> throw new IllegalStateException("no Prometheus series for " + md.getType() + " in this test");
            }
        }
    }

    private static Map<String, String> labels(PointData point) {
        Map<String, String> labels = new TreeMap<>();
        point.getAttributes().forEach((key, value) -> labels.put(PrometheusNames.label(key.getKey()), String.valueOf(value)));
        labels.put("job", SERVICE); // the resource's service.name, as the OTLP receiver labels every series
        return labels;
    }

    /** The spanmetrics connector: calls and a duration histogram (ms) per requirement and status code, cumulative. */
    private void spanMetrics(List<SpanData> finished) {
        String calls = PrometheusRules.spanCalls(PrometheusNames.Style.OTLP);
        String duration = PrometheusRules.spanDuration(PrometheusNames.Style.OTLP);
        for (SpanData span : finished) {
            Map<String, String> labels = new TreeMap<>();
            labels.put("job", SERVICE);
            labels.put("service_name", SERVICE);
            labels.put("span_name", span.getName());
            labels.put("span_kind", "SPAN_KIND_" + span.getKind().name());
            labels.put("status_code", span.getStatus().getStatusCode() == StatusCode.ERROR ? "STATUS_CODE_ERROR"
                    : span.getStatus().getStatusCode() == StatusCode.OK ? "STATUS_CODE_OK" : "STATUS_CODE_UNSET");
            labels.put("requirement", span.getAttributes().get(AttributeKey.stringKey("requirement")));
            double ms = (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6;
            spanMetrics.merge(key(calls, labels, null), 1.0, Double::sum);
            for (double bound : SPAN_BUCKETS) {
                spanMetrics.merge(key(duration + "_bucket", labels, number(bound)), ms <= bound ? 1.0 : 0.0, Double::sum);
            }
            spanMetrics.merge(key(duration + "_bucket", labels, "+Inf"), 1.0, Double::sum);
            spanMetrics.merge(key(duration + "_sum", labels, null), ms, Double::sum);
            spanMetrics.merge(key(duration + "_count", labels, null), 1.0, Double::sum);
        }
    }

    private static String key(String name, Map<String, String> labels, String le) {
        Map<String, String> all = new TreeMap<>(labels);
        if (le != null) all.put("le", le);
        List<String> pairs = new ArrayList<>();
        all.forEach((k, v) -> pairs.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        return name + "{" + String.join(",", pairs) + "}";
    }

    private void put(String key, int k, double value) {
        series.computeIfAbsent(key, s -> new TreeMap<>()).put(k, value);
    }

    static String number(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    // --------------------------------------------------------------------------------- Homeostat's verdicts

    /** What Homeostat says after judging the window ending at {@code T0 + m·step}: per alertname, the severity firing or null. */
    Map<String, String> homeostat(int m) {
        long windowEnd = T0.plus(step.multipliedBy(m)).toEpochMilli();
        Map<String, String> state = new LinkedHashMap<>();
        state.put("HomeostasisDeviation", null);
        if (target.target().notifyNoData()) state.put("HomeostasisNoData", null);
        for (Alert alert : alerts) {
            if (io.homeostat.model.Timestamps.parse(alert.windowEnd()) > windowEnd) continue;
            String alertname = Alert.KIND_NO_DATA.equals(alert.kind()) ? "HomeostasisNoData" : "HomeostasisDeviation";
            state.put(alertname, alert.firing() ? alert.severity() : null);
        }
        return state;
    }

    List<Alert> alerts() {
        return List.copyOf(alerts);
    }

    /** Prometheus' eval time for window end {@code m}: {@code m·step - step/2}, as a Prometheus duration. */
    String evalTime(int m) {
        return duration(step.multipliedBy(m).minus(step.dividedBy(2)));
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        StringBuilder s = new StringBuilder();
        if (ms >= 3_600_000) { s.append(ms / 3_600_000).append('h'); ms %= 3_600_000; }
        if (ms >= 60_000) { s.append(ms / 60_000).append('m'); ms %= 60_000; }
        if (ms >= 1_000) { s.append(ms / 1_000).append('s'); ms %= 1_000; }
        if (ms > 0 || s.length() == 0) s.append(ms).append("ms");
        return s.toString();
    }

    // ------------------------------------------------------------------------------------- promtool's input

    /** The exported rules of this target only (annotations left out: their {{ $value }} text is not what is compared). */
    String rules(String exported) throws IOException {
        JsonNode document = YAML.readTree(exported);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode group = out.putArray("groups").addObject();
        group.put("name", "scenario");
        ArrayNode rules = group.putArray("rules");
        for (JsonNode rule : document.path("groups").get(0).path("rules")) {
            if (!rule.path("labels").path("target_id").asText().equals(target.id())) continue;
            ObjectNode copy = rule.deepCopy();
            copy.remove("annotations");
            rules.add(copy);
        }
        return YAML.writeValueAsString(out);
    }

    /** The labels of this target's rule for an alertname and severity, as promtool reports them (plus alertname). */
    Map<String, String> ruleLabels(String exported, String alertname, String severity) throws IOException {
        for (JsonNode rule : YAML.readTree(exported).path("groups").get(0).path("rules")) {
            JsonNode labels = rule.path("labels");
            if (rule.path("alert").asText().equals(alertname) && labels.path("target_id").asText().equals(target.id())
                    && (severity == null || labels.path("severity").asText().equals(severity))) {
                Map<String, String> map = new TreeMap<>();
                labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
                return map;
            }
        }
        throw new IllegalStateException("no " + alertname + " " + severity + " rule for " + target.id());
    }

    /**
     * A {@code promtool test rules} file: the series, and at each window end {@code m} of {@code points}, the
     * alerts Homeostat had firing then, as the alerts the rules must have firing.
     */
    String unitTest(String rulesFile, String exported, List<Integer> points) throws IOException {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.putArray("rule_files").add(rulesFile);
        doc.put("evaluation_interval", duration(step.dividedBy(2)));
        ObjectNode test = doc.putArray("tests").addObject();
        test.put("interval", duration(step));
        ArrayNode input = test.putArray("input_series");
        series.forEach((key, samples) -> {
            ObjectNode s = input.addObject();
            s.put("series", key);
            StringBuilder values = new StringBuilder();
            for (int k = 0; k < steps; k++) {
                if (k > 0) values.append(' ');
                Double v = samples.get(k);
                values.append(v == null ? "_" : number(v));
            }
            s.put("values", values.toString());
        });
        ArrayNode cases = test.putArray("alert_rule_test");
        for (int m : points) {
            for (Map.Entry<String, String> state : homeostat(m).entrySet()) {
                ObjectNode c = cases.addObject();
                c.put("eval_time", evalTime(m));
                c.put("alertname", state.getKey());
                ArrayNode expected = c.putArray("exp_alerts");
                if (state.getValue() != null) {
                    ObjectNode labels = expected.addObject().putObject("exp_labels");
                    ruleLabels(exported, state.getKey(), state.getKey().equals("HomeostasisNoData") ? null : state.getValue())
                            .forEach(labels::put);
                }
            }
        }
        return YAML.writeValueAsString(doc);
    }

    @Override
    public String toString() {
        return name + " (" + target.id() + ")";
    }

    /** For reports: the phases as {@code healthy 4m, warning 4m, ...}. */
    String describePhases() {
        List<String> parts = new ArrayList<>();
        for (Phase p : phases) parts.add(p.level().name().toLowerCase(java.util.Locale.ROOT) + " " + Durations.format(p.length()));
        return String.join(", ", parts);
    }
}

package io.homeostat.demo;

import io.homeostat.cli.AlertFormat;
import io.homeostat.cli.DurationConverter;
import io.homeostat.cli.IssueFormat;
import io.homeostat.cli.ErrorReporting;
import io.homeostat.cli.KafkaOptions;
import io.homeostat.cli.TopicOptions;
import io.homeostat.cli.TopicProvisioner;
import io.homeostat.examples.login.SimulatedSessionStore.Behaviour;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import io.homeostat.model.Json;
import io.homeostat.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code homeostat demo}: runs the seed's login service (the example service, tagged with homeostat-tagging)
 * healthy, then degraded, then healthy again, exporting its spans, metrics and logs to Kafka, and prints the
 * alerts, production issues and feedback intents a running processor publishes. Exits 0 when every alert
 * that fired was resolved again and the failed logins became a production issue with its intent, so it
 * doubles as an end-to-end check.
 */
@Command(name = "homeostat demo", mixinStandardHelpOptions = true,
        description = {"Run the seed's login service healthy, then degraded, then recovered, exporting its OTLP spans, "
                + "metrics and logs (recorded with the OpenTelemetry SDK and tagged with homeostat-tagging) to Kafka, "
                + "and print the alerts, production issues and feedback intents "
                + "(needs `homeostat run`, and the seed's targets: "
                + "`ENV=demo VERSION=demo homeostat targets apply -f config/observability.yml`)."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topicOptions;

    @Option(names = ErrorReporting.VERBOSE, description = "On an error, also print its stack trace (env HOMEOSTAT_VERBOSE=true).")
    boolean verbose;

    @Option(names = "--healthy", defaultValue = "30s", converter = DurationConverter.class, description = "Healthy phase (default: ${DEFAULT-VALUE}).")
    Duration healthy;
    @Option(names = "--degraded", defaultValue = "60s", converter = DurationConverter.class, description = "Degraded phase (default: ${DEFAULT-VALUE}).")
    Duration degraded;
    @Option(names = "--recovered", defaultValue = "75s", converter = DurationConverter.class, description = "Recovered phase (default: ${DEFAULT-VALUE}).")
    Duration recovered;
    @Option(names = "--settle", defaultValue = "90s", converter = DurationConverter.class,
            description = "After the traffic, how long to wait for open alerts to resolve (default: ${DEFAULT-VALUE}).")
    Duration settle;
    @Option(names = "--rate", defaultValue = "40", description = "Logins per second (default: ${DEFAULT-VALUE}).")
    int rate;
    @Option(names = "--encoding", defaultValue = "protobuf", converter = EncodingConverter.class,
            description = "OTLP encoding: protobuf (otlp_proto) or json (otlp_json) (default: ${DEFAULT-VALUE}).")
    KafkaExporterEncoding encoding;
    @Option(names = "--sample-rate", defaultValue = "0.1", converter = SampleRateConverter.class,
            description = {"How the service samples its traces (default: ${DEFAULT-VALUE}, the seed's telemetry.traces.sample_rate). "
                    + "Below 1: the spans of the traces the SDK's TraceIdRatioBased sampler keeps, and every failed span "
                    + "(always_sample_errors); they carry no ot=th, so the targets' sampling from the seed's file weighs them. "
                    + "1: every span, its trace state saying ot=th:0 (sampled at 100 %), so it counts once. "
                    + "Another rate than the targets' sampling gives wrong span counts, as it would in production."})
    double sampleRate;
    @Option(names = "--json", description = "Also print each alert's, issue's and intent's full JSON record.")
    boolean printJson;

    private volatile String phaseName = "start";
    private volatile long phaseStartNanos = System.nanoTime();
    private final Map<String, Alert> open = new ConcurrentHashMap<>();
    private final Map<String, Alert> resolved = new ConcurrentHashMap<>();
    private final Map<String, ProductionIssue> issues = new ConcurrentHashMap<>();
    private final Map<String, FeedbackIntent> intents = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        Topics topics = topicOptions.topics();
        Properties base = kafka.clientProperties();
        kafka.checkReachable();
        TopicProvisioner.ensure(base, TopicProvisioner.contractTopics(topics, 3, (short) -1));
        try (KafkaProducer<byte[], byte[]> producer = producer(base)) {
            AtomicBoolean stop = new AtomicBoolean(false);
            Thread printer = startPrinter(base, topics, stop);
            try {
                sendTraffic(producer, new DemoService.Topics(topics.spans(), topics.metrics(), topics.logs()));
                return awaitResolution();
            } finally {
                stop.set(true);
                printer.join(5_000);
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer(Properties base) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Thread startPrinter(Properties base, Topics topics, AtomicBoolean stop) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.alerts(), topics.issues(), topics.intents())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now, before any traffic is sent
        Thread thread = new Thread(() -> {
            try (consumer) {
                while (!stop.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.topic().equals(topics.alerts())) onAlert(record.value());
                        else if (record.topic().equals(topics.issues())) onIssue(record.value());
                        else onIntent(record.value());
                    }
                }
            }
        }, "demo-printer");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void onIssue(byte[] value) {
        try {
            ProductionIssue issue = Json.MAPPER.readValue(value, ProductionIssue.class);
            issues.put(issue.issueId(), issue);
            print("ISSUE  " + IssueFormat.issue(issue), value);
        } catch (Exception e) {
            System.out.println("ISSUE (unreadable) " + new String(value, StandardCharsets.UTF_8));
        }
    }

    private void onIntent(byte[] value) {
        try {
            FeedbackIntent intent = Json.MAPPER.readValue(value, FeedbackIntent.class);
            intents.put(intent.intentId(), intent);
            print("INTENT " + IssueFormat.intent(intent), value);
        } catch (Exception e) {
            System.out.println("INTENT (unreadable) " + new String(value, StandardCharsets.UTF_8));
        }
    }

    private void print(String line, byte[] json) {
        double sincePhase = (System.nanoTime() - phaseStartNanos) / 1e9;
        System.out.printf(Locale.ROOT, "%s   (%.1fs into the %s phase)%n", line, sincePhase, phaseName);
        if (printJson) System.out.println("      " + new String(json, StandardCharsets.UTF_8));
        System.out.flush();
    }

    private void onAlert(byte[] value) {
        try {
            Alert alert = Json.MAPPER.readValue(value, Alert.class);
            if (alert.firing()) {
                open.put(alert.fingerprint(), alert);
            } else {
                open.remove(alert.fingerprint());
                resolved.put(alert.fingerprint(), alert);
            }
            print("ALERT  " + AlertFormat.line(alert), value);
        } catch (Exception e) {
            System.out.println("ALERT (unreadable) " + new String(value, StandardCharsets.UTF_8));
        }
    }

    private void sendTraffic(KafkaProducer<byte[], byte[]> producer, DemoService.Topics topics) {
        try (DemoService service = new DemoService(producer, topics, encoding, 42, sampleRate, List.of())) {
            phase("healthy", service, Behaviour.healthy(), healthy);
            phase("degraded", service, Behaviour.degraded(), degraded);
            phase("recovered", service, Behaviour.healthy(), recovered);
        }
    }

    private void phase(String name, DemoService service, Behaviour behaviour, Duration length) {
        say(String.format(Locale.ROOT, "phase %s for %ss: %d logins/s, median latency %.0f ms, %.1f%% failures",
                name, length.toSeconds(), rate, behaviour.medianLatencyMs(), behaviour.failureRate() * 100));
        phaseName = name;
        phaseStartNanos = System.nanoTime();
        DemoService.PhaseResult result = service.phase(behaviour, length, rate);
        say(String.format(Locale.ROOT, "phase %s done: %d logins, %d failed%s", name, result.logins(), result.failed(),
                sampleRate < 1 ? String.format(Locale.ROOT, " (true success rate %.4f; spans sampled at %s, every failure kept)",
                        1 - (double) result.failed() / Math.max(1, result.logins()), sampleRate) : ""));
    }

    /** A probability above 0 and at most 1. */
    static final class SampleRateConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double rate = Double.parseDouble(value.strip());
            DemoSampling.check(rate);
            return rate;
        }
    }

    /** {@code protobuf}/{@code json} as before, or the Collector's {@code otlp_proto}/{@code otlp_json}. */
    static final class EncodingConverter implements picocli.CommandLine.ITypeConverter<KafkaExporterEncoding> {
        @Override
        public KafkaExporterEncoding convert(String value) {
            return KafkaExporterEncoding.parse(value);
        }
    }

    private int awaitResolution() throws InterruptedException {
        long deadline = System.nanoTime() + settle.toNanos();
        while (System.nanoTime() < deadline && (resolved.isEmpty() || !open.isEmpty())) {
            Thread.sleep(250);
        }
        if (resolved.isEmpty() && open.isEmpty()) {
            say("no alert was published: is `homeostat run` running against " + kafka.bootstrapServers() + "?");
            return 1;
        }
        if (!open.isEmpty()) {
            say("still firing after " + settle.toSeconds() + "s: " + open.keySet());
            return 1;
        }
        say("done: " + resolved.size() + " alert(s) fired during the degradation and resolved after recovery");
        if (issues.isEmpty()) {
            say("no production issue was published for the failed logins: is the processor's feedback loop off?");
            return 1;
        }
        long issueIntents = intents.values().stream().filter(i -> issues.containsKey(i.sourceId())).count();
        say(issues.size() + " production issue(s) traced from the failed logins, " + intents.size()
                + " feedback intent(s) (" + issueIntents + " for production issues, "
                + (intents.size() - issueIntents) + " for alert episodes)");
        return 0;
    }

    private static void say(String message) {
        System.out.println("[demo] " + message);
        System.out.flush();
    }
}

package io.homeostat.cli;

import io.homeostat.demo.KafkaMetricExporter;
import io.homeostat.demo.KafkaSpanExporter;
import io.homeostat.demo.LoginTraffic;
import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import io.homeostat.model.Json;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.topology.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code homeostat demo}: sends the seed's login traffic that is healthy, then degraded, then healthy
 * again, and prints the alerts, production issues and feedback intents a running
 * processor publishes. Exits 0 when every alert that fired was resolved again and the failed logins
 * became a production issue with its intent, so it doubles as an end-to-end check.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Send healthy, then degraded, then recovered OTLP login traffic (spans and the seed's metrics, "
                + "recorded with the OpenTelemetry SDK) and print the alerts, production issues and feedback intents "
                + "(needs `homeostat run`, and the seed's targets: "
                + "`ENV=demo VERSION=demo homeostat targets apply -f config/observability.yml`)."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topicOptions;

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
    @Option(names = "--encoding", defaultValue = "protobuf", description = "OTLP encoding: protobuf or json (default: ${DEFAULT-VALUE}).")
    OtlpEncoding encoding;
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
                sendTraffic(producer, topics.spans(), topics.metrics());
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

    private void sendTraffic(KafkaProducer<byte[], byte[]> producer, String spansTopic, String metricsTopic) {
        Resource resource = Resource.getDefault().merge(Resource.builder()
                .put(AttributeKey.stringKey("service.name"), "customer-portal")
                .put(AttributeKey.stringKey("service.version"), "1.4.2")
                .put(AttributeKey.stringKey("deployment.environment.name"), "demo")
                .build());
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder().setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(new KafkaSpanExporter(producer, spansTopic, encoding))
                        .setScheduleDelay(Duration.ofMillis(500)).setMaxExportBatchSize(512).build())
                .build();
        SdkMeterProvider meterProvider = SdkMeterProvider.builder().setResource(resource)
                .registerMetricReader(PeriodicMetricReader.builder(new KafkaMetricExporter(producer, metricsTopic, encoding))
                        .setInterval(Duration.ofSeconds(1)).build())
                .build();
        try {
            LoginTraffic traffic = new LoginTraffic(tracerProvider.get("io.homeostat.demo"),
                    meterProvider.get("io.homeostat.demo"), 42);
            phase("healthy", traffic, LoginTraffic.Behaviour.healthy(), healthy);
            phase("degraded", traffic, LoginTraffic.Behaviour.degraded(), degraded);
            phase("recovered", traffic, LoginTraffic.Behaviour.healthy(), recovered);
        } finally {
            tracerProvider.shutdown().join(30, TimeUnit.SECONDS);
            meterProvider.shutdown().join(30, TimeUnit.SECONDS);
        }
    }

    private void phase(String name, LoginTraffic traffic, LoginTraffic.Behaviour behaviour, Duration length) {
        say(String.format(Locale.ROOT, "phase %s for %ss: %d logins/s, median latency %.0f ms, %.1f%% failures",
                name, length.toSeconds(), rate, behaviour.medianLatencyMs(), behaviour.failureRate() * 100));
        long periodNanos = 1_000_000_000L / Math.max(1, rate);
        long start = System.nanoTime();
        phaseName = name;
        phaseStartNanos = start;
        long end = start + length.toNanos();
        long next = start;
        int failures = 0;
        int logins = 0;
        while (System.nanoTime() < end) {
            if (traffic.login(behaviour, Instant.now())) failures++;
            logins++;
            next += periodNanos;
            long sleep = next - System.nanoTime();
            if (sleep > 0) sleepNanos(sleep);
        }
        say(String.format(Locale.ROOT, "phase %s done: %d logins, %d failed", name, logins, failures));
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

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void say(String message) {
        System.out.println("[demo] " + message);
        System.out.flush();
    }
}

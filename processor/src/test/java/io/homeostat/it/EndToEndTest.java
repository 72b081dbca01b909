package io.homeostat.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.cli.Homeostat;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.exporter.kafka.KafkaMetricExporter;
import io.homeostat.exporter.kafka.KafkaLogRecordExporter;
import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.testing.LoginTraffic;
import io.homeostat.model.Alert;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.Json;
import io.homeostat.model.ProductionIssue;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SdkSpans;
import io.homeostat.topology.Topics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain on a real Kafka broker: the real {@code homeostat run} entry point with exactly-once,
 * spans and log records recorded by the OpenTelemetry SDK and exported through its OTLP marshalers to
 * Kafka, targets on the compacted topic, alerts, production issues, feedback intents and dead letters read
 * back with a read_committed consumer.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** One broker for the class; each test runs its own processor on topics and an application id of its own. */
    static EmbeddedKafka kafka;
    @TempDir Path stateDirs;
    Topics topics;
    String applicationId;
    Thread processor;
    final AtomicInteger exitCode = new AtomicInteger(-1);

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
    }

    @BeforeEach
    void startOwnProcessor(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        Topics defaults = Topics.defaults();
        topics = new Topics(name + "." + defaults.spans(), name + "." + defaults.metrics(), name + "." + defaults.logs(),
                name + "." + defaults.targets(), name + "." + defaults.alerts(), name + "." + defaults.issues(),
                name + "." + defaults.intents(), name + "." + defaults.status(), name + "." + defaults.deadLetters());
        applicationId = "homeostat-e2e-" + name;
        processor = startProcessor(stateDirs.resolve("first"));
    }

    /** The real entry point, as {@code java -jar homeostat.jar run ...} runs it; interrupting it stops it. */
    Thread startProcessor(Path stateDir) {
        Thread thread = new Thread(() -> exitCode.set(Homeostat.commandLine(Map.of()).execute("run",
                "--bootstrap-servers", kafka.bootstrapServers(), "--application-id", applicationId,
                "--state-dir", stateDir.toString(), "--slice", "1s", "--grace", "1s", "--partitions", "2",
                "--stats-interval", "0s", "--spans-topic", topics.spans(), "--metrics-topic", topics.metrics(),
                "--logs-topic", topics.logs(), "--targets-topic", topics.targets(), "--alerts-topic", topics.alerts(),
                "--issues-topic", topics.issues(), "--intents-topic", topics.intents(), "--status-topic", topics.status(),
                "--dlq-topic", topics.deadLetters(), "--no-http")), "homeostat-run");
        thread.start();
        return thread;
    }

    void stopProcessor() throws InterruptedException {
        processor.interrupt();
        processor.join(60_000);
        assertThat(processor.isAlive()).isFalse();
        assertThat(exitCode.get()).as("clean shutdown").isZero();
    }

    @AfterEach
    void stopOwnProcessor() throws Exception {
        if (processor != null && processor.isAlive()) stopProcessor();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    @Test
    void sdkSpansOnKafkaBecomeFiringThenResolvedAlertsExactlyOnce() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> alerts = consumer(topics.alerts());
             KafkaConsumer<byte[], byte[]> deadLetters = consumer(topics.deadLetters())) {
            producer.send(new ProducerRecord<>(topics.targets(), bytes("REQ-NFR-PERF-001/span.duration_ms"), bytes("""
                    {"requirement": "REQ-NFR-PERF-001", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                     "alert_threshold": 0.95, "window": "4s", "min_events": 20, "constraint": "C-001"}"""))).get();
            producer.send(new ProducerRecord<>(topics.targets(), bytes("REQ-F-AUTH-001/span.success_rate"), bytes("""
                    {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                     "alert_threshold": 0.98, "window": "4s", "min_events": 20, "business_rules": ["BR-001"]}"""))).get();
            // A poison record among the spans, and one batch as OTLP/JSON without a content-type header.
            producer.send(new ProducerRecord<>(topics.spans(), bytes("poison"), bytes("\u0000not otlp at all"))).get();
            try (SdkSpans json = new SdkSpans("customer-portal")) {
                json.spans("REQ-F-AUTH-001", 5, Instant.now(), new double[] {50}, 0);
                producer.send(new ProducerRecord<>(topics.spans(), json.batch(OtlpEncoding.JSON))).get();
            }

            SdkTracerProvider tracing = SdkTracerProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.builder()
                            .put(AttributeKey.stringKey("service.name"), "customer-portal").build()))
                    .addSpanProcessor(BatchSpanProcessor.builder(
                                    new KafkaSpanExporter(producer, topics.spans(), KafkaExporterEncoding.OTLP_PROTO))
                            .setScheduleDelay(Duration.ofMillis(200)).build())
                    .build();
            LoginTraffic traffic = new LoginTraffic(tracing.get("e2e"), 7);
            List<Alert> seen = new ArrayList<>();
            try {
                sendUntil(traffic, LoginTraffic.Behaviour.degraded(), alerts, seen,
                        all -> all.stream().anyMatch(a -> a.firing() && a.requirement().equals("REQ-NFR-PERF-001")));
                // Restart while the alert fires, on an empty state directory: the alert state must come back
                // from the changelog, so the episode neither is forgotten nor fires again under a new id.
                stopProcessor();
                processor = startProcessor(stateDirs.resolve("second"));
                sendRounds(traffic, LoginTraffic.Behaviour.degraded(), alerts, seen, 60);
                sendUntil(traffic, LoginTraffic.Behaviour.healthy(), alerts, seen,
                        all -> all.stream().anyMatch(a -> !a.firing() && a.requirement().equals("REQ-NFR-PERF-001")));
            } finally {
                tracing.shutdown().join(30, TimeUnit.SECONDS);
            }

            Alert fired = seen.stream().filter(a -> a.firing() && a.requirement().equals("REQ-NFR-PERF-001")).findFirst().orElseThrow();
            Alert resolved = seen.stream().filter(a -> !a.firing() && a.requirement().equals("REQ-NFR-PERF-001")).findFirst().orElseThrow();
            assertThat(fired.targetId()).isEqualTo("REQ-NFR-PERF-001/span.duration_ms");
            assertThat(fired.constraint()).isEqualTo("C-001");
            assertThat(fired.goodRatio()).isLessThan(0.95);
            assertThat(fired.actual()).isGreaterThan(500);
            assertThat(fired.sampleTraceIds()).isNotEmpty();
            assertThat(resolved.alertId()).isEqualTo(fired.alertId());
            assertThat(resolved.resolvedReason()).isEqualTo("target_met");
            assertThat(seen.stream().filter(a -> a.requirement().equals("REQ-NFR-PERF-001")).map(Alert::alertId).distinct())
                    .as("one episode across the restart").containsExactly(fired.alertId());
            // Firing records only when the episode starts or its severity changes, never one per window.
            assertThat(seen.stream().filter(a -> a.alertId().equals(fired.alertId()) && a.firing()).count()).isBetween(1L, 3L);

            List<ConsumerRecord<byte[], byte[]>> letters = poll(deadLetters, records -> !records.isEmpty());
            assertThat(letters).hasSize(1);
            assertThat(new String(letters.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("poison");
            assertThat(new String(letters.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                    .contains("not an OTLP ExportTraceServiceRequest");

            try (Admin admin = Admin.create(kafka.clientProperties())) {
                List<String> transactionalIds = admin.listTransactions().all().get().stream()
                        .map(TransactionListing::transactionalId).toList();
                assertThat(transactionalIds).as("exactly-once producers of the processor")
                        .anyMatch(id -> id.startsWith(applicationId));
            }
        }
        assertThat(processor.isAlive()).as("the processor survived the poison record").isTrue();
    }

    @Test
    void sdkMetricsOnKafkaFireAnAlertAndFillTheStatusTopic() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> alerts = consumer(topics.alerts());
             KafkaConsumer<byte[], byte[]> status = consumer(topics.status())) {
            producer.send(new ProducerRecord<>(topics.targets(), bytes("REQ-NFR-PERF-002/checkout_latency_ms"), bytes("""
                    {"requirement": "REQ-NFR-PERF-002", "metric": "checkout_latency_ms", "target": 300, "operator": "lt",
                     "alert_threshold": 0.9, "window": "4s", "min_events": 20}"""))).get();
            SdkMeterProvider meters = SdkMeterProvider.builder()
                    .setResource(Resource.getDefault().merge(Resource.builder()
                            .put(AttributeKey.stringKey("service.name"), "checkout").build()))
                    .registerMetricReader(PeriodicMetricReader.builder(
                                    new KafkaMetricExporter(producer, topics.metrics(), KafkaExporterEncoding.OTLP_PROTO))
                            .setInterval(Duration.ofMillis(500)).build())
                    .build();
            DoubleHistogram latency = meters.get("e2e").histogramBuilder("checkout_latency_ms")
                    .setExplicitBucketBoundariesAdvice(List.of(100.0, 300.0, 1000.0)).build();
            var requirement = io.opentelemetry.api.common.Attributes.of(AttributeKey.stringKey("requirement"), "REQ-NFR-PERF-002");
            List<Alert> seen = new ArrayList<>();
            try {
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (seen.stream().noneMatch(a -> a.firing() && a.requirement().equals("REQ-NFR-PERF-002"))) {
                    assertThat(System.nanoTime()).as("waiting for the metric alert; seen %s", seen).isLessThan(deadline);
                    for (int i = 0; i < 20; i++) latency.record(i % 2 == 0 ? 50 : 800, requirement); // half are slow
                    for (ConsumerRecord<byte[], byte[]> record : alerts.poll(Duration.ofMillis(100))) {
                        Schemas.assertValid("alert.schema.json", record.value());
                        seen.add(Json.MAPPER.readValue(record.value(), Alert.class));
                    }
                }
            } finally {
                meters.shutdown().join(30, TimeUnit.SECONDS);
            }
            Alert fired = seen.stream().filter(a -> a.requirement().equals("REQ-NFR-PERF-002")).findFirst().orElseThrow();
            assertThat(fired.metric()).isEqualTo("checkout_latency_ms");
            assertThat(fired.goodRatio()).isLessThan(0.9);

            List<ConsumerRecord<byte[], byte[]>> statuses = poll(status, records -> records.stream()
                    .anyMatch(r -> new String(r.key(), StandardCharsets.UTF_8).equals("REQ-NFR-PERF-002/checkout_latency_ms")));
            assertThat(statuses).isNotEmpty().allSatisfy(r -> {
                if (r.value() != null) Schemas.assertValid("status.schema.json", r.value());
            });
        }
    }

    /** The bug of this test's service: thrown from one place, whoever the user. */
    static IllegalStateException gatewayTimeout(String user) {
        return new IllegalStateException("Payment gateway timeout after 3000ms for user " + user);
    }

    @Test
    void sdkErrorSpansAndAnErrorLogBecomeIssuesAndIntentsThatSurviveARestart() throws Exception {
        String checkout = "REQ-F-CHECKOUT-001";
        String refund = "REQ-F-REFUND-001";
        Resource resource = Resource.getDefault().merge(Resource.builder()
                .put(AttributeKey.stringKey("service.name"), "checkout").build());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer());
             KafkaConsumer<byte[], byte[]> issueConsumer = consumer(topics.issues());
             KafkaConsumer<byte[], byte[]> intentConsumer = consumer(topics.intents())) {
            SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
                    .addSpanProcessor(BatchSpanProcessor.builder(
                            new KafkaSpanExporter(producer, topics.spans(), KafkaExporterEncoding.OTLP_PROTO)).build())
                    .build();
            SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
                    .addLogRecordProcessor(BatchLogRecordProcessor.builder(
                            new KafkaLogRecordExporter(producer, topics.logs(), KafkaExporterEncoding.OTLP_JSON)).build())
                    .build();
            Tracer tracer = tracing.get("e2e-checkout");
            List<ProductionIssue> issues = new ArrayList<>();
            List<FeedbackIntent> intents = new ArrayList<>();
            try {
                failCheckouts(tracer, checkout, 0, 30);
                logging.get("e2e-refund").logRecordBuilder().setSeverity(Severity.ERROR).setSeverityText("ERROR")
                        .setBody("Refund failed").setAttribute(AttributeKey.stringKey("requirement"), refund)
                        .setAttribute(AttributeKey.stringKey("enduser.id"), "user-9")
                        .setException(new IllegalArgumentException("refund exceeds captured amount")).emit();
                tracing.forceFlush().join(30, TimeUnit.SECONDS);
                logging.forceFlush().join(30, TimeUnit.SECONDS);
                pollIssuesAndIntents(issueConsumer, intentConsumer, issues, intents, () ->
                        issues.stream().anyMatch(i -> i.requirement().equals(refund))
                                && issues.stream().anyMatch(i -> i.requirement().equals(checkout))
                                && intents.stream().filter(i -> i.sourceKind().equals("production_issue")
                                        && (i.requirement().equals(checkout) || i.requirement().equals(refund))).count() == 2);

                // A restart on an empty state directory mid-stream: the issue's state comes back from its
                // changelog, so more of the same bug updates the same issue and makes no second intent.
                stopProcessor();
                processor = startProcessor(stateDirs.resolve("issues-restart"));
                failCheckouts(tracer, checkout, 30, 80);
                tracing.forceFlush().join(30, TimeUnit.SECONDS);
                pollIssuesAndIntents(issueConsumer, intentConsumer, issues, intents, () ->
                        issues.stream().anyMatch(i -> i.requirement().equals(checkout) && i.occurrences() >= 100));
            } finally {
                tracing.shutdown().join(30, TimeUnit.SECONDS);
                logging.shutdown().join(30, TimeUnit.SECONDS);
            }

            List<ProductionIssue> checkoutIssues = issues.stream().filter(i -> i.requirement().equals(checkout)).toList();
            assertThat(checkoutIssues).extracting(ProductionIssue::issueId).as("one issue across users and the restart")
                    .containsOnly(checkoutIssues.get(0).issueId());
            assertThat(checkoutIssues).extracting(ProductionIssue::occurrences).as("published on crossing, not per error")
                    .isSorted().hasSizeLessThanOrEqualTo(3).contains(110L);
            ProductionIssue last = checkoutIssues.get(checkoutIssues.size() - 1);
            assertThat(last.errorType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(last.normalizedMessage()).isEqualTo("Payment gateway timeout after <n>ms for user <user>");
            assertThat(last.service()).isEqualTo("checkout");
            assertThat(last.stackTrace()).contains("EndToEndTest.gatewayTimeout");
            assertThat(last.affectedUsers()).isEqualTo(40); // user-0 … user-39: exact while the sketch is small
            assertThat(last.businessRules()).containsExactly("BR-021");

            ProductionIssue refundIssue = issues.stream().filter(i -> i.requirement().equals(refund)).findFirst().orElseThrow();
            assertThat(refundIssue.errorType()).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(refundIssue.errorMessage()).isEqualTo("Refund failed");
            assertThat(refundIssue.impact()).isEqualTo("1 user affected");

            List<FeedbackIntent> checkoutIntents = intents.stream().filter(i -> i.requirement().equals(checkout)).toList();
            assertThat(checkoutIntents).singleElement().satisfies(intent -> {
                assertThat(intent.sourceId()).isEqualTo(last.issueId());
                assertThat(intent.intentId()).isEqualTo(last.intentId());
                assertThat(intent.priority()).isEqualTo("P1");
                assertThat(intent.description()).startsWith("Fix production issue: Payment gateway timeout after 3000ms");
            });
            assertThat(intents).filteredOn(i -> i.requirement().equals(refund)).singleElement()
                    .satisfies(intent -> assertThat(intent.sourceId()).isEqualTo(refundIssue.issueId()));
        }
        assertThat(processor.isAlive()).isTrue();
    }

    /** Failed checkouts {@code from} … {@code from + count - 1}, users cycling over 40, recorded as the seed's decorator does. */
    private static void failCheckouts(Tracer tracer, String requirement, int from, int count) {
        for (int i = from; i < from + count; i++) {
            String user = "user-" + (i % 40);
            Span span = tracer.spanBuilder("checkout").setAttribute("requirement", requirement)
                    .setAttribute("business_rules", "BR-021").setAttribute("enduser.id", user).startSpan();
            IllegalStateException error = gatewayTimeout(user);
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getMessage());
            span.end();
        }
    }

    private static void pollIssuesAndIntents(KafkaConsumer<byte[], byte[]> issueConsumer,
                                             KafkaConsumer<byte[], byte[]> intentConsumer, List<ProductionIssue> issues,
                                             List<FeedbackIntent> intents, java.util.function.BooleanSupplier done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        boolean finished = false;
        while (true) {
            for (ConsumerRecord<byte[], byte[]> record : issueConsumer.poll(Duration.ofMillis(200))) {
                Schemas.assertValid("issue.schema.json", record.value());
                ProductionIssue issue = Json.MAPPER.readValue(record.value(), ProductionIssue.class);
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(issue.issueId());
                issues.add(issue);
            }
            for (ConsumerRecord<byte[], byte[]> record : intentConsumer.poll(Duration.ofMillis(200))) {
                Schemas.assertValid("intent.schema.json", record.value());
                FeedbackIntent intent = Json.MAPPER.readValue(record.value(), FeedbackIntent.class);
                assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(intent.intentId());
                intents.add(intent);
            }
            if (finished) return;
            finished = done.getAsBoolean(); // one more round after done: what was committed with it
            assertThat(System.nanoTime()).as("waiting for issues and intents; seen %s and %s", issues, intents)
                    .isLessThan(deadline);
        }
    }

    /** Sends traffic at 100 logins/s until the alerts seen so far satisfy {@code done}. */
    private static void sendUntil(LoginTraffic traffic, LoginTraffic.Behaviour behaviour,
                                  KafkaConsumer<byte[], byte[]> alerts, List<Alert> seen, Predicate<List<Alert>> done)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(seen)) {
            assertThat(System.nanoTime()).as("waiting for %s alerts; seen %s", behaviour.name(), seen).isLessThan(deadline);
            sendRounds(traffic, behaviour, alerts, seen, 1);
        }
    }

    /** Sends {@code rounds} × 10 logins, 100 ms apart, collecting alerts. */
    private static void sendRounds(LoginTraffic traffic, LoginTraffic.Behaviour behaviour,
                                   KafkaConsumer<byte[], byte[]> alerts, List<Alert> seen, int rounds) throws Exception {
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 10; i++) traffic.login(behaviour, Instant.now());
            for (ConsumerRecord<byte[], byte[]> record : alerts.poll(Duration.ofMillis(100))) {
                Schemas.assertValid("alert.schema.json", record.value());
                seen.add(Json.MAPPER.readValue(record.value(), Alert.class));
            }
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> consumer,
                                                             Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        return records;
    }

    private KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

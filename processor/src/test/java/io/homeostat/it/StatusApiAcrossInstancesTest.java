package io.homeostat.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.cli.Homeostat;
import io.homeostat.docs.MetricsDocs;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.HttpGet;
import io.homeostat.testing.RunningProcessor;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SdkSpans;
import io.homeostat.topology.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the real {@code homeostat run} (one application, the test broker, HTTP on loopback ports):
 * each answers the status API for every target and issue, asking the other for what it owns; /metrics and the
 * probes answer as documented; nothing served or logged shows a password of the Kafka configuration.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class StatusApiAcrossInstancesTest {
    static final Duration WAIT = Duration.ofSeconds(150);
    static final int REQUIREMENTS = 16;
    static final List<String> SECRETS = List.of("s3cr3t-truststore-pw", "s3cr3t-key-pw", "s3cr3t-jaas-pw");

    static EmbeddedKafka kafka;
    @TempDir Path dirs;
    Thread traffic;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    static String requirement(int i) {
        return String.format("REQ-API-%03d", i);
    }

    static String targetId(int i) {
        return requirement(i) + "/span.duration_ms";
    }

    @Test
    void everyInstanceAnswersForAllAndShowsNoSecret() throws Exception {
        StringWriter logs = new StringWriter();
        WriterAppender capture = captureLogs(logs);
        try {
            run(logs);
        } finally {
            release(capture);
        }
        String logged = logs.toString();
        assertThat(logged).as("the log was captured, Kafka's config dumps included").contains("sasl.jaas.config");
        for (String secret : SECRETS) assertThat(logged).as("logs").doesNotContain(secret);
    }

    private void run(StringWriter logs) throws Exception {
        Topics topics = RunningProcessor.topics("api");
        Path config = dirs.resolve("client.properties");
        Files.writeString(config, """
                # PLAINTEXT here: the passwords are never used, only carried, as in any deployment's client config
                ssl.truststore.password=s3cr3t-truststore-pw
                ssl.key.password=s3cr3t-key-pw
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="homeostat" password="s3cr3t-jaas-pw";
                """);
        List<String> served = new ArrayList<>();
        boolean decodedSomewhere = false;
        int portA = RunningProcessor.freePort();
        RunningProcessor a = RunningProcessor.start(kafka.bootstrapServers(), "api-test", topics, dirs.resolve("a"), portA,
                Map.of(), "--partitions", "4", "--kafka-config", config.toString());
        RunningProcessor b = null;
        try {
            // Before Kafka Streams runs, the probes and the API say so: live, not ready, 503 with Retry-After.
            await(a::listening, "instance A listening");
            HttpGet.Answer early = HttpGet.get(a.url() + "/api/v1/targets");
            HttpGet.Answer earlyReady = HttpGet.get(a.url() + "/health/ready");
            served.add(early.body());
            assertThat(early.status()).as("%s", early.body()).isEqualTo(503);
            assertThat(early.headers().firstValue("Retry-After")).hasValue("2");
            Schemas.assertValid("api-error.schema.json", early.json());
            assertThat(earlyReady.status()).isEqualTo(503);
            assertThat(HttpGet.get(a.url() + "/health/live").status()).isEqualTo(200);

            // A second instance on the same port fails at once, with one line naming the problem.
            RunningProcessor clash = RunningProcessor.start(kafka.bootstrapServers(), "api-clash", topics, dirs.resolve("clash"),
                    portA, Map.of());
            clash.join(60_000);
            assertThat(clash.exitCode()).isEqualTo(1);
            assertThat(clash.err()).contains("cannot serve HTTP on 127.0.0.1:" + portA, "--no-http");

            b = RunningProcessor.start(kafka.bootstrapServers(), "api-test", topics, dirs.resolve("b"),
                    RunningProcessor.freePort(), Map.of(), "--partitions", "4", "--kafka-config", config.toString());
            RunningProcessor instanceB = b;
            await(() -> HttpGet.get(a.url() + "/health/ready").status() == 200
                    && instanceB.listening() && HttpGet.get(instanceB.url() + "/health/ready").status() == 200, "both ready");

            sendTargetsAndTraffic(topics);
            String hostA = "127.0.0.1:" + a.port();
            String hostB = "127.0.0.1:" + b.port();
            await(() -> {
                JsonNode list = HttpGet.get(a.url() + "/api/v1/targets").json();
                Set<String> judged = new HashSet<>();
                Set<String> owners = new HashSet<>();
                list.path("targets").forEach(t -> {
                    if (!t.path("status").isNull()) judged.add(t.get("target_id").asText());
                    owners.add(t.path("instance").asText());
                });
                return judged.size() == REQUIREMENTS && owners.size() == 2;
            }, "every target judged, on both instances");

            // The lists: the same on both instances, every target once, owned by one or the other.
            for (RunningProcessor instance : List.of(a, b)) {
                HttpGet.Answer list = HttpGet.get(instance.url() + "/api/v1/targets?series=true");
                served.add(list.body());
                assertThat(list.status()).isEqualTo(200);
                Schemas.assertValid("api-targets.schema.json", list.json());
                List<String> ids = new ArrayList<>();
                list.json().get("targets").forEach(t -> ids.add(t.get("target_id").asText()));
                assertThat(ids).containsExactlyElementsOf(new TreeSet<>(expectedIds()));
                assertThat(list.json().get("partial").asBoolean()).isFalse();
                list.json().get("targets").forEach(t -> assertThat(t.get("series").get("points")).isNotEmpty());
            }
            JsonNode listA = HttpGet.get(a.url() + "/api/v1/targets").json();
            Map<String, String> owner = new java.util.TreeMap<>();
            listA.get("targets").forEach(t -> owner.put(t.get("target_id").asText(), t.get("instance").asText()));
            assertThat(new HashSet<>(owner.values())).containsExactlyInAnyOrder(hostA, hostB);

            // One target owned by the other instance: asked of its owner (queryMetadataForKey).
            for (RunningProcessor asked : List.of(a, b)) {
                String self = "127.0.0.1:" + asked.port();
                String foreign = owner.entrySet().stream().filter(e -> !e.getValue().equals(self)).findFirst()
                        .orElseThrow().getKey();
                HttpGet.Answer one = HttpGet.get(asked.url() + "/api/v1/targets/" + foreign);
                served.add(one.body());
                assertThat(one.status()).as(one.body()).isEqualTo(200);
                Schemas.assertValid("api-target.schema.json", one.json());
                assertThat(one.json().get("target_id").asText()).isEqualTo(foreign);
                assertThat(one.json().get("instance").asText()).isEqualTo(owner.get(foreign)).isNotEqualTo(self);
                assertThat(one.json().get("series").get("points")).isNotEmpty();
                assertThat(one.json().get("definition").get("requirement").asText()).isEqualTo(foreign.split("/")[0]);
                // Its owner alone, asked for it with scope=local, has it; this instance alone has not.
                assertThat(HttpGet.get(asked.url() + "/api/v1/targets/" + foreign + "?scope=local").status()).isEqualTo(404);
            }
            // The slow requirement fires: its open alert and episode are in the API (sample trace ids included).
            String slow = targetId(0);
            await(() -> !HttpGet.get(a.url() + "/api/v1/targets/" + slow).json().path("alert").isNull(), "the slow target's alert");
            JsonNode firing = HttpGet.get(b.url() + "/api/v1/targets/" + slow).json();
            assertThat(firing.get("status").get("state").asText()).isEqualTo("firing");
            assertThat(firing.get("alert").get("sample_trace_ids")).isNotEmpty();
            assertThat(firing.get("episodes")).anySatisfy(e -> assertThat(e.get("phase").asText()).isEqualTo("firing"));

            HttpGet.Answer unknown = HttpGet.get(a.url() + "/api/v1/targets/" + URLEncoder.encode("REQ-NONE/x y", StandardCharsets.UTF_8));
            assertThat(unknown.status()).isEqualTo(404);
            Schemas.assertValid("api-error.schema.json", unknown.json());
            assertThat(unknown.json().get("message").asText()).contains("no target 'REQ-NONE/x+y'");

            // Issues: every instance lists those of both; one owned by the other is asked of its owner.
            await(() -> HttpGet.get(a.url() + "/api/v1/issues").json().path("issues").size() == 4, "four issues");
            for (RunningProcessor asked : List.of(a, b)) {
                HttpGet.Answer issues = HttpGet.get(asked.url() + "/api/v1/issues");
                served.add(issues.body());
                Schemas.assertValid("api-issues.schema.json", issues.json());
                String self = "127.0.0.1:" + asked.port();
                List<JsonNode> entries = new ArrayList<>();
                issues.json().get("issues").forEach(entries::add);
                assertThat(entries).allSatisfy(e -> {
                    assertThat(e.get("issue").get("status").asText()).isEqualTo("open");
                    assertThat(e.get("intent_priority").asText()).isEqualTo("P1");
                    assertThat(e.get("issue").get("occurrences").asLong()).isEqualTo(3);
                });
                JsonNode foreign = entries.stream().filter(e -> !e.get("instance").asText().equals(self)).findFirst()
                        .orElse(null);
                if (foreign != null) {
                    String issueId = foreign.get("issue").get("issue_id").asText();
                    HttpGet.Answer one = HttpGet.get(asked.url() + "/api/v1/issues/" + issueId);
                    assertThat(one.status()).isEqualTo(200);
                    Schemas.assertValid("api-issues.schema.json", wrap(one.json()));
                    assertThat(one.json().get("instance").asText()).isNotEqualTo(self);
                }
            }
            assertThat(HttpGet.get(a.url() + "/api/v1/issues/ISSUE-0000000000000000").status()).isEqualTo(404);

            // /metrics: each instance exports the targets it owns, and Kafka Streams' and the JVM's metrics.
            Set<String> exported = new HashSet<>();
            for (RunningProcessor instance : List.of(a, b)) {
                HttpGet.Answer metrics = HttpGet.get(instance.url() + "/metrics");
                served.add(metrics.body());
                assertThat(metrics.status()).isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
                String self = "127.0.0.1:" + instance.port();
                Set<String> own = targetsIn(metrics.body());
                assertThat(own).as("%s exports what it owns", self)
                        .isEqualTo(owner.entrySet().stream().filter(e -> e.getValue().equals(self)).map(Map.Entry::getKey)
                                .collect(java.util.stream.Collectors.toSet()));
                exported.addAll(own);
                assertThat(metrics.body()).contains("homeostat_streams_state{state=\"RUNNING\"} 1.0",
                        "kafka_consumer_fetch_manager_records_lag{", "kafka_stream_thread_commit_latency_avg{",
                        "kafka_stream_thread_process_rate{", "kafka_stream_task_dropped_records_total{",
                        "kafka_stream_task_restore_remaining_records_total{", "jvm_memory_used_bytes{",
                        "homeostat_target_good_ratio{", "homeostat_target_events{", "homeostat_target_actual{",
                        "homeostat_targets{state=\"ok\"}", "homeostat_target_series_omitted 0.0");
                if (java.util.regex.Pattern.compile("homeostat_spans_decoded_total\\{[^}]*\\} [1-9]").matcher(metrics.body()).find()) {
                    decodedSomewhere = true; // the decode tasks that read the spans' partitions may all be on one instance
                }
                assertThat(metrics.body()).as("DEBUG-level store metrics are left out at INFO")
                        .doesNotContain("kafka_stream_state_put_rate");
                HttpGet.Answer openMetrics = HttpGet.send(HttpRequest.newBuilder(URI.create(instance.url() + "/metrics"))
                        .header("Accept", "application/openmetrics-text; version=1.0.0").GET().build());
                assertThat(openMetrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
                assertThat(openMetrics.body()).endsWith("# EOF\n");
                // docs/metrics-and-logs.md names what is exported, and every homeostat_* metric exported is on it.
                MetricsDocs.assertTrueTo(metrics.body());
            }
            assertThat(exported).containsExactlyInAnyOrderElementsOf(expectedIds());
            assertThat(decodedSomewhere).as("an instance counts the spans it decoded on /metrics").isTrue();
            RunningProcessor slowOwner = owner.get(slow).equals(hostA) ? a : b;
            assertThat(HttpGet.get(slowOwner.url() + "/metrics").body()).contains(
                    "homeostat_target_state{requirement=\"REQ-API-000\",state=\"firing\",target_id=\"REQ-API-000/span.duration_ms\"} 1.0",
                    "homeostat_target_state{requirement=\"REQ-API-000\",state=\"ok\",target_id=\"REQ-API-000/span.duration_ms\"} 0.0");

            // Probes, the page, and what is not allowed.
            for (String path : List.of("/health/live", "/health/ready")) {
                HttpGet.Answer probe = HttpGet.get(a.url() + path);
                served.add(probe.body());
                assertThat(probe.status()).isEqualTo(200);
                Schemas.assertValid("health.schema.json", probe.json());
            }
            HttpGet.Answer page = HttpGet.get(a.url() + "/");
            served.add(page.body());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'none'",
                    "script-src 'sha256-");
            HttpGet.Answer post = HttpGet.send(HttpRequest.newBuilder(URI.create(a.url() + "/api/v1/targets"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            Schemas.assertValid("api-error.schema.json", post.json());
            HttpGet.Answer head = HttpGet.send(HttpRequest.newBuilder(URI.create(a.url() + "/health/ready"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(HttpGet.get(a.url() + "/nothing-here").status()).isEqualTo(404);

            // `homeostat status --api` reads the same, from either instance.
            StringWriter out = new StringWriter();
            var cli = Homeostat.commandLine(Map.of());
            cli.setOut(new PrintWriter(out, true));
            assertThat(cli.execute("status", "--api", b.url())).isZero();
            for (String id : expectedIds()) assertThat(out.toString()).contains(id);
            assertThat(out.toString()).contains("firing");

            // One instance goes: the other takes its tasks over and answers for all, from the changelogs.
            b.close();
            assertThat(b.exitCode()).isZero();
            await(() -> {
                HttpGet.Answer list = HttpGet.get(a.url() + "/api/v1/targets");
                if (list.status() == 503) {
                    assertThat(list.headers().firstValue("Retry-After")).isPresent();
                    return false;
                }
                Set<String> owners = new HashSet<>();
                list.json().path("targets").forEach(t -> owners.add(t.get("instance").asText()));
                return list.json().path("targets").size() == REQUIREMENTS && owners.equals(Set.of(hostA));
            }, "instance A owning every target");
        } finally {
            if (traffic != null) traffic.interrupt();
            a.close();
            if (b != null) b.close();
        }
        assertThat(a.exitCode()).isZero();
        for (String body : served) {
            for (String secret : SECRETS) assertThat(body).doesNotContain(secret);
        }
        assertThat(String.join("\n", served)).as("what was served").isNotEmpty();
    }

    /** An issue entry is checked as the list's item. */
    private static JsonNode wrap(JsonNode entry) {
        var root = io.homeostat.model.Json.MAPPER.createObjectNode();
        root.put("generated_at", "2026-01-01T00:00:00.000Z").put("instance", "x:1").put("partial", false);
        root.putArray("errors");
        root.putArray("issues").add(entry);
        return root;
    }

    static Set<String> targetsIn(String metrics) {
        Set<String> ids = new HashSet<>();
        Matcher m = Pattern.compile("^homeostat_target_objective\\{[^}]*target_id=\"([^\"]+)\"", Pattern.MULTILINE).matcher(metrics);
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    static List<String> expectedIds() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < REQUIREMENTS; i++) ids.add(targetId(i));
        return ids;
    }

    /**
     * A latency target per requirement; spans for a while (requirement 0 slow, the others fast); three failing
     * spans of four requirements, with one bug each: four production issues.
     */
    private void sendTargetsAndTraffic(Topics topics) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(), new ByteArraySerializer(),
                new ByteArraySerializer()); SdkSpans sdk = new SdkSpans("api-service")) {
            for (int i = 0; i < REQUIREMENTS; i++) {
                producer.send(new ProducerRecord<>(topics.targets(), bytes(targetId(i)), bytes("""
                        {"requirement": "%s", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                         "alert_threshold": 0.9, "window": "3s", "min_events": 1}""".formatted(requirement(i))))).get();
            }
            for (int second = 0; second < 8; second++) {
                Instant now = Instant.now();
                for (int i = 0; i < REQUIREMENTS; i++) {
                    sdk.spans(requirement(i), 5, now, new double[] {i == 0 ? 900 : 50}, 0);
                }
                if (second == 0) {
                    for (int i = 1; i <= 4; i++) {
                        for (int n = 0; n < 3; n++) {
                            sdk.failedSpan("op", Map.of("requirement", requirement(i), "enduser.id", "user-" + n), now,
                                    new IllegalStateException("bug number " + i + " struck"));
                        }
                    }
                }
                producer.send(new ProducerRecord<>(topics.spans(), sdk.batch(OtlpEncoding.PROTOBUF))).get();
                Thread.sleep(1000);
            }
        }
        // Keep requirement 0 slow while the test reads, so that its alert stays open.
        traffic = new Thread(() -> {
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                    new ByteArraySerializer(), new ByteArraySerializer()); SdkSpans sdk = new SdkSpans("api-service")) {
                while (!Thread.currentThread().isInterrupted()) {
                    Instant now = Instant.now();
                    for (int i = 0; i < REQUIREMENTS; i++) sdk.spans(requirement(i), 5, now, new double[] {i == 0 ? 900 : 50}, 0);
                    producer.send(new ProducerRecord<>(topics.spans(), sdk.batch(OtlpEncoding.PROTOBUF)));
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "api-test-traffic");
        traffic.setDaemon(true);
        traffic.start();
    }

    static void await(Supplier<Boolean> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                if (condition.get()) return;
            } catch (RuntimeException | AssertionError e) {
                // not yet (an endpoint not up, a rebalance): ask again
            }
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Every log line of this JVM into {@code logs}, Kafka's own at INFO (its config dumps included). */
    private static WriterAppender captureLogs(StringWriter logs) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender = WriterAppender.newBuilder().setName("secrets-capture").setTarget(logs)
                .setLayout(PatternLayout.newBuilder().withPattern("%level %c{1} - %msg%n").build()).build();
        appender.start();
        context.getConfiguration().addAppender(appender);
        context.getRootLogger().addAppender(context.getConfiguration().getAppender(appender.getName()));
        Configurator.setLevel("org.apache.kafka", Level.INFO);
        return appender;
    }

    private static void release(WriterAppender appender) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configurator.setLevel("org.apache.kafka", Level.WARN);
        context.getRootLogger().removeAppender(appender);
        appender.stop();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

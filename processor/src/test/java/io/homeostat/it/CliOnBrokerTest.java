package io.homeostat.it;

import io.homeostat.cli.TopicProvisioner;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.cli.Homeostat;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import io.homeostat.testing.EmbeddedKafka;
import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SeedFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The targets-as-code commands and the read commands, run through the real command line against a real
 * Kafka broker (KRaft, in the test JVM). Each test uses its own topics.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CliOnBrokerTest {
    static EmbeddedKafka kafka;
    @TempDir static Path files;

    record Run(int exitCode, String out, String err) {}

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = new EmbeddedKafka();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    static Run homeostat(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Homeostat.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code targets apply -f file} (and more args) against the test broker and the given topic. */
    static Run apply(String topic, Path file, Map<String, String> env, String... more) {
        List<String> args = new ArrayList<>(List.of("targets", "apply", "-f", file.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "--targets-topic", topic));
        args.addAll(List.of(more));
        return homeostat(env, args.toArray(String[]::new));
    }

    static Path file(String name, String content) throws Exception {
        return Files.writeString(files.resolve(name), content);
    }

    static Path seedFile() {
        return RepoFiles.resolve("config/observability.yml");
    }

    static String topicFor(TestInfo test, String kind) {
        return kind + "-" + test.getTestMethod().orElseThrow().getName();
    }

    /** Every committed record of the topic, tombstones included, in offset order per partition. */
    static List<ConsumerRecord<byte[], byte[]>> records(String topic) throws Exception {
        Properties props = kafka.clientProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The log end offsets (read_uncommitted): any write, even an aborted one or a commit marker, moves them. */
    static long logEnd(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            if (!admin.listTopics().names().get().contains(topic)) return -1;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.clientProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static boolean topicExists(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            return admin.listTopics().names().get().contains(topic);
        }
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static Map<String, String> latest(String topic) throws Exception {
        Map<String, String> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records(topic)) {
            if (r.value() == null) latest.remove(text(r.key())); else latest.put(text(r.key()), text(r.value()));
        }
        return latest;
    }

    // ------------------------------------------------------------------ targets apply

    @Test
    void theSeedsObservabilityYmlAppliesCleanlyAsTheContractsTwoTargets(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        Run run = apply(topic, seedFile(), SeedFiles.ENV);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(
                "Read 2 target(s) from " + seedFile() + " (service customer-portal, environment production)",
                "login_latency_ms: OTLP histogram declared in telemetry.metrics",
                "alert_threshold 0.95 is the share of events that must be lt 500 (actual = p95)",
                "login_success_rate -> span.success_rate: not declared in telemetry.metrics",
                "alert_threshold 0.98 is the alert level",
                "+ REQ-NFR-PERF-001/login_latency_ms", "+ REQ-F-AUTH-001/span.success_rate",
                "Created the compacted topic " + topic,
                "Applied in one transaction: 2 added, 0 changed, 0 deleted, 0 unchanged.");

        List<ConsumerRecord<byte[], byte[]>> records = records(topic);
        assertThat(records).extracting(r -> text(r.key())).containsExactlyInAnyOrder(
                "REQ-NFR-PERF-001/login_latency_ms", "REQ-F-AUTH-001/span.success_rate");
        for (ConsumerRecord<byte[], byte[]> record : records) Schemas.assertValid("target.schema.json", record.value());
        Map<String, String> latest = latest(topic);
        Target latency = TargetParser.parse(latest.get("REQ-NFR-PERF-001/login_latency_ms"));
        assertThat(latency.metric()).isEqualTo("login_latency_ms");
        assertThat(latency.target()).isEqualTo(500.0);
        assertThat(latency.alertThreshold()).isEqualTo(0.95);
        assertThat(latency.constraint()).isEqualTo("C-001");
        Target success = TargetParser.parse(latest.get("REQ-F-AUTH-001/span.success_rate"));
        assertThat(success.metric()).isEqualTo("span.success_rate");
        assertThat(success.target()).isEqualTo(0.99);
        assertThat(success.alertThreshold()).isEqualTo(0.98);

        try (Admin admin = Admin.create(kafka.clientProperties())) {
            assertThat(admin.listTransactions().all().get()).extracting(TransactionListing::transactionalId)
                    .as("written by a transactional producer").contains("homeostat-targets-apply");
            assertThat(admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic))).all().get().values().iterator().next()
                    .get("cleanup.policy").value()).isEqualTo("compact");
        }

        // The same file again: nothing changes, nothing is written.
        long before = logEnd(topic);
        Run again = apply(topic, seedFile(), SeedFiles.ENV);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("= REQ-NFR-PERF-001/login_latency_ms", "= REQ-F-AUTH-001/span.success_rate",
                "unchanged", "Nothing to apply: 0 added, 0 changed, 0 deleted, 2 unchanged.");
        assertThat(logEnd(topic)).isEqualTo(before);
    }

    @Test
    void aBrokenFileFailsNamingLinesAndFieldsAndWritesNothing(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        String broken = SeedFiles.broken();
        Path file = file("broken.yml", broken);

        Run onNothing = apply(topic, file, SeedFiles.ENV);
        assertThat(onNothing.exitCode()).isEqualTo(1);
        assertThat(onNothing.err()).contains("Not applied, nothing written (" + file + "): 5 problem(s):",
                file + ":" + SeedFiles.lineOf(broken, "operator: \"below\"") + ":",
                "unknown operator 'below'",
                file + ":" + SeedFiles.lineOf(broken, "alert_treshold") + ":",
                "unknown field 'alert_treshold' (did you mean 'alert_threshold'?)",
                file + ":" + SeedFiles.lineOf(broken, "target: \"high\"") + ":",
                "'target' must be a number",
                file + ":" + SeedFiles.lineOf(broken, "login_sucess_count") + ":",
                "unknown metric 'login_sucess_count'",
                file + ":" + SeedFiles.lineOf(broken, "REQ-F-AUTH-002:") + ":",
                "missing required field 'metric'");
        assertThat(onNothing.out()).doesNotContain("Diff against");
        assertThat(topicExists(topic)).as("not even the topic was created").isFalse();

        // Over targets already applied: they stay exactly as they were.
        assertThat(apply(topic, seedFile(), SeedFiles.ENV).exitCode()).isZero();
        long before = logEnd(topic);
        Map<String, String> applied = latest(topic);
        Run onApplied = apply(topic, file, SeedFiles.ENV, "--prune");
        assertThat(onApplied.exitCode()).isEqualTo(1);
        assertThat(logEnd(topic)).isEqualTo(before);
        assertThat(latest(topic)).isEqualTo(applied);
    }

    @Test
    void anUnsetVariableWhereATargetIsMadeOfIsAClearErrorElsewhereAWarning(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        Path latency = file("latency.yml", SeedFiles.observabilityYml().replace("target: 500", "target: ${LATENCY_MS}"));
        Run run = apply(topic, latency, Map.of("VERSION", "1.4.2"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("environment variable LATENCY_MS is not set", latency + ":"
                + SeedFiles.lineOf(SeedFiles.observabilityYml(), "target: 500") + ":");
        assertThat(topicExists(topic)).isFalse();

        // The seed's ${ENV} and ${VERSION} stand where no target is made of: applied, with a warning on their lines.
        Run seed = apply(topic, seedFile(), Map.of());
        assertThat(seed.exitCode()).as(seed.err()).isZero();
        assertThat(seed.err()).contains("warning: " + seedFile() + ":"
                + SeedFiles.lineOf(SeedFiles.observabilityYml(), "environment: \"${ENV}\"") + ":", "ENV is not set");
        assertThat(seed.out()).contains("Applied in one transaction: 2 added");
    }

    @Test
    void dryRunShowsTheDiffAndWritesNothing(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        Run first = apply(topic, seedFile(), SeedFiles.ENV, "--dry-run");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("the topic does not exist yet", "+ REQ-NFR-PERF-001/login_latency_ms",
                "login_success_rate -> span.success_rate",
                "Dry run, nothing written: would apply 2 added, 0 changed, 0 deleted, 0 unchanged.");
        assertThat(topicExists(topic)).isFalse();

        assertThat(apply(topic, seedFile(), SeedFiles.ENV).exitCode()).isZero();
        long before = logEnd(topic);
        Path changed = file("changed.yml", SeedFiles.observabilityYml().replace("alert_threshold: 0.98", "alert_threshold: 0.97"));
        Run dry = apply(topic, changed, SeedFiles.ENV, "--dry-run", "--prune");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("~ REQ-F-AUTH-001/span.success_rate", "alert_threshold: 0.98 -> 0.97",
                "= REQ-NFR-PERF-001/login_latency_ms", "would apply 0 added, 1 changed, 0 deleted, 1 unchanged");
        assertThat(logEnd(topic)).as("a dry run writes nothing").isEqualTo(before);

        Run real = apply(topic, changed, SeedFiles.ENV);
        assertThat(real.out()).contains("Applied in one transaction: 0 added, 1 changed, 0 deleted, 1 unchanged.");
        assertThat(TargetParser.parse(latest(topic).get("REQ-F-AUTH-001/span.success_rate")).alertThreshold()).isEqualTo(0.97);
    }

    @Test
    void aRatioEntryAppliesUnderItsOwnNameAndTheDryRunExplainsIt(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        Path ratio = file("ratio.yml", SeedFiles.withRatio("login_attempts"));
        Run dry = apply(topic, ratio, SeedFiles.ENV, "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("+ REQ-F-AUTH-001/login_success_rate",
                "login_success_rate: ratio good / total over the window, good = login_attempts where status=success "
                        + "(OTLP counter, line 19: its increase), total = login_attempts where status in (success, failure)",
                "alert_threshold 0.98 is the alert level: deviating below 0.99, alerting below 0.98",
                "Dry run, nothing written: would apply 2 added")
                .doesNotContain("span.success_rate");
        assertThat(topicExists(topic)).isFalse();

        Run real = apply(topic, ratio, SeedFiles.ENV);
        assertThat(real.exitCode()).as(real.err()).isZero();
        Target applied = TargetParser.parse(latest(topic).get("REQ-F-AUTH-001/login_success_rate"));
        assertThat(applied.metric()).isEqualTo("login_success_rate");
        assertThat(applied.ratio().total().metric()).isEqualTo("login_attempts");
        assertThat(applied.ratio().good().where()).containsEntry("status", List.of("success"));

        Run undeclared = apply(topic, file("undeclared.yml", SeedFiles.withRatio("login_attempt")), SeedFiles.ENV, "--dry-run");
        assertThat(undeclared.exitCode()).isEqualTo(1);
        assertThat(undeclared.err()).contains("'ratio.total.metric': unknown metric 'login_attempt'");
    }

    @Test
    void pruneTombstonesOnlyWhatTheFileNoLongerHas(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        assertThat(apply(topic, seedFile(), SeedFiles.ENV).exitCode()).isZero();
        int written = records(topic).size();
        Path smaller = file("smaller.yml", SeedFiles.withoutLatencyTarget());

        long before = logEnd(topic);
        Run kept = apply(topic, smaller, SeedFiles.ENV);
        assertThat(kept.exitCode()).as(kept.err()).isZero();
        assertThat(kept.out()).contains("? REQ-NFR-PERF-001/login_latency_ms", "not in file (kept; --prune deletes it)",
                "Nothing to apply: 0 added, 0 changed, 0 deleted, 1 unchanged, 1 not in the file(s) and kept.");
        assertThat(logEnd(topic)).as("without --prune nothing is deleted").isEqualTo(before);

        Run pruned = apply(topic, smaller, SeedFiles.ENV, "--prune");
        assertThat(pruned.exitCode()).as(pruned.err()).isZero();
        assertThat(pruned.out()).contains("- REQ-NFR-PERF-001/login_latency_ms", "deleted", "= REQ-F-AUTH-001/span.success_rate",
                "Applied in one transaction: 0 added, 0 changed, 1 deleted, 1 unchanged.");
        List<ConsumerRecord<byte[], byte[]>> after = records(topic);
        assertThat(after).as("exactly one new record").hasSize(written + 1);
        List<ConsumerRecord<byte[], byte[]>> ofLatency = after.stream()
                .filter(r -> text(r.key()).equals("REQ-NFR-PERF-001/login_latency_ms")).toList();
        assertThat(ofLatency).hasSize(2);
        assertThat(ofLatency.get(1).value()).as("the new record is the latency target's tombstone").isNull();
        assertThat(latest(topic)).containsOnlyKeys("REQ-F-AUTH-001/span.success_rate");
    }

    @Test
    void plainTargetFilesApplyWithTheirIds(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        Path plain = file("targets.yaml", """
                id: checkout/errors
                requirement: REQ-F-CHECKOUT-001
                metric: span.error_rate
                target: 0.01
                operator: lt
                ---
                - requirement: REQ-NFR-PERF-001
                  metric: span.duration_ms
                  target: 500
                  operator: lt
                  alert_threshold: 0.95
                """);
        Run run = apply(topic, plain, Map.of());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(latest(topic)).containsOnlyKeys("checkout/errors", "REQ-NFR-PERF-001/span.duration_ms");
    }

    // ------------------------------------------------------------------ targets list / get / delete

    @Test
    void listGetAndDeleteShowWhatIsOnTheTopic(TestInfo test) throws Exception {
        String topic = topicFor(test, "targets");
        assertThat(apply(topic, seedFile(), SeedFiles.ENV).exitCode()).isZero();
        String[] kafkaArgs = {"--bootstrap-servers", kafka.bootstrapServers(), "--targets-topic", topic};

        Run list = homeostat(Map.of(), concat(new String[] {"targets", "list"}, kafkaArgs));
        assertThat(list.exitCode()).as(list.err()).isZero();
        List<String> lines = list.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("REQUIREMENT", "METRIC", "TARGET", "ALERT_THRESHOLD", "WINDOW");
        assertThat(lines).hasSize(3);
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("REQ-NFR-PERF-001/login_latency_ms")
                .contains("REQ-NFR-PERF-001", "login_latency_ms", "lt 500", "0.95", "1m"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("REQ-F-AUTH-001/span.success_rate")
                .contains("span.success_rate", "gte 0.99", "0.98"));

        Run listJson = homeostat(Map.of(), concat(new String[] {"targets", "list", "-o", "json"}, kafkaArgs));
        JsonNode array = Json.MAPPER.readTree(listJson.out());
        assertThat(array).hasSize(2);
        for (JsonNode entry : array) {
            assertThat(entry.path("id").asText()).contains("/");
            Schemas.assertValid("target.schema.json", entry.get("target"));
        }

        Run get = homeostat(Map.of(), concat(new String[] {"targets", "get", "REQ-F-AUTH-001/span.success_rate"}, kafkaArgs));
        assertThat(get.exitCode()).isZero();
        assertThat(get.out()).startsWith("FIELD").contains("id", "REQ-F-AUTH-001/span.success_rate")
                .containsPattern("operator\\s+gte").containsPattern("alert_threshold\\s+0.98");
        Run getJson = homeostat(Map.of(), concat(new String[] {"targets", "get", "REQ-F-AUTH-001/span.success_rate", "-o", "json"}, kafkaArgs));
        JsonNode value = Json.MAPPER.readTree(getJson.out());
        Schemas.assertValid("target.schema.json", value);
        assertThat(value.path("metric").asText()).isEqualTo("span.success_rate");
        Run missing = homeostat(Map.of(), concat(new String[] {"targets", "get", "REQ-NOPE/x"}, kafkaArgs));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("No target 'REQ-NOPE/x'");

        long before = logEnd(topic);
        Run deleteMissing = homeostat(Map.of(), concat(new String[] {"targets", "delete", "REQ-F-AUTH-001/span.success_rate", "REQ-NOPE/x"}, kafkaArgs));
        assertThat(deleteMissing.exitCode()).isEqualTo(1);
        assertThat(deleteMissing.err()).contains("Nothing deleted: no target REQ-NOPE/x");
        assertThat(logEnd(topic)).isEqualTo(before);
        Run delete = homeostat(Map.of(), concat(new String[] {"targets", "delete", "REQ-F-AUTH-001/span.success_rate"}, kafkaArgs));
        assertThat(delete.exitCode()).as(delete.err()).isZero();
        assertThat(delete.out()).contains("- REQ-F-AUTH-001/span.success_rate  deleted");
        assertThat(latest(topic)).containsOnlyKeys("REQ-NFR-PERF-001/login_latency_ms");
        List<ConsumerRecord<byte[], byte[]>> ofDeleted = records(topic).stream()
                .filter(r -> text(r.key()).equals("REQ-F-AUTH-001/span.success_rate")).toList();
        assertThat(ofDeleted).hasSize(2);
        assertThat(ofDeleted.get(1).value()).as("a tombstone").isNull();
    }

    // ------------------------------------------------------------------ status and alerts tail

    static void produce(String topic, Map<String, byte[]> records) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            TopicProvisioner.awaitWritable(admin, List.of(topic));
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, byte[]> r : records.entrySet()) {
                producer.send(new ProducerRecord<>(topic, r.getKey().getBytes(StandardCharsets.UTF_8), r.getValue())).get();
            }
        }
    }

    static byte[] example(String name) throws Exception {
        return Files.readAllBytes(RepoFiles.resolve("schemas/examples/" + name));
    }

    @Test
    void statusShowsEveryTargetAndTheUnattributedTelemetry(TestInfo test) throws Exception {
        String topic = topicFor(test, "status");
        Map<String, byte[]> records = new java.util.LinkedHashMap<>();
        records.put("REQ-F-CHECKOUT-001/checkout_success", example("status-target-slo.json"));
        records.put("REQ-NFR-PERF-001/span.duration_ms", example("status-target.json"));
        records.put("REQ-F-AUTH-001/span.success_rate", example("status-target-unreadable.json"));
        records.put("unattributed/checkout", example("status-unattributed.json"));
        produce(topic, records);
        String[] args = {"status", "--bootstrap-servers", kafka.bootstrapServers(), "--status-topic", topic};

        Run table = homeostat(Map.of(), args);
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TARGET").contains("STATE", "INPUT", "ACTUAL", "GOOD", "EVENTS", "LAST_EVALUATED");
        assertThat(lines.get(1)).as("the service went quiet reads apart from we cannot read")
                .startsWith("REQ-F-AUTH-001/span.success_rate").contains("firing", "unreadable (otlp_spans-1, +1)");
        assertThat(lines.get(2)).startsWith("REQ-F-CHECKOUT-001/checkout_success").contains("firing", "live", "gte 0.999");
        assertThat(lines.get(3)).startsWith("REQ-NFR-PERF-001/span.duration_ms")
                .contains("firing", "live", "831.96", "lt 500", "89.6%", "66.4%", "critical", "800", "2026-11-25T20:18:36.024Z");
        // The error budget of the SLO target, in a table of its own; the plain targets have none.
        int budgets = lines.indexOf(lines.stream().filter(l -> l.startsWith("SLO_TARGET")).findFirst().orElseThrow());
        assertThat(lines.get(budgets)).contains("OBJECTIVE", "PERIOD", "BUDGET_LEFT", "BURN_RATES", "TIERS");
        assertThat(lines.get(budgets + 1)).startsWith("REQ-F-CHECKOUT-001/checkout_success")
                .contains("99.9%", "30d", "2099400/2100000", "99.971%", "71.4%", "1500", "5m=50.00", "1h=16.67", "3d=0.29",
                        "page=firing ticket=ok");
        assertThat(lines.get(budgets + 2)).as("only SLO targets have a budget").isEmpty();
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("UNATTRIBUTED_SERVICE").contains("SPANS", "LOG_RECORDS"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("checkout").contains("1520", "12", "2026-11-25T20:18:38.000Z"));

        Run json = homeostat(Map.of(), concat(args, new String[] {"-o", "json"}));
        JsonNode all = Json.MAPPER.readTree(json.out());
        assertThat(all).hasSize(4);
        for (JsonNode record : all) Schemas.assertValid("status.schema.json", record);
        assertThat(all.get(0).path("input").asText()).isEqualTo("unreadable");
        assertThat(all.get(1).path("slo").path("error_budget_remaining").asDouble()).isEqualTo(0.7142857143);
        assertThat(all.get(2).path("state").asText()).isEqualTo("firing");
        assertThat(all.get(3).path("kind").asText()).isEqualTo("unattributed");
    }

    @Test
    void alertsTailPrintsTablesOrJsonLinesAndFiltersByStatus(TestInfo test) throws Exception {
        String topic = topicFor(test, "alerts");
        Map<String, byte[]> records = new java.util.LinkedHashMap<>();
        records.put("60b0fb3d95adf088-a", example("alert-firing.json"));
        produce(topic, records);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.clientProperties(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            // Same key: one partition, so the resolved record follows the firing one.
            producer.send(new ProducerRecord<>(topic, "60b0fb3d95adf088-a".getBytes(StandardCharsets.UTF_8), example("alert-resolved.json"))).get();
        }
        String[] base = {"alerts", "tail", "--bootstrap-servers", kafka.bootstrapServers(), "--alerts-topic", topic,
                "--from-beginning", "--no-follow"};

        Run table = homeostat(Map.of(), base);
        assertThat(table.exitCode()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("TIME").contains("STATUS", "SEVERITY", "TARGET", "ACTUAL", "DEVIATION", "EVENTS");
        assertThat(lines.get(1)).contains("firing", "critical", "deviation", "REQ-NFR-PERF-001/span.duration_ms", "831.96", "lt 500", "66.4%", "800");
        assertThat(lines.get(2)).contains("resolved");

        Run firing = homeostat(Map.of(), concat(base, new String[] {"--status", "firing", "-o", "json"}));
        List<String> jsonLines = firing.out().lines().toList();
        assertThat(jsonLines).singleElement().satisfies(line -> {
            JsonNode alert = Json.MAPPER.readTree(line);
            Schemas.assertValid("alert.schema.json", alert);
            assertThat(alert.path("status").asText()).isEqualTo("firing");
        });

        Run limited = homeostat(Map.of(), new String[] {"alerts", "tail", "--bootstrap-servers", kafka.bootstrapServers(),
                "--alerts-topic", topic, "--from-beginning", "--limit", "1", "-o", "json"});
        assertThat(limited.exitCode()).isZero();
        assertThat(limited.out().lines()).hasSize(1);

        Run fromEnd = homeostat(Map.of(), new String[] {"alerts", "tail", "--bootstrap-servers", kafka.bootstrapServers(),
                "--alerts-topic", topic, "--no-follow", "-o", "json"});
        assertThat(fromEnd.out()).as("without --from-beginning it starts at the end").isEmpty();
    }

    static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Every command that reads a topic it does not create answers a missing one with one line and exit code 1. */
    @Test
    void aMissingTopicIsOneLineAndExitCode1(TestInfo test) {
        String missing = topicFor(test, "missing");
        String servers = kafka.bootstrapServers();
        Map<String, String[]> commands = new java.util.LinkedHashMap<>();
        commands.put("homeostat targets list", new String[] {"targets", "list", "--targets-topic", missing});
        commands.put("homeostat targets get", new String[] {"targets", "get", "REQ-X/span.count", "--targets-topic", missing});
        commands.put("homeostat targets delete", new String[] {"targets", "delete", "REQ-X/span.count", "--targets-topic", missing});
        commands.put("homeostat status", new String[] {"status", "--status-topic", missing});
        commands.put("homeostat alerts tail", new String[] {"alerts", "tail", "--alerts-topic", missing, "--no-follow"});
        commands.forEach((name, args) -> {
            Run run = homeostat(Map.of(), concat(args, new String[] {"--bootstrap-servers", servers}));
            assertThat(run.exitCode()).as(name).isEqualTo(1);
            assertThat(run.err().lines().toList()).as(name).singleElement().asString()
                    .startsWith(name + ": the topic " + missing + " does not exist at " + servers);
            assertThat(run.err()).doesNotContain("\tat ");
        });
        Run run = homeostat(Map.of(), "run", "--no-create-topics", "--spans-topic", missing, "--bootstrap-servers", servers,
                "--state-dir", files.resolve("missing-topic-state").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("homeostat run: the topic(s) " + missing).contains("do not exist at " + servers, "homeostat topics create");
    }
}

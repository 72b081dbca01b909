package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.model.Alert;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkLogs;
import io.homeostat.issues.IssuePartial;
import io.opentelemetry.api.logs.Severity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Production issues and feedback intents through the whole topology, with a mocked wall clock. */
class IssuesAndIntentsTopologyTest {
    static final String AUTH = "REQ-F-AUTH-001";
    static final String PAY = "REQ-F-PAY-001";
    /** HyperLogLog with 2^12 buckets: relative standard error 1.04 / sqrt(4096). */
    static final double USERS_RSE = 1.04 / Math.sqrt(1 << IssuePartial.USERS_LG_K);

    @TempDir Path stateDir;
    TopologyHarness h;

    void start(RuntimeSettings runtime) {
        h = new TopologyHarness(stateDir, TopologyHarness.T0, runtime);
    }

    void start() {
        start(TopologyHarness.RUNTIME);
    }

    @AfterEach
    void stop() {
        if (h != null) h.close();
    }

    /** The same bug, for whichever user: thrown from one place. */
    static IllegalStateException sessionTimeout(String user) {
        return new IllegalStateException("Session store unavailable: timeout after 2000ms for user " + user);
    }

    static IllegalStateException declined(String user) {
        return new IllegalStateException("Card declined by issuer for user " + user);
    }

    /** One second: {@code perRequirement} failed logins and failed payments in one OTLP batch. */
    void errorSecond(int perRequirement, int firstIndex) {
        for (int i = firstIndex; i < firstIndex + perRequirement; i++) {
            String user = "user-" + (i % 300);
            h.sdk().failedSpan("login", Map.of("requirement", AUTH, "enduser.id", user, "business_rules", "BR-001"),
                    h.now().plusMillis(500), sessionTimeout(user));
            h.sdk().failedSpan("charge", Map.of("requirement", PAY, "enduser.id", user, "constraints", "C-007"),
                    h.now().plusMillis(500), declined(user));
        }
        h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
        h.tick();
    }

    List<ProductionIssue> issues() {
        return h.issues();
    }

    List<FeedbackIntent> intents() {
        return h.intents();
    }

    @Test
    void aThousandErrorSpansFromThreeHundredUsersOverTwoRequirementsAreTwoIssuesAndTwoIntents() {
        start();
        for (int second = 0; second < 20; second++) errorSecond(25, second * 25);    // 500 + 500 error spans
        h.idle(31);                                                                 // quiet: both resolve

        List<ProductionIssue> issues = issues();
        Map<String, List<ProductionIssue>> byId = issues.stream().collect(Collectors.groupingBy(ProductionIssue::issueId));
        assertThat(byId).hasSize(2);
        for (List<ProductionIssue> history : byId.values()) {
            assertThat(history).as("opened, crossed 100, resolved: never once per occurrence")
                    .extracting(ProductionIssue::status).containsExactly("open", "open", "resolved");
            assertThat(history).extracting(ProductionIssue::occurrences).containsExactly(25L, 100L, 500L);
            ProductionIssue last = history.get(2);
            assertThat(last.affectedUsers()).isNotNull();
            assertThat((double) last.affectedUsers()).as("300 users within 3 standard errors of the sketch")
                    .isCloseTo(300, within(300 * 3 * USERS_RSE));
            assertThat(last.impact()).isEqualTo(last.affectedUsers() + " users affected");
            assertThat(last.severity()).isEqualTo("high");
            assertThat(last.traceId()).matches("[0-9a-f]{32}");
            assertThat(last.stackTrace()).contains("IssuesAndIntentsTopologyTest");
        }
        ProductionIssue login = issues.stream().filter(i -> i.requirement().equals(AUTH)).findFirst().orElseThrow();
        assertThat(login.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(login.normalizedMessage()).isEqualTo("Session store unavailable: timeout after <n>ms for user <user>");
        assertThat(login.businessRules()).containsExactly("BR-001");
        assertThat(login.service()).isEqualTo("customer-portal");
        assertThat(issues.stream().filter(i -> i.requirement().equals(PAY)).findFirst().orElseThrow().constraints())
                .containsExactly("C-007");

        List<FeedbackIntent> intents = intents();
        assertThat(intents).hasSize(2);
        assertThat(intents).extracting(FeedbackIntent::sourceId).containsExactlyInAnyOrderElementsOf(byId.keySet());
        for (FeedbackIntent intent : intents) {
            assertThat(intent.sourceKind()).isEqualTo("production_issue");
            assertThat(intent.priority()).isEqualTo("P1");
            assertThat(byId.get(intent.sourceId())).allSatisfy(i -> assertThat(i.intentId()).isEqualTo(intent.intentId()));
            assertThat(intent.evidence().traceIds()).isNotEmpty();
        }
        assertThat(intents.stream().filter(i -> i.requirement().equals(AUTH)).findFirst().orElseThrow().description())
                .startsWith("Fix production issue: Session store unavailable: timeout after 2000ms for user user-");

        assertThat(h.counter("errors-traced")).isEqualTo(1_000);
        assertThat(h.counter("issue-partials-forwarded")).as("one record per issue and batch, not per error").isEqualTo(40);
    }

    @Test
    void sixHundredOccurrencesShowSixHundredOnTheTopicWithinTheRefreshInterval() {
        Duration refresh = Duration.ofSeconds(10);
        start(TopologyHarness.RUNTIME.withIssueRefresh(refresh));
        List<ProductionIssue> login = new java.util.ArrayList<>();
        for (int second = 0; second < 60; second++) {
            errorSecond(10, second * 10);                                // 10 failed logins a second: 600 in a minute
            long sent = (second + 1) * 10L;
            issues().stream().filter(i -> i.requirement().equals(AUTH)).forEach(login::add);
            long onTopic = login.get(login.size() - 1).occurrences();
            // What the topic says lags what was sent by at most the refresh interval (10 logins a second).
            assertThat(onTopic).as("second %d", second).isGreaterThanOrEqualTo(sent - 10 * refresh.toSeconds());
        }
        for (int second = 0; second < refresh.toSeconds(); second++) {
            h.tick();
            issues().stream().filter(i -> i.requirement().equals(AUTH)).forEach(login::add);
        }
        assertThat(login.get(login.size() - 1).occurrences()).as("within the refresh interval of the last").isEqualTo(600);
        assertThat(login).extracting(ProductionIssue::status).containsOnly("open");
        // The milestones at once, the counts at most once per refresh interval: a few records, not 600.
        assertThat(login).hasSizeBetween(60 / 10, 60 / 10 + 3);
        assertThat(login).extracting(ProductionIssue::occurrences).isSorted().contains(10L, 100L, 600L);
        assertThat(intents()).filteredOn(i -> i.requirement().equals(AUTH)).as("the intent keeps to the first record")
                .hasSize(1);
    }

    @Test
    void errorsWithoutARequirementAreIssuesOfUnknownPerServiceUnlessSwitchedOff() {
        start();
        h.sdk().failedSpan("nightly-export", Map.of("enduser.id", "ops"), h.now().plusMillis(500),
                new IllegalStateException("disk full"));
        h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
        h.tick();
        assertThat(issues()).singleElement().satisfies(issue -> {
            assertThat(issue.requirement()).isEqualTo("UNKNOWN");
            assertThat(issue.service()).isEqualTo("customer-portal");
            assertThat(issue.errorMessage()).isEqualTo("disk full");
        });
        stop();
        start(TopologyHarness.RUNTIME.withUnknownIssues(false));
        h.sdk().failedSpan("nightly-export", Map.of(), h.now().plusMillis(500), new IllegalStateException("disk full"));
        h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
        h.tick();
        assertThat(issues()).as("--no-unknown-issues: counted, no issue").isEmpty();
        assertThat(h.counter("spans-unattributed")).isEqualTo(1);
    }

    @Test
    void requireReqTagsRejectSendsRecordsWithoutAnyRequirementToTheDeadLetterTopic() {
        start(TopologyHarness.RUNTIME.withUntagged(true, true));
        h.sdk().span("GET /health", Map.of(), h.now().plusMillis(500), 3, false);
        h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
        h.sdk().span("GET /health", Map.of(), h.now().plusMillis(500), 3, false);
        h.sdk().span("login", Map.of("requirement", AUTH), h.now().plusMillis(500), 40, false);
        h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));                  // mixed: processed, the untagged span counted
        h.tick();
        TestRecord<byte[], byte[]> letter = h.deadLetters.readRecord();
        assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.REASON))
                .contains("no requirement on any of its 1 spans", "customer-portal", "--require-req-tags=reject");
        assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.CLASS)).contains("UntaggedTelemetryException");
        assertThat(h.deadLetters.isEmpty()).isTrue();
        assertThat(h.counter("spans-unattributed")).isEqualTo(1);
        assertThat(h.counter("span-records-dead-lettered")).isEqualTo(1);
    }

    @Test
    void aDeviationEpisodeIsOneIntentHoweverManyWindowsItLastsAndLinksBackToTheAlert() {
        start();
        h.putTarget(HomeostatTopologyTest.PERF_ID, HomeostatTopologyTest.LATENCY_TARGET);
        h.seconds(40, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.DEGRADED, 0); // ~35 windows violated
        List<Alert> alerts = h.alerts.readValuesToList();
        assertThat(alerts).singleElement().satisfies(a -> assertThat(a.firing()).isTrue());
        List<FeedbackIntent> intents = intents();
        assertThat(intents).singleElement().satisfies(intent -> {
            assertThat(intent.sourceKind()).isEqualTo("deviation");
            assertThat(intent.sourceId()).isEqualTo(alerts.get(0).alertId());
            assertThat(intent.priority()).isEqualTo("P0"); // 800 ms vs < 500 ms: critical
            assertThat(intent.requirement()).isEqualTo(HomeostatTopologyTest.PERF);
            assertThat(intent.constraints()).containsExactly("C-001");
            assertThat(intent.description()).startsWith("Restore homeostasis of REQ-NFR-PERF-001: span.duration_ms 8")
                    .endsWith(" vs target lt 500");
            assertThat(intent.evidence().events()).isEqualTo(alerts.get(0).events());
            assertThat(intent.evidence().windowEnd()).isEqualTo(alerts.get(0).windowEnd());
            assertThat(intent.evidence().traceIds()).isNotEmpty();
        });

        h.seconds(10, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.HEALTHY, 0);   // resolves
        assertThat(intents()).as("resolution makes no intent").isEmpty();
        h.seconds(10, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.DEGRADED, 0);  // a new episode
        List<Alert> later = h.alerts.readValuesToList();
        assertThat(later).extracting(Alert::status).containsExactly("resolved", "firing");
        assertThat(intents()).singleElement().satisfies(intent -> {
            assertThat(intent.sourceId()).isEqualTo(later.get(1).alertId());
            assertThat(intent.intentId()).isNotEqualTo(intents.get(0).intentId());
        });
    }

    @Test
    void replayingTheSameInputCreatesNoSecondIssueOrIntent() {
        start();
        h.putTarget(HomeostatTopologyTest.PERF_ID, HomeostatTopologyTest.LATENCY_TARGET);
        for (int i = 0; i < 3; i++) {
            h.sdk().failedSpan("login", Map.of("requirement", AUTH, "enduser.id", "user-" + i), h.now(), sessionTimeout("user-" + i));
        }
        byte[] batch = h.sdk().batch(OtlpEncoding.PROTOBUF);
        h.pipeSpans(batch);
        h.tick();
        h.pipeSpans(batch);   // the same Kafka record again, as after an offset reset or an at-least-once retry
        h.tick();
        h.pipeSpans(batch);
        h.tick();
        List<ProductionIssue> issues = issues();
        assertThat(issues).singleElement().satisfies(i -> assertThat(i.occurrences()).isEqualTo(3));
        assertThat(intents()).hasSize(1);
        h.pipeSpans(batch);   // the fourth copy crosses 10 occurrences: an update of the same issue, no new intent
        h.tick();
        assertThat(issues()).singleElement().satisfies(i -> {
            assertThat(i.issueId()).isEqualTo(issues.get(0).issueId());
            assertThat(i.occurrences()).isEqualTo(12);
            assertThat(i.affectedUsers()).as("the same users").isEqualTo(3);
        });
        assertThat(intents()).isEmpty();
    }

    @Test
    void errorLogRecordsBecomeIssuesAndUndecodableLogsAreDeadLettered() {
        start();
        try (SdkLogs logs = new SdkLogs("customer-portal")) {
            logs.log(Severity.ERROR, "Login failed", Map.of("requirement", AUTH, "enduser.id", "user-1"), h.now(), sessionTimeout("user-1"));
            logs.log(Severity.INFO, "Login ok", Map.of("requirement", AUTH), h.now(), null);
            h.logs.pipeInput(new TestRecord<>(null, logs.batch(OtlpEncoding.PROTOBUF), new RecordHeaders(), h.now()));
            logs.log(Severity.FATAL, "Ledger out of balance", Map.of("requirement", PAY), h.now(), null);
            h.logs.pipeInput(new TestRecord<>(null, logs.batch(OtlpEncoding.JSON), new RecordHeaders(), h.now()));
        }
        byte[] garbage = "not a log export".getBytes(StandardCharsets.UTF_8);
        h.logs.pipeInput("bad".getBytes(StandardCharsets.UTF_8), garbage, h.now());
        h.tick();

        List<ProductionIssue> issues = issues();
        assertThat(issues).hasSize(2);
        assertThat(issues).filteredOn(i -> i.requirement().equals(AUTH)).singleElement().satisfies(i -> {
            assertThat(i.errorType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(i.errorMessage()).isEqualTo("Login failed");
            assertThat(i.severity()).isEqualTo("high");
        });
        assertThat(issues).filteredOn(i -> i.requirement().equals(PAY)).singleElement()
                .satisfies(i -> assertThat(i.severity()).isEqualTo("critical"));
        assertThat(intents()).extracting(FeedbackIntent::priority).containsExactlyInAnyOrder("P1", "P0");

        TestRecord<byte[], byte[]> letter = h.deadLetters.readRecord();
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("otlp_logs");
        assertThat(HomeostatTopologyTest.header(letter.headers(), DeadLetters.REASON)).contains("not an OTLP ExportLogsServiceRequest");
        assertThat(h.counter("log-records-dead-lettered")).isEqualTo(1);
        assertThat(h.counter("log-records-decoded")).isEqualTo(3);
    }

    @Test
    void withTheFeedbackLoopOffNothingIsTracedAndNoIntentIsMade() {
        start(new RuntimeSettings(true, true, false, Duration.ofSeconds(30), Duration.ofDays(1), true));
        h.putTarget(HomeostatTopologyTest.PERF_ID, HomeostatTopologyTest.LATENCY_TARGET);
        errorSecond(5, 0);
        h.logs.pipeInput("bad".getBytes(StandardCharsets.UTF_8), "not a log export".getBytes(StandardCharsets.UTF_8), h.now());
        h.seconds(10, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.DEGRADED, 0);
        assertThat(h.alerts.readValuesToList()).as("alerts still work").hasSize(1);
        assertThat(issues()).isEmpty();
        assertThat(intents()).isEmpty();
        assertThat(h.deadLetters.isEmpty()).as("logs are not even decoded").isTrue();
    }

    @Test
    void withAutoGenerateIntentsOffIssuesArePublishedButNoIntents() {
        start(new RuntimeSettings(true, false, true, Duration.ofSeconds(30), Duration.ofDays(1), true));
        h.putTarget(HomeostatTopologyTest.PERF_ID, HomeostatTopologyTest.LATENCY_TARGET);
        errorSecond(5, 0);
        h.seconds(10, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.DEGRADED, 0);
        assertThat(h.alerts.readValuesToList()).hasSize(1);
        assertThat(issues()).hasSize(2).allSatisfy(i -> assertThat(i.intentId()).isNull());
        assertThat(intents()).isEmpty();
    }

    @Test
    void withAlertOnDeviationOffNoAlertIsPublishedButTheEpisodeStillMakesItsIntent() {
        start(new RuntimeSettings(false, true, true, Duration.ofSeconds(30), Duration.ofDays(1), true));
        h.putTarget(HomeostatTopologyTest.PERF_ID, HomeostatTopologyTest.LATENCY_TARGET);
        h.seconds(15, HomeostatTopologyTest.PERF, 20, HomeostatTopologyTest.DEGRADED, 0);
        assertThat(h.alerts.isEmpty()).isTrue();
        assertThat(intents()).singleElement().satisfies(i -> assertThat(i.sourceKind()).isEqualTo("deviation"));
    }
}

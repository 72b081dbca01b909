package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkLogs;
import io.homeostat.testing.SdkSpans;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors found in OTLP recorded by the OpenTelemetry Java SDK and encoded by its OTLP marshalers. */
class IssueExtractorTest {
    static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
    static final String AUTH = "REQ-F-AUTH-001";

    static IllegalStateException sessionTimeout(String user) {
        return new IllegalStateException("Session store unavailable: timeout after 2000ms for user " + user);
    }

    static Map<String, String> login(String user) {
        return Map.of("requirement", AUTH, "business_rules", "BR-001,BR-002", "constraints", "C-001", "enduser.id", user);
    }

    @Test
    void exceptionEventsAndErrorSpansFoldIntoOnePartialPerIssue() throws Exception {
        ExportTraceServiceRequest request;
        try (SdkSpans sdk = new SdkSpans("customer-portal")) {
            for (String user : List.of("user-1", "user-2", "user-1")) sdk.failedSpan("login", login(user), T, sessionTimeout(user));
            sdk.failedSpan("login", login("user-3"), T, new IllegalArgumentException("password rejected for user-3"));
            sdk.span("login", login("user-4"), T, 20, false);                                   // healthy
            sdk.span("POST /login", Map.of("requirement", "REQ-NFR-PERF-001"), T, 30, false);
            sdk.failedSpan("charge", Map.of(), T, sessionTimeout("user-5"));                    // no requirement
            request = OtlpDecoder.decodeTraces(sdk.batch(OtlpEncoding.PROTOBUF), null);
        }
        IssueExtractor.Batch batch = IssueExtractor.fromSpans(request, 0);

        assertThat(batch.records()).isEqualTo(7);
        assertThat(batch.occurrences()).isEqualTo(4);
        assertThat(batch.issues()).hasSize(2);
        IssuePartial timeout = batch.issues().values().stream().max(Comparator.comparingLong(IssuePartial::occurrences)).orElseThrow();
        assertThat(timeout.occurrences()).isEqualTo(3);
        assertThat(timeout.affectedUsers()).isEqualTo(2);
        assertThat(timeout.requirement()).isEqualTo(AUTH);
        assertThat(timeout.service()).isEqualTo("customer-portal");
        assertThat(timeout.errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(timeout.errorMessage()).isEqualTo("Session store unavailable: timeout after 2000ms for user user-1");
        assertThat(timeout.normalizedMessage()).isEqualTo("Session store unavailable: timeout after <n>ms for user <user>");
        assertThat(timeout.stackTrace()).contains("IssueExtractorTest.sessionTimeout");
        assertThat(timeout.topFrame()).startsWith("io.homeostat.issues.IssueExtractorTest.sessionTimeout(");
        assertThat(timeout.businessRules()).containsExactly("BR-001", "BR-002");
        assertThat(timeout.constraints()).containsExactly("C-001");
        assertThat(timeout.traceId()).matches("[0-9a-f]{32}");
        assertThat(timeout.spanId()).matches("[0-9a-f]{16}");
        assertThat(timeout.sampleTraceIds()).hasSize(3).allMatch(id -> id.matches("[0-9a-f]{32}"));
    }

    @Test
    void anErrorSpanWithoutExceptionCountsWhenItSaysWhatFailedNotWhenBare() throws Exception {
        ExportTraceServiceRequest request;
        try (SdkSpans sdk = new SdkSpans("customer-portal")) {
            sdk.span("POST /login", Map.of("requirement", "REQ-NFR-PERF-001"), T, 30, false);
            request = OtlpDecoder.decodeTraces(sdk.batch(OtlpEncoding.PROTOBUF), null);
        }
        // Two error spans made from the SDK's: one with a status message, one bare (a parent marking the
        // failure its child recorded as an exception: ERROR and nothing else).
        var spans = request.toBuilder();
        var scope = spans.getResourceSpansBuilder(0).getScopeSpansBuilder(0);
        var base = scope.getSpans(0).toBuilder().clearEvents();
        scope.clearSpans()
                .addSpans(base.clone().setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                        .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)
                        .setMessage("upstream answered 503 after 1200 ms")))
                .addSpans(base.clone().setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
                        .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR)));
        IssueExtractor.Batch batch = IssueExtractor.fromSpans(spans.build(), 0);
        assertThat(batch.bareErrorSpans()).isEqualTo(1);
        assertThat(batch.issues().values()).singleElement().satisfies(issue -> {
            assertThat(issue.errorType()).isEqualTo(Occurrence.UNSPECIFIED_TYPE);
            assertThat(issue.normalizedMessage()).isEqualTo("upstream answered <n> after <n> ms");
            assertThat(issue.requirement()).isEqualTo("REQ-NFR-PERF-001");
        });
    }

    @Test
    void errorLogRecordsWithARequirementAreOccurrences() throws Exception {
        ExportLogsServiceRequest request;
        try (SdkLogs sdk = new SdkLogs("customer-portal")) {
            sdk.log(Severity.ERROR, "Login failed", Map.of("requirement", AUTH, "enduser.id", "user-7"), T, sessionTimeout("user-7"));
            sdk.log(Severity.ERROR, "Login failed", Map.of("requirement", AUTH, "enduser.id", "user-8"), T.plusSeconds(1), sessionTimeout("user-8"));
            sdk.log(Severity.WARN, "Login slow", Map.of("requirement", AUTH), T, null);
            sdk.log(Severity.ERROR, "disk full", Map.of(), T, null);                                  // no requirement
            sdk.log(Severity.FATAL, "Ledger out of balance by 12.50", Map.of("requirement", "REQ-F-PAY-002"), T, null);
            request = OtlpDecoder.decodeLogs(sdk.batch(OtlpEncoding.JSON), null);
        }
        IssueExtractor.Batch batch = IssueExtractor.fromLogs(request, 0);
        assertThat(batch.records()).isEqualTo(5);
        assertThat(batch.occurrences()).isEqualTo(3);
        assertThat(batch.unattributedByService()).containsEntry("customer-portal", 1L);
        assertThat(batch.issues()).hasSize(2);
        IssuePartial login = batch.issues().values().stream().filter(i -> i.requirement().equals(AUTH)).findFirst().orElseThrow();
        assertThat(login.occurrences()).isEqualTo(2);
        assertThat(login.affectedUsers()).isEqualTo(2);
        assertThat(login.errorType()).as("exception.type set by the SDK's setException").isEqualTo("java.lang.IllegalStateException");
        assertThat(login.errorMessage()).as("the log body is the message").isEqualTo("Login failed");
        assertThat(login.stackTrace()).contains("IssueExtractorTest.sessionTimeout");
        assertThat(login.firstSeenMs()).isEqualTo(T.toEpochMilli());
        assertThat(login.lastSeenMs()).isEqualTo(T.plusSeconds(1).toEpochMilli());
        assertThat(login.critical()).isFalse();
        IssuePartial ledger = batch.issues().values().stream().filter(i -> !i.requirement().equals(AUTH)).findFirst().orElseThrow();
        assertThat(ledger.critical()).as("FATAL is critical").isTrue();
        assertThat(ledger.errorType()).isEqualTo(Occurrence.UNSPECIFIED_TYPE);
        assertThat(ledger.normalizedMessage()).isEqualTo("Ledger out of balance by <n>");
    }

    @Test
    void theRequirementMayComeFromTheScopeOrResourceAndCriticalFromAnAttribute() throws Exception {
        ExportLogsServiceRequest request;
        try (SdkLogs sdk = new SdkLogs("customer-portal")) {
            sdk.log(Severity.ERROR, "Refund rejected", Map.of("severity", "critical"), T, null);
            request = OtlpDecoder.decodeLogs(sdk.batch(OtlpEncoding.PROTOBUF), null);
        }
        var withResourceRequirement = request.toBuilder();
        withResourceRequirement.getResourceLogsBuilder(0).getResourceBuilder().addAttributes(
                io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("requirement")
                        .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("REQ-F-PAY-001")));
        IssueExtractor.Batch batch = IssueExtractor.fromLogs(withResourceRequirement.build(), 0);
        assertThat(batch.issues().values()).singleElement().satisfies(issue -> {
            assertThat(issue.requirement()).isEqualTo("REQ-F-PAY-001");
            assertThat(issue.critical()).isTrue();
        });
        assertThat(IssueExtractor.fromLogs(request, 0).issues()).as("without any requirement").isEmpty();
    }

    @Test
    void theSeedsSingularBusinessRuleIsReadLikeBusinessRules() throws Exception {
        ExportLogsServiceRequest request;
        try (SdkLogs sdk = new SdkLogs("customer-portal")) {
            // The seed's RequirementLogger: logger.warning("Login failed: invalid email", business_rule="BR-001")
            sdk.log(Severity.ERROR, "Login failed: invalid email", Map.of("requirement", AUTH, "business_rule", "BR-001"), T, null);
            sdk.log(Severity.ERROR, "Account locked", Map.of("requirement", AUTH, "business_rules", "BR-002",
                    "business_rule", "BR-003"), T, null);
            request = OtlpDecoder.decodeLogs(sdk.batch(OtlpEncoding.PROTOBUF), null);
        }
        IssueExtractor.Batch batch = IssueExtractor.fromLogs(request, 0);
        assertThat(batch.issues().values()).extracting(IssuePartial::businessRules)
                .containsExactlyInAnyOrder(List.of("BR-001"), List.of("BR-002", "BR-003"));
    }

    @Test
    void errorsWithoutARequirementAreIssuesOfUnknownPerServiceWhenSwitchedOn() throws Exception {
        ExportLogsServiceRequest portal;
        ExportLogsServiceRequest billing;
        try (SdkLogs sdk = new SdkLogs("customer-portal")) {
            sdk.log(Severity.ERROR, "disk full", Map.of(), T, null);
            sdk.log(Severity.ERROR, "disk full", Map.of(), T.plusSeconds(1), null);
            sdk.log(Severity.INFO, "started", Map.of(), T, null);
            portal = OtlpDecoder.decodeLogs(sdk.batch(OtlpEncoding.PROTOBUF), null);
        }
        try (SdkLogs sdk = new SdkLogs("billing")) {
            sdk.log(Severity.ERROR, "disk full", Map.of(), T, null);
            billing = OtlpDecoder.decodeLogs(sdk.batch(OtlpEncoding.PROTOBUF), null);
        }
        IssueExtractor.Batch portalIssues = IssueExtractor.fromLogs(portal, 0, true);
        assertThat(portalIssues.unattributedByService()).as("still counted as untagged").containsEntry("customer-portal", 3L);
        IssuePartial unknown = portalIssues.issues().values().stream().findFirst().orElseThrow();
        assertThat(portalIssues.issues()).hasSize(1);
        assertThat(unknown.requirement()).isEqualTo("UNKNOWN");
        assertThat(unknown.occurrences()).isEqualTo(2);
        IssuePartial other = IssueExtractor.fromLogs(billing, 0, true).issues().values().stream().findFirst().orElseThrow();
        assertThat(other.requirement()).isEqualTo("UNKNOWN");
        assertThat(other.issueId()).as("the same error of another service is another issue").isNotEqualTo(unknown.issueId());
        assertThat(IssueExtractor.fromLogs(portal, 0, false).issues()).as("switched off: only counted").isEmpty();

        // Spans too: an exception on a span with no requirement.
        ExportTraceServiceRequest spans;
        try (SdkSpans sdk = new SdkSpans("customer-portal")) {
            sdk.failedSpan("cron", Map.of(), T, new IllegalStateException("disk full"));
            spans = OtlpDecoder.decodeTraces(sdk.batch(OtlpEncoding.PROTOBUF), null);
        }
        assertThat(IssueExtractor.fromSpans(spans, 0, true).issues().values()).singleElement()
                .extracting(IssuePartial::requirement).isEqualTo("UNKNOWN");
        assertThat(IssueExtractor.fromSpans(spans, 0, false).issues()).isEmpty();
    }
}

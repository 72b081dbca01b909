package io.homeostat.examples.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example service in a JVM of its own under the real OpenTelemetry Java agent from Maven Central, with the
 * packaged Homeostat extension ({@code -Dotel.javaagent.extensions=}), exporting with the agent's
 * {@code logging-otlp} exporters; the test reads the OTLP/JSON the agent wrote and checks the spans, log records
 * and metrics Homeostat would read. The service's class path has the tagging library and the OpenTelemetry API,
 * no SDK: the agent brings it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AgentExtensionIT {
    private static final Path AGENT_DIR = Path.of(System.getProperty("agent.dir", "target/agent"));

    /** What one run of the service exported. */
    record Exported(List<Span> spans, List<LogRecord> logs, List<Metric> metrics, String output) {
        Span span(String name, String user) {
            return spans.stream().filter(s -> s.getName().equals(name) && (user == null || user.equals(attributes(s.getAttributesList()).get("enduser.id"))))
                    .findFirst().orElseThrow(() -> new AssertionError("no span " + name + " for " + user + " in " + spans.stream().map(Span::getName).toList()));
        }

        LogRecord log(String body) {
            return logs.stream().filter(l -> l.getBody().getStringValue().equals(body)).findFirst()
                    .orElseThrow(() -> new AssertionError("no log record '" + body + "' in " + logs.stream().map(l -> l.getBody().getStringValue()).toList()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--annotated", "--api"})
    void underTheAgentBothStylesTagSpansLogsAndMetricsAsTheContractSays(String style) throws Exception {
        Exported exported = runService(style);

        Span alice = exported.span("REQ-F-AUTH-001:login", "u-alice");
        assertThat(attributes(alice.getAttributesList())).containsAllEntriesOf(Map.of(
                "requirement", "REQ-F-AUTH-001", "function", "login",
                "business_rules", "BR-001,BR-002,BR-003", "constraints", "C-001"));
        assertThat(alice.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_OK);

        Span carol = exported.span("REQ-F-AUTH-001:login", "u-carol");
        assertThat(carol.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
        assertThat(carol.getStatus().getMessage()).isEqualTo("Session store unavailable: timeout after 2000ms for user u-carol");
        assertThat(carol.getEventsList()).anySatisfy(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(attributes(event.getAttributesList())).containsEntry("exception.type", "java.lang.IllegalStateException");
        });

        // The user directory's span names no requirement: the extension's span processor stamps the caller's.
        Span lookup = exported.spans().stream().filter(s -> s.getName().equals("SELECT users")
                && s.getParentSpanId().equals(alice.getSpanId())).findFirst().orElseThrow();
        assertThat(attributes(lookup.getAttributesList())).containsAllEntriesOf(Map.of(
                "requirement", "REQ-F-AUTH-001", "business_rules", "BR-001,BR-002,BR-003", "constraints", "C-001"))
                .doesNotContainKey("function");
        // ... and marks it inherited, so that Homeostat's span SLIs count the login, not its query.
        assertThat(lookup.getAttributesList()).anySatisfy(kv -> {
            assertThat(kv.getKey()).isEqualTo("requirement.inherited");
            assertThat(kv.getValue().getBoolValue()).isTrue();
        });
        assertThat(attributes(alice.getAttributesList())).doesNotContainKey("requirement.inherited");

        // Log lines written with SLF4J (Log4j 2, captured by the agent) inherit the requirement of their span,
        // and a line's business_rule becomes its business_rules.
        LogRecord success = exported.logs().stream().filter(l -> l.getBody().getStringValue().equals("Login successful")
                && l.getSpanId().equals(alice.getSpanId())).findFirst().orElseThrow();
        assertThat(attributes(success.getAttributesList())).containsEntry("requirement", "REQ-F-AUTH-001")
                .containsEntry("business_rules", "BR-001,BR-002,BR-003");
        assertThat(hex(success.getTraceId())).isEqualTo(hex(alice.getTraceId()));
        LogRecord invalidEmail = exported.log("Login failed: invalid email");
        assertThat(attributes(invalidEmail.getAttributesList())).containsEntry("requirement", "REQ-F-AUTH-001")
                .containsEntry("business_rule", "BR-001").containsEntry("business_rules", "BR-001");

        // The latency histogram (the seed's name, configured for the annotation with -Dhomeostat.tagging.histogram).
        Metric latency = exported.metrics().stream().filter(m -> m.getName().equals("login_latency_ms")).findFirst().orElseThrow();
        assertThat(latency.getHistogram().getDataPointsList()).anySatisfy(point -> {
            assertThat(attributes(point.getAttributesList())).containsEntry("requirement", "REQ-F-AUTH-001").containsEntry("function", "login");
            assertThat(point.getCount()).isEqualTo(5);
        });
        Metric attempts = exported.metrics().stream().filter(m -> m.getName().equals("login_attempts")).findFirst().orElseThrow();
        assertThat(attempts.getSum().getDataPointsList()).allSatisfy(point ->
                assertThat(attributes(point.getAttributesList())).containsEntry("requirement", "REQ-F-AUTH-001"));
    }

    @Test
    void anAnnotationThatBreaksTheKeyConventionLeavesTheMethodUntaggedAndSaysWhy() throws Exception {
        Exported exported = runService("--annotated");
        assertThat(exported.spans()).noneMatch(s -> s.getName().contains("logout"));
        assertThat(exported.output()).contains("@Requirement on io.homeostat.examples.login.AnnotatedAuthenticationService.logout is ignored",
                "invalid requirement key \"auth-logout\"");
    }

    private static Exported runService(String style) throws IOException, InterruptedException {
        Path agent = AGENT_DIR.resolve("opentelemetry-javaagent.jar");
        Path extension = AGENT_DIR.resolve("homeostat-tagging-agent.jar");
        assertThat(agent).as("the agent (copied by the build's pre-integration-test phase)").exists();
        assertThat(extension).as("the packaged extension").exists();
        String classPath = System.getProperty("service.classes", "target/classes") + File.pathSeparator
                + Files.readString(AGENT_DIR.resolve("service-classpath.txt"), StandardCharsets.UTF_8).trim();
        assertThat(classPath).as("the service runs on the API alone").doesNotContain("opentelemetry-sdk");

        Path output = Files.createTempFile("agent-run", ".log");
        Process process = new ProcessBuilder(javaBinary(),
                "-javaagent:" + agent.toAbsolutePath(),
                "-Dotel.javaagent.extensions=" + extension.toAbsolutePath(),
                "-Dotel.service.name=login-service",
                "-Dotel.traces.exporter=logging-otlp", "-Dotel.logs.exporter=logging-otlp", "-Dotel.metrics.exporter=logging-otlp",
                "-Dhomeostat.tagging.histogram=login_latency_ms",
                "-cp", classPath, "io.homeostat.examples.login.LoginServiceMain", style)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("the service finished").isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        assertThat(process.exitValue()).as(text).isZero();
        assertThat(text).contains("login carol@example.com: failed: Session store unavailable");
        return parse(text);
    }

    /** The agent's logging-otlp exporters write one OTLP/JSON resource object per line, after a log prefix. */
    private static Exported parse(String output) throws IOException {
        List<Span> spans = new ArrayList<>();
        List<LogRecord> logs = new ArrayList<>();
        List<Metric> metrics = new ArrayList<>();
        for (String line : output.split("\n")) {
            int json = line.indexOf(" - {\"resource\"");
            if (json < 0) continue;
            String object = line.substring(json + 3);
            if (line.contains("OtlpJsonLoggingSpanExporter")) {
                ResourceSpans.newBuilder().mergeFrom(read(object, ResourceSpans.newBuilder())).build().getScopeSpansList().forEach(s -> spans.addAll(s.getSpansList()));
            } else if (line.contains("OtlpJsonLoggingLogRecordExporter")) {
                ResourceLogs.newBuilder().mergeFrom(read(object, ResourceLogs.newBuilder())).build().getScopeLogsList().forEach(s -> logs.addAll(s.getLogRecordsList()));
            } else if (line.contains("OtlpJsonLoggingMetricExporter")) {
                ResourceMetrics.newBuilder().mergeFrom(read(object, ResourceMetrics.newBuilder())).build().getScopeMetricsList().forEach(s -> metrics.addAll(s.getMetricsList()));
            }
        }
        assertThat(spans).as("spans in the agent's output:%n%s", output).isNotEmpty();
        return new Exported(spans, logs, metrics, output);
    }

    private static Message read(String json, Message.Builder builder) throws IOException {
        JsonFormat.parser().ignoringUnknownFields().merge(json, builder);
        return builder.build();
    }

    static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey,
                kv -> kv.getValue().hasStringValue() ? kv.getValue().getStringValue() : kv.getValue().toString().trim(), (a, b) -> b));
    }

    private static String hex(com.google.protobuf.ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

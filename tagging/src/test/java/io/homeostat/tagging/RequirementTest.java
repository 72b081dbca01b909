package io.homeostat.tagging;

import static io.homeostat.tagging.RequirementAttributes.BUSINESS_RULES;
import static io.homeostat.tagging.RequirementAttributes.CONSTRAINTS;
import static io.homeostat.tagging.RequirementAttributes.FUNCTION;
import static io.homeostat.tagging.RequirementAttributes.REQUIREMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the seed's {@code @with_telemetry} decorator does, checked on the SDK's in-memory exporters. */
class RequirementTest {
    private final Telemetry telemetry = new Telemetry();
    private final Requirement login = Requirement.of("REQ-F-AUTH-001")
            .businessRules("BR-001", "BR-002", "BR-003")
            .constraints("C-001")
            .latencyHistogram("login_latency_ms", "ms")
            .latencyBuckets(50, 100, 200, 500, 1000, 2000)
            .openTelemetry(telemetry.sdk);

    @AfterEach
    void close() {
        telemetry.close();
    }

    @Test
    void aSuccessfulCallIsASpanNamedRequirementColonFunctionWithTheContractsAttributesAndStatusOk() {
        String result = login.call("login", () -> "welcome");

        assertThat(result).isEqualTo("welcome");
        SpanData span = telemetry.span("REQ-F-AUTH-001:login");
        assertThat(span.getAttributes().asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                REQUIREMENT, "REQ-F-AUTH-001", FUNCTION, "login",
                BUSINESS_RULES, "BR-001,BR-002,BR-003", CONSTRAINTS, "C-001"));
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(span.getEvents()).isEmpty();
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo(Requirement.INSTRUMENTATION_SCOPE);
    }

    @Test
    void aFailingCallIsStatusErrorWithTheMessageAndARecordedExceptionAndRethrowsTheSameException() {
        IllegalStateException boom = new IllegalStateException("Session store unavailable: timeout after 2000ms");

        assertThatThrownBy(() -> login.run("login", () -> {
            throw boom;
        })).isSameAs(boom);

        SpanData span = telemetry.span("REQ-F-AUTH-001:login");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo("Session store unavailable: timeout after 2000ms");
        EventData exception = span.getEvents().get(0);
        assertThat(exception.getName()).isEqualTo("exception");
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.type"))).isEqualTo("java.lang.IllegalStateException");
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo(boom.getMessage());
        assertThat(exception.getAttributes().get(AttributeKey.stringKey("exception.stacktrace"))).contains("RequirementTest");
    }

    @Test
    void checkedExceptionsPassThroughUnwrapped() {
        java.io.IOException io = new java.io.IOException("disk");
        assertThatThrownBy(() -> login.call("read", () -> {
            throw io;
        })).isSameAs(io);
        assertThat(telemetry.span("REQ-F-AUTH-001:read").getStatus().getDescription()).isEqualTo("disk");
    }

    @Test
    void eachCallRecordsItsLatencyInMillisecondsInTheConfiguredHistogramWithTheSpansAttributes() throws Exception {
        login.run("login", () -> Thread.sleep(30));
        assertThatThrownBy(() -> login.run("login", () -> {
            throw new IllegalStateException("x");
        }));

        MetricData histogram = telemetry.metric("login_latency_ms");
        assertThat(histogram.getUnit()).isEqualTo("ms");
        HistogramPointData point = histogram.getHistogramData().getPoints().iterator().next();
        assertThat(histogram.getHistogramData().getPoints()).hasSize(1);
        assertThat(point.getCount()).isEqualTo(2);
        assertThat(point.getBoundaries()).containsExactly(50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0);
        assertThat(point.getMax()).as("milliseconds, not seconds or nanoseconds").isGreaterThanOrEqualTo(30.0).isLessThan(60_000.0);
        assertThat(point.getAttributes().asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                REQUIREMENT, "REQ-F-AUTH-001", FUNCTION, "login",
                BUSINESS_RULES, "BR-001,BR-002,BR-003", CONSTRAINTS, "C-001"));
    }

    @Test
    void theHistogramDefaultsToRequirementDurationAndCanBeLeftOut() {
        Requirement plain = Requirement.of("REQ-NFR-PERF-001").openTelemetry(telemetry.sdk);
        plain.run("search", () -> {});
        assertThat(telemetry.metric(Requirement.DEFAULT_HISTOGRAM).getUnit()).isEqualTo("ms");
        assertThat(telemetry.span("REQ-NFR-PERF-001:search").getAttributes().get(BUSINESS_RULES)).isNull();

        Requirement noHistogram = Requirement.of("REQ-NFR-PERF-002").withoutLatencyHistogram().openTelemetry(telemetry.sdk);
        noHistogram.run("export", () -> {});
        assertThat(telemetry.metrics.collectAllMetrics()).noneMatch(m -> m.getHistogramData().getPoints().stream()
                .anyMatch(p -> "REQ-NFR-PERF-002".equals(p.getAttributes().get(REQUIREMENT))));
    }

    @Test
    void withoutAFunctionNameTheCallerMethodNamesIt() {
        String result = loginLikeTheSeed();
        assertThat(result).isEqualTo("ok");
        assertThat(telemetry.span("REQ-F-AUTH-001:loginLikeTheSeed").getAttributes().get(FUNCTION)).isEqualTo("loginLikeTheSeed");
    }

    private String loginLikeTheSeed() {
        return login.call(() -> "ok");
    }

    @Test
    void spansStartedInsideInheritTheRequirementAndANestedRequirementKeepsItsOwn() {
        Tracer tracer = telemetry.sdk.getTracer("app");
        Requirement session = Requirement.of("REQ-F-SESSION-001").constraints("C-002").openTelemetry(telemetry.sdk);
        login.run("login", () -> {
            tracer.spanBuilder("SELECT users").startSpan().end();
            session.run("createSession", () -> tracer.spanBuilder("SET session").startSpan().end());
            Span manual = tracer.spanBuilder("call other").startSpan();
            try (Scope ignored = manual.makeCurrent()) {
                tracer.spanBuilder("grandchild").startSpan().end();
            } finally {
                manual.end();
            }
        });
        tracer.spanBuilder("outside").startSpan().end();

        for (String inner : List.of("SELECT users", "call other", "grandchild")) {
            Attributes attributes = telemetry.span(inner).getAttributes();
            assertThat(attributes.get(REQUIREMENT)).as(inner).isEqualTo("REQ-F-AUTH-001");
            assertThat(attributes.get(BUSINESS_RULES)).as(inner).isEqualTo("BR-001,BR-002,BR-003");
            assertThat(attributes.get(CONSTRAINTS)).as(inner).isEqualTo("C-001");
            assertThat(attributes.get(FUNCTION)).as("only the requirement's own span names a function").isNull();
            assertThat(attributes.get(RequirementAttributes.INHERITED)).as(inner + ": marked inherited").isTrue();
        }
        assertThat(telemetry.span("REQ-F-AUTH-001:login").getAttributes().get(RequirementAttributes.INHERITED))
                .as("the requirement's own span is not marked").isNull();
        assertThat(telemetry.span("REQ-F-SESSION-001:createSession").getAttributes().get(RequirementAttributes.INHERITED))
                .as("a nested requirement's span names its own: not marked").isNull();
        assertThat(telemetry.span("SET session").getAttributes().get(RequirementAttributes.INHERITED)).isTrue();
        assertThat(telemetry.span("outside").getAttributes().get(RequirementAttributes.INHERITED)).isNull();
        assertThat(telemetry.span("REQ-F-SESSION-001:createSession").getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-SESSION-001");
        Attributes nested = telemetry.span("SET session").getAttributes();
        assertThat(nested.get(REQUIREMENT)).isEqualTo("REQ-F-SESSION-001");
        assertThat(nested.get(CONSTRAINTS)).isEqualTo("C-002");
        assertThat(nested.get(BUSINESS_RULES)).as("the outer requirement's rules are not the inner one's").isNull();
        assertThat(telemetry.span("outside").getAttributes().get(REQUIREMENT)).isNull();
        // Parent and child: the inner spans are children of the requirement's span, in its trace.
        SpanData parent = telemetry.span("REQ-F-AUTH-001:login");
        assertThat(telemetry.span("SELECT users").getParentSpanId()).isEqualTo(parent.getSpanId());
        assertThat(telemetry.span("grandchild").getTraceId()).isEqualTo(parent.getTraceId());
    }

    @Test
    void aSpanTaggedByHandPassesItsRequirementOnAsUnderTheJavaAgent() {
        // Under the agent the application's context keys do not reach the SDK: children inherit from the
        // parent span's own attributes instead. Simulated here with a span tagged by hand.
        Tracer tracer = telemetry.sdk.getTracer("app");
        Span server = tracer.spanBuilder("POST /login").setAllAttributes(Attributes.of(REQUIREMENT, "REQ-NFR-PERF-001",
                AttributeKey.stringArrayKey("constraints"), List.of("C-001"))).startSpan();
        try (Scope ignored = server.makeCurrent()) {
            tracer.spanBuilder("child").startSpan().end();
        } finally {
            server.end();
        }
        Attributes child = telemetry.span("child").getAttributes();
        assertThat(child.get(REQUIREMENT)).isEqualTo("REQ-NFR-PERF-001");
        assertThat(child.get(RequirementAttributes.INHERITED)).isTrue();
        assertThat(telemetry.span("POST /login").getAttributes().get(RequirementAttributes.INHERITED)).isNull();
        assertThat(child.get(AttributeKey.stringArrayKey("constraints"))).containsExactly("C-001");
    }

    @Test
    void innerSpansCanBeLeftUntagged() {
        try (Telemetry own = new Telemetry(false)) {
            Tracer tracer = own.sdk.getTracer("app");
            login.openTelemetry(own.sdk).run("login", () -> tracer.spanBuilder("SELECT users").startSpan().end());
            assertThat(own.span("SELECT users").getAttributes().get(REQUIREMENT)).isNull();
            assertThat(own.span("REQ-F-AUTH-001:login").getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        }
    }

    @Test
    void logRecordsEmittedInsideInheritTheRequirementAndTheSpan() {
        var logger = telemetry.sdk.getLogsBridge().get("app");
        login.run("login", () -> logger.logRecordBuilder().setSeverity(Severity.ERROR).setBody("Session store unavailable").emit());
        logger.logRecordBuilder().setBody("outside").emit();

        LogRecordData inside = telemetry.logs().get(0);
        assertThat(inside.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(inside.getAttributes().get(BUSINESS_RULES)).isEqualTo("BR-001,BR-002,BR-003");
        assertThat(inside.getAttributes().get(CONSTRAINTS)).isEqualTo("C-001");
        assertThat(inside.getSpanContext().getSpanId()).isEqualTo(telemetry.span("REQ-F-AUTH-001:login").getSpanId());
        assertThat(telemetry.logs().get(1).getAttributes().get(REQUIREMENT)).isNull();
    }

    @Test
    void aLogRecordNamingItsOwnRequirementKeepsIt() {
        var logger = telemetry.sdk.getLogsBridge().get("app");
        login.run("login", () -> logger.logRecordBuilder().setAttribute(REQUIREMENT, "REQ-F-AUDIT-001").setBody("audit").emit());
        assertThat(telemetry.logs().get(0).getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUDIT-001");
        assertThat(telemetry.logs().get(0).getAttributes().get(BUSINESS_RULES)).isNull();
    }

    @Test
    void theMetricHelperAddsTheCurrentRequirementToAMetricsAttributes() {
        var attempts = telemetry.sdk.getMeter("app").counterBuilder("login_attempts").build();
        AttributeKey<String> status = AttributeKey.stringKey("status");
        login.run("login", () -> attempts.add(1, RequirementAttributes.current(Attributes.of(status, "success"))));
        attempts.add(1, RequirementAttributes.current(Attributes.of(status, "outside")));

        List<LongPointData> points = List.copyOf(telemetry.metric("login_attempts").getLongSumData().getPoints());
        LongPointData inside = points.stream().filter(p -> "success".equals(p.getAttributes().get(status))).findFirst().orElseThrow();
        assertThat(inside.getAttributes().asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(status, "success",
                REQUIREMENT, "REQ-F-AUTH-001", BUSINESS_RULES, "BR-001,BR-002,BR-003", CONSTRAINTS, "C-001"));
        LongPointData outside = points.stream().filter(p -> "outside".equals(p.getAttributes().get(status))).findFirst().orElseThrow();
        assertThat(outside.getAttributes().get(REQUIREMENT)).isNull();
        assertThat(RequirementAttributes.current()).isEqualTo(Attributes.empty());
    }

    @Test
    void theRequirementIsCurrentInTheContextOnlyWhileTheCallRuns() {
        assertThat(Requirement.current()).isEmpty();
        Requirement seen = login.call("login", () -> Requirement.current().orElseThrow());
        assertThat(seen).isEqualTo(login);
        assertThat(Requirement.current()).isEmpty();
    }

    @Test
    void withBaggageTheRequirementCrossesASimulatedServiceCall() {
        Map<String, String> headers = new HashMap<>();
        login.propagateInBaggage().run("login", () -> telemetry.sdk.getPropagators().getTextMapPropagator()
                .inject(Context.current(), headers, Map::put));
        assertThat(headers).containsKey("baggage");
        SpanData caller = telemetry.span("REQ-F-AUTH-001:login");

        // The called service: extracts the headers, as its HTTP server instrumentation would, and works.
        Span received = receive(headers, "GET /session");
        SpanData server = telemetry.span("GET /session");
        assertThat(server.getTraceId()).isEqualTo(caller.getTraceId());
        assertThat(server.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(server.getAttributes().get(BUSINESS_RULES)).isEqualTo("BR-001,BR-002,BR-003");
        assertThat(server.getAttributes().get(CONSTRAINTS)).isEqualTo("C-001");
        assertThat(received).isNotNull();
    }

    @Test
    void withoutBaggageTheRequirementStaysInItsService() {
        Map<String, String> headers = new HashMap<>();
        login.run("login", () -> telemetry.sdk.getPropagators().getTextMapPropagator()
                .inject(Context.current(), headers, Map::put));
        assertThat(headers).containsKey("traceparent").doesNotContainKey("baggage");
        receive(headers, "GET /session");
        assertThat(telemetry.span("GET /session").getAttributes().get(REQUIREMENT)).isNull();
    }

    private Span receive(Map<String, String> headers, String name) {
        Context extracted = telemetry.sdk.getPropagators().getTextMapPropagator().extract(Context.root(), headers,
                new io.opentelemetry.context.propagation.TextMapGetter<>() {
                    @Override
                    public Iterable<String> keys(Map<String, String> carrier) {
                        return carrier.keySet();
                    }

                    @Override
                    public String get(Map<String, String> carrier, String key) {
                        return carrier == null ? null : carrier.get(key);
                    }
                });
        Span span;
        try (Scope ignored = extracted.makeCurrent()) {
            span = telemetry.sdk.getTracer("called-service").spanBuilder(name).startSpan();
            try (Scope inner = span.makeCurrent()) {
                assertThat(RequirementAttributes.current().get(REQUIREMENT))
                        .as("the metric helper sees the baggage too").isEqualTo(headers.containsKey("baggage") ? "REQ-F-AUTH-001" : null);
            } finally {
                span.end();
            }
        }
        return span;
    }

    @Test
    void beginAndEndByHandDoWhatCallDoes() {
        RequirementCall call = login.begin("handle");
        assertThat(Requirement.current()).contains(login);
        call.end(new IllegalArgumentException("bad input"));
        call.end(null); // a second end does nothing
        assertThat(Requirement.current()).isEmpty();
        SpanData span = telemetry.span("REQ-F-AUTH-001:handle");
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(telemetry.spans()).hasSize(1);
    }
}

package io.homeostat.tagging;

import static io.homeostat.tagging.RequirementAttributes.BUSINESS_RULES;
import static io.homeostat.tagging.RequirementAttributes.CONSTRAINTS;
import static io.homeostat.tagging.RequirementAttributes.FUNCTION;
import static io.homeostat.tagging.RequirementAttributes.REQUIREMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.tagging.annotations.AnnotatedCalls;
import io.homeostat.tagging.annotations.Requirement;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.lang.reflect.Method;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the agent extension's advice does around an annotated method, driven by hand. */
class AnnotatedCallsTest {
    private Telemetry telemetry;

    @Requirement(value = "REQ-F-AUTH-001", businessRules = {"BR-001", "BR-002"}, constraints = "C-001")
    void login() {}

    @Requirement(value = "auth-1")
    void misnamed() {}

    void plain() {}

    @BeforeEach
    void setUp() {
        GlobalOpenTelemetry.resetForTest();
        telemetry = new Telemetry();
        GlobalOpenTelemetry.set(telemetry.sdk);
    }

    @AfterEach
    void tearDown() {
        GlobalOpenTelemetry.resetForTest();
        telemetry.close();
    }

    @Test
    void anAnnotatedMethodRunsAsTheSeedsDecoratorRunsIt() throws Exception {
        Method login = getClass().getDeclaredMethod("login");
        AnnotatedCalls.end(AnnotatedCalls.begin(login), null);
        AnnotatedCalls.end(AnnotatedCalls.begin(login), new IllegalStateException("down"));

        SpanData ok = telemetry.spans().get(0);
        assertThat(ok.getName()).isEqualTo("REQ-F-AUTH-001:login");
        assertThat(ok.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(ok.getAttributes().get(FUNCTION)).isEqualTo("login");
        assertThat(ok.getAttributes().get(BUSINESS_RULES)).isEqualTo("BR-001,BR-002");
        assertThat(ok.getAttributes().get(CONSTRAINTS)).isEqualTo("C-001");
        assertThat(ok.getStatus().getStatusCode()).isEqualTo(StatusCode.OK);
        assertThat(telemetry.spans().get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(telemetry.spans().get(1).getEvents().get(0).getName()).isEqualTo("exception");
    }

    @Test
    void anInvalidKeyOrNoAnnotationLeavesTheMethodUntagged() throws Exception {
        assertThat(AnnotatedCalls.begin(getClass().getDeclaredMethod("misnamed"))).isNull();
        assertThat(AnnotatedCalls.read(getClass().getDeclaredMethod("misnamed"))).isEmpty();
        assertThat(AnnotatedCalls.begin(getClass().getDeclaredMethod("plain"))).isNull();
        AnnotatedCalls.end(null, null);
        assertThat(telemetry.spans()).isEmpty();
    }
}

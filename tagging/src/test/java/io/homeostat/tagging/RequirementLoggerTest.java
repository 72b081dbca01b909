package io.homeostat.tagging;

import static io.homeostat.tagging.RequirementAttributes.BUSINESS_RULE;
import static io.homeostat.tagging.RequirementAttributes.BUSINESS_RULES;
import static io.homeostat.tagging.RequirementAttributes.CONSTRAINTS;
import static io.homeostat.tagging.RequirementAttributes.REQUIREMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.instrumentation.log4j.appender.v2_17.OpenTelemetryAppender;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The seed's RequirementLogger through the real chain: SLF4J, the Log4j 2 binding, the OpenTelemetry Log4j
 * appender (src/test/resources/log4j2-test.xml), the SDK with the tagging processors.
 */
class RequirementLoggerTest {
    private static final Logger LOGGER = LoggerFactory.getLogger("io.homeostat.examples.AuthenticationService");
    private final Telemetry telemetry = new Telemetry();

    @BeforeEach
    void install() {
        OpenTelemetryAppender.install(telemetry.sdk);
    }

    @AfterEach
    void close() {
        telemetry.close();
        MDC.clear();
    }

    @Test
    void theSeedsCallsCarryTheRequirementAndTheirKeyValues() {
        RequirementLogger log = RequirementLogger.of(LOGGER, "REQ-F-AUTH-001");
        log.warning("Login failed: invalid email", "email", "not-an-email", "business_rule", "BR-001");
        log.info("Login successful", "user_id", 42);

        LogRecordData warning = telemetry.logs().get(0);
        assertThat(warning.getBodyValue().asString()).isEqualTo("Login failed: invalid email");
        assertThat(warning.getSeverity()).isEqualTo(Severity.WARN);
        assertThat(warning.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(warning.getAttributes().get(BUSINESS_RULE)).isEqualTo("BR-001");
        assertThat(warning.getAttributes().get(BUSINESS_RULES)).as("what Homeostat reads").isEqualTo("BR-001");
        assertThat(warning.getAttributes().get(AttributeKey.stringKey("email"))).isEqualTo("not-an-email");
        LogRecordData info = telemetry.logs().get(1);
        assertThat(info.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(info.getAttributes().get(AttributeKey.stringKey("user_id"))).isEqualTo("42");
        assertThat(info.getAttributes().get(BUSINESS_RULE)).isNull();
        assertThat(MDC.getCopyOfContextMap() == null || MDC.getCopyOfContextMap().isEmpty()).as("key-values do not leak into the MDC").isTrue();
    }

    @Test
    void anErrorWithItsExceptionIsAnErrorRecordWithTheExceptionAttributesAndTheRequirementsTags() {
        Requirement login = Requirement.of("REQ-F-AUTH-001").businessRules("BR-001", "BR-002").constraints("C-001");
        RequirementLogger log = RequirementLogger.of(LOGGER, login);
        log.error("Session store unavailable", new IllegalStateException("timeout after 2000ms"), "user_id", "u-7");

        LogRecordData error = telemetry.logs().get(0);
        assertThat(error.getSeverity()).isEqualTo(Severity.ERROR);
        assertThat(error.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(error.getAttributes().get(BUSINESS_RULES)).isEqualTo("BR-001,BR-002");
        assertThat(error.getAttributes().get(CONSTRAINTS)).isEqualTo("C-001");
        assertThat(error.getAttributes().get(AttributeKey.stringKey("exception.type"))).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.getAttributes().get(AttributeKey.stringKey("exception.message"))).isEqualTo("timeout after 2000ms");
    }

    @Test
    void aLoggerWithoutARequirementTagsEachLineWithTheCurrentOne() {
        RequirementLogger log = RequirementLogger.of(LOGGER);
        Requirement.of("REQ-F-AUTH-001").businessRules("BR-003").openTelemetry(telemetry.sdk)
                .run("lock", () -> log.warning("Account locked", "business_rule", "BR-003"));
        log.info("no requirement here");

        assertThat(telemetry.logs().get(0).getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(telemetry.logs().get(0).getAttributes().get(BUSINESS_RULES)).isEqualTo("BR-003");
        assertThat(telemetry.logs().get(1).getAttributes().get(REQUIREMENT)).isNull();
    }

    @Test
    void plainSlf4jLinesInsideARequirementCallInheritItThroughTheLogRecordProcessor() {
        Requirement.of("REQ-F-AUTH-001").constraints("C-001").openTelemetry(telemetry.sdk)
                .run("login", () -> LOGGER.error("Login failed", new IllegalStateException("boom")));
        LogRecordData error = telemetry.logs().get(0);
        assertThat(error.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(error.getAttributes().get(CONSTRAINTS)).isEqualTo("C-001");
        assertThat(error.getSpanContext().isValid()).isTrue();
    }

    @Test
    void anMdcScopeTagsPlainLinesAndRestoresTheMdc() {
        MDC.put("business_rules", "BR-OUTER");
        try (RequirementLogger.MdcScope ignored = RequirementLogger.scope(Requirement.of("REQ-F-AUTH-001").constraints("C-001"))) {
            assertThat(MDC.get("requirement")).isEqualTo("REQ-F-AUTH-001");
            assertThat(MDC.get("business_rules")).isNull();
            LOGGER.error("Login failed without a span");
        }
        assertThat(MDC.get("requirement")).isNull();
        assertThat(MDC.get("business_rules")).isEqualTo("BR-OUTER");

        LogRecordData error = telemetry.logs().get(0);
        assertThat(error.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(error.getAttributes().get(CONSTRAINTS)).isEqualTo("C-001");
        assertThat(error.getSpanContext().isValid()).as("no span: the MDC alone carried it").isFalse();
    }
}

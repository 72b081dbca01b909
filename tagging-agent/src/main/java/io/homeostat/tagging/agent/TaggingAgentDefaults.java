package io.homeostat.tagging.agent;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.Map;

/**
 * Defaults the extension brings to the agent (each can be overridden like any agent setting): the agent's
 * Logback and Log4j appender instrumentations export the MDC entries and SLF4J key-value pairs a
 * {@code RequirementLogger} writes ({@code requirement}, {@code business_rules}, {@code constraints},
 * {@code business_rule}; add your own keys to these settings to export more), so that a log line names its requirement and business rule even outside a span. The span
 * and log record processors come from the tagging library's own autoconfiguration hook, shaded into this jar.
 */
public final class TaggingAgentDefaults implements AutoConfigurationCustomizerProvider {
    static final String TAG_KEYS = "requirement,business_rules,constraints,business_rule";

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addPropertiesSupplier(() -> Map.of(
                "otel.instrumentation.logback-appender.experimental.mdc-attributes.included", TAG_KEYS,
                "otel.instrumentation.logback-appender.experimental.key-value-pair-attributes.included", TAG_KEYS,
                "otel.instrumentation.log4j-appender.experimental.mdc-attributes.included", TAG_KEYS));
    }
}

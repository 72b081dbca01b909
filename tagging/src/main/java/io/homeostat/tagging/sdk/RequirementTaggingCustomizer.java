package io.homeostat.tagging.sdk;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.logs.LogRecordProcessor;

/**
 * Installs the span and log record processors wherever the SDK is autoconfigured: the OpenTelemetry Java
 * agent (through the Homeostat agent extension) and {@code opentelemetry-sdk-extension-autoconfigure}.
 * The log record processor is put in front of each exporting processor, so that its stamp is exported.
 *
 * <pre>
 * otel.homeostat.tagging.enabled        true   (false: install nothing)
 * otel.homeostat.tagging.inherit.spans  true   (false: inner spans do not inherit; log records still do)
 * </pre>
 */
public final class RequirementTaggingCustomizer implements AutoConfigurationCustomizerProvider {
    static final String ENABLED = "otel.homeostat.tagging.enabled";
    static final String INHERIT_SPANS = "otel.homeostat.tagging.inherit.spans";

    @Override
    public void customize(AutoConfigurationCustomizer customizer) {
        customizer.addTracerProviderCustomizer((builder, config) -> enabled(config)
                ? builder.addSpanProcessor(RequirementSpanProcessor.inheritOnSpans(config.getBoolean(INHERIT_SPANS, true)))
                : builder);
        customizer.addLogRecordProcessorCustomizer((processor, config) -> enabled(config)
                ? LogRecordProcessor.composite(RequirementLogRecordProcessor.create(), processor)
                : processor);
    }

    private static boolean enabled(ConfigProperties config) {
        return config.getBoolean(ENABLED, true);
    }

    @Override
    public int order() {
        return 0;
    }
}

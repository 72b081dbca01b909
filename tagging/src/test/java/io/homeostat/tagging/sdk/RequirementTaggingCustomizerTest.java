package io.homeostat.tagging.sdk;

import static io.homeostat.tagging.RequirementAttributes.REQUIREMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.tagging.Requirement;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The autoconfiguration hook, found through the SDK's service loader as the agent and
 * opentelemetry-sdk-extension-autoconfigure find it, with batch processors in front of the exporters.
 */
class RequirementTaggingCustomizerTest {
    private static OpenTelemetrySdk sdk(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of("otel.traces.exporter", "memory", "otel.logs.exporter", "memory",
                "otel.metrics.exporter", "none", "otel.service.name", "test"));
        properties.putAll(extra);
        return AutoConfiguredOpenTelemetrySdk.builder().addPropertiesSupplier(() -> properties).disableShutdownHook()
                .build().getOpenTelemetrySdk();
    }

    /** Runs a login with a database span and a log line inside; returns what was exported (before shutdown clears it). */
    private static Exported loginWith(Map<String, String> properties) {
        OpenTelemetrySdk sdk = sdk(properties);
        try {
            Requirement.of("REQ-F-AUTH-001").openTelemetry(sdk).run("login", () -> {
                sdk.getTracer("app").spanBuilder("SELECT users").startSpan().end();
                sdk.getLogsBridge().get("app").logRecordBuilder().setBody("inside").emit();
            });
            sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
            sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS);
            return new Exported(List.copyOf(MemoryExporters.spans.getFinishedSpanItems()),
                    List.copyOf(MemoryExporters.logs.getFinishedLogRecordItems()));
        } finally {
            sdk.close();
        }
    }

    private record Exported(List<SpanData> spans, List<LogRecordData> logs) {
        SpanData span(String name) {
            return spans.stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(spans));
        }
    }

    @Test
    void spansAndLogRecordsInsideARequirementAreTaggedEvenBehindBatchProcessors() {
        Exported exported = loginWith(Map.of());
        assertThat(exported.span("SELECT users").getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001");
        assertThat(exported.logs()).singleElement()
                .satisfies(log -> assertThat(log.getAttributes().get(REQUIREMENT)).isEqualTo("REQ-F-AUTH-001"));
    }

    @Test
    void innerSpansCanBeLeftUntagged() {
        Exported exported = loginWith(Map.of("otel.homeostat.tagging.inherit.spans", "false"));
        assertThat(exported.span("SELECT users").getAttributes().get(REQUIREMENT)).isNull();
        assertThat(exported.logs()).singleElement()
                .satisfies(log -> assertThat(log.getAttributes().get(REQUIREMENT)).as("logs still inherit").isEqualTo("REQ-F-AUTH-001"));
    }

    @Test
    void theHookCanBeSwitchedOff() {
        Exported exported = loginWith(Map.of("otel.homeostat.tagging.enabled", "false"));
        assertThat(exported.span("SELECT users").getAttributes().get(REQUIREMENT)).isNull();
        assertThat(exported.logs()).singleElement()
                .satisfies(log -> assertThat(log.getAttributes().get(REQUIREMENT)).isNull());
    }
}

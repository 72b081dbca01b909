package io.homeostat.tagging.sdk;

import io.homeostat.tagging.RequirementAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;

/**
 * Stamps {@code requirement}, {@code business_rules} and {@code constraints} on every log record emitted
 * inside a requirement (any logger bridged to OpenTelemetry: the Logback and Log4j appenders, the agent's),
 * so that an ERROR line there becomes a production issue of that requirement in Homeostat. A record that
 * names a requirement of its own (a {@code RequirementLogger} line, an MDC entry) keeps it.
 *
 * <p>Register it <em>before</em> the exporting processor (a batch processor copies the record when it is
 * emitted): {@code SdkLoggerProvider.builder().addLogRecordProcessor(RequirementLogRecordProcessor.create())
 * .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())}. The autoconfiguration hook
 * ({@link RequirementTaggingCustomizer}) does so by itself.
 */
public final class RequirementLogRecordProcessor implements LogRecordProcessor {
    private RequirementLogRecordProcessor() {}

    public static RequirementLogRecordProcessor create() {
        return new RequirementLogRecordProcessor();
    }

    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {
        if (logRecord.getAttribute(RequirementAttributes.REQUIREMENT) != null) return;
        Attributes inherited = InheritedRequirement.of(context);
        if (inherited != null) logRecord.setAllAttributes(inherited);
    }
}

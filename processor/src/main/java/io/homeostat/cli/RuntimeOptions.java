package io.homeostat.cli;

import io.homeostat.topology.RuntimeSettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The seed's runtime switches ({@code alert_on_deviation}, {@code auto_generate_intents},
 * {@code feedback_loop_enabled}, {@code require_req_tags}) and the production-issue clock; each also from {@code HOMEOSTAT_<OPTION>},
 * e.g. {@code HOMEOSTAT_AUTO_GENERATE_INTENTS=false}.
 */
public final class RuntimeOptions {
    @Option(names = "--alert-on-deviation", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Publish deviation alerts on the alerts topic; off, deviations still make intents (default: ${DEFAULT-VALUE}).")
    boolean alertOnDeviation;

    @Option(names = "--auto-generate-intents", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Generate feedback intents from production issues and alert episodes (default: ${DEFAULT-VALUE}).")
    boolean autoGenerateIntents;

    @Option(names = "--feedback-loop-enabled", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Trace production errors (spans, exception events, error logs) to issues and close the loop "
                    + "with intents; off, no issue and no intent is made (default: ${DEFAULT-VALUE}).")
    boolean feedbackLoopEnabled;

    @Option(names = "--issue-quiet-period", defaultValue = "30m", converter = DurationConverter.class,
            description = "An open production issue with no occurrence for this long is published resolved (default: ${DEFAULT-VALUE}).")
    Duration issueQuietPeriod;

    @Option(names = "--issue-retention", defaultValue = "7d", converter = DurationConverter.class,
            description = "How long a resolved issue is remembered, so that a recurrence reopens it (default: ${DEFAULT-VALUE}).")
    Duration issueRetention;

    @Option(names = "--require-req-tags", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Expect every service to tag its telemetry with a requirement: warn about each service that "
                    + "sends telemetry without one (it is counted on the status topic either way) (default: ${DEFAULT-VALUE}).")
    boolean requireReqTags;

    public RuntimeSettings settings() {
        return new RuntimeSettings(alertOnDeviation, autoGenerateIntents, feedbackLoopEnabled, issueQuietPeriod,
                issueRetention, requireReqTags);
    }
}

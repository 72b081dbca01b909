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

    @Option(names = "--issue-refresh", defaultValue = "1m", converter = DurationConverter.class,
            description = "An open issue whose counts changed is republished at most this often, so its record on the "
                    + "issues topic is never more than this behind; opening, severity and 10/100/1000 occurrences are "
                    + "published at once (default: ${DEFAULT-VALUE}).")
    Duration issueRefresh;

    @Option(names = "--require-req-tags", arity = "0..1", defaultValue = "warn", fallbackValue = "warn",
            converter = UntaggedMode.Converter.class, paramLabel = "MODE",
            description = {"The seed's require_req_tags: what to do with telemetry that carries no requirement. warn "
                    + "(or true; the default, also without a value): count it on the status topic and warn once per "
                    + "service; reject: send a record whose telemetry carries no requirement at all to the dead-letter "
                    + "topic (a record with some tagged telemetry is processed, its untagged part counted); off (or false, "
                    + "or --no-require-req-tags): only count it."})
    UntaggedMode requireReqTags;

    @Option(names = "--no-require-req-tags", description = "The same as --require-req-tags=off.")
    boolean noRequireReqTags;

    @Option(names = "--unknown-issues", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Errors that carry no requirement become production issues of requirement UNKNOWN, one per "
                    + "service and error, as the seed's trace_error does (default: ${DEFAULT-VALUE}).")
    boolean unknownIssues;

    /** What {@code --require-req-tags} does with untagged telemetry. */
    public enum UntaggedMode {
        OFF, WARN, REJECT;

        static final class Converter implements picocli.CommandLine.ITypeConverter<UntaggedMode> {
            @Override
            public UntaggedMode convert(String value) {
                return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "warn", "true", "on", "yes" -> WARN;
                    case "off", "false", "no" -> OFF;
                    case "reject" -> REJECT;
                    default -> throw new picocli.CommandLine.TypeConversionException("'" + value
                            + "' is not one of warn (true), reject, off (false)");
                };
            }
        }
    }

    public RuntimeSettings settings() {
        UntaggedMode mode = noRequireReqTags ? UntaggedMode.OFF : requireReqTags;
        return new RuntimeSettings(alertOnDeviation, autoGenerateIntents, feedbackLoopEnabled, issueQuietPeriod,
                issueRetention, mode != UntaggedMode.OFF, issueRefresh, mode == UntaggedMode.REJECT, unknownIssues);
    }
}

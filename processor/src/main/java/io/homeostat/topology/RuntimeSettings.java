package io.homeostat.topology;

import java.time.Duration;

/**
 * The seed's runtime switches ({@code runtime:} in its plugin config) and the production-issue clock.
 *
 * @param alertOnDeviation    publish deviation alerts on the alerts topic (the "Signal"); off, deviations are
 *                            still judged and still make intents, but no {@code kind: deviation} alert is
 *                            written (no-data alerts follow each target's {@code notify_no_data})
 * @param autoGenerateIntents generate feedback intents from production issues and alert episodes (the
 *                            "Action"); off, issues are still traced and published
 * @param feedbackLoopEnabled close the loop at all: trace production errors to issues and generate intents;
 *                            off, no issue and no intent is made whatever {@code autoGenerateIntents} says,
 *                            and {@code otlp_logs} is read but ignored
 * @param issueQuietPeriod    an open issue with no occurrence for this long (wall clock) is resolved
 * @param issueRetention      a resolved issue's state is kept this long, so that a recurrence reopens it with
 *                            its history (and no new intent); after that a recurrence starts afresh
 * @param requireReqTags      every service is expected to tag its telemetry with a requirement: a service
 *                            that sends telemetry without one is logged as a warning (it is counted on the
 *                            status topic either way)
 * @param issueRefresh        an open issue whose counts changed is republished at most this often, so that its
 *                            record on the topic is never more than this behind (milestones are published at once)
 * @param rejectUntagged      with {@code requireReqTags}: a record whose telemetry carries no requirement at all
 *                            goes to the dead-letter topic instead of being counted
 * @param unknownIssues       errors that carry no requirement become production issues of requirement
 *                            {@code UNKNOWN} (the seed's default; {@code IssueExtractor.UNKNOWN_REQUIREMENT}), per service
 */
public record RuntimeSettings(boolean alertOnDeviation, boolean autoGenerateIntents, boolean feedbackLoopEnabled,
                              Duration issueQuietPeriod, Duration issueRetention, boolean requireReqTags,
                              Duration issueRefresh, boolean rejectUntagged, boolean unknownIssues) {
    public static final Duration DEFAULT_ISSUE_QUIET_PERIOD = Duration.ofMinutes(30);
    public static final Duration DEFAULT_ISSUE_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_ISSUE_REFRESH = Duration.ofMinutes(1);

    /** The switches as they were before the issue refresh, rejection and UNKNOWN issues: those at their defaults. */
    public RuntimeSettings(boolean alertOnDeviation, boolean autoGenerateIntents, boolean feedbackLoopEnabled,
                           Duration issueQuietPeriod, Duration issueRetention, boolean requireReqTags) {
        this(alertOnDeviation, autoGenerateIntents, feedbackLoopEnabled, issueQuietPeriod, issueRetention, requireReqTags,
                DEFAULT_ISSUE_REFRESH, false, true);
    }

    public RuntimeSettings {
        if (issueQuietPeriod.toMillis() < 1_000) {
            throw new IllegalArgumentException("issue quiet period must be at least 1s, was " + issueQuietPeriod);
        }
        if (issueRetention.isNegative()) {
            throw new IllegalArgumentException("issue retention must not be negative, was " + issueRetention);
        }
        if (issueRefresh.toMillis() < 1_000) {
            throw new IllegalArgumentException("issue refresh must be at least 1s, was " + issueRefresh);
        }
    }

    public static RuntimeSettings defaults() {
        return new RuntimeSettings(true, true, true, DEFAULT_ISSUE_QUIET_PERIOD, DEFAULT_ISSUE_RETENTION, true);
    }

    /** Intents are made only when the loop is closed and generating them is on. */
    public boolean intentsEnabled() {
        return feedbackLoopEnabled && autoGenerateIntents;
    }

    public RuntimeSettings withIssueQuietPeriod(Duration quietPeriod) {
        return new RuntimeSettings(alertOnDeviation, autoGenerateIntents, feedbackLoopEnabled, quietPeriod, issueRetention,
                requireReqTags, issueRefresh, rejectUntagged, unknownIssues);
    }

    public RuntimeSettings withIssueRefresh(Duration refresh) {
        return new RuntimeSettings(alertOnDeviation, autoGenerateIntents, feedbackLoopEnabled, issueQuietPeriod,
                issueRetention, requireReqTags, refresh, rejectUntagged, unknownIssues);
    }

    public RuntimeSettings withUntagged(boolean require, boolean reject) {
        return new RuntimeSettings(alertOnDeviation, autoGenerateIntents, feedbackLoopEnabled, issueQuietPeriod,
                issueRetention, require || reject, issueRefresh, reject, unknownIssues);
    }

    public RuntimeSettings withUnknownIssues(boolean on) {
        return new RuntimeSettings(alertOnDeviation, autoGenerateIntents, feedbackLoopEnabled, issueQuietPeriod,
                issueRetention, requireReqTags, issueRefresh, rejectUntagged, on);
    }
}

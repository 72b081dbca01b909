package io.homeostat.forward;

import java.time.Duration;
import java.util.Objects;

/**
 * How the bridge runs, apart from where it delivers ({@link Receiver}) and how it reaches Kafka.
 *
 * @param alertsTopic      Homeostat's alerts, read {@code read_committed}
 * @param deadLetterTopic  alerts that cannot be read or that the receiver refused, with the reason
 * @param stateTopic       the bridge's own compacted topic: the alerts it delivered as firing
 * @param groupId          the consumer group whose committed offsets say how far the bridge has delivered;
 *                         also the producer's {@code transactional.id}, so a second bridge of the same group
 *                         fences the first
 * @param mode             Alertmanager (re-sends every firing alert) or webhooks (repeats like Alertmanager)
 * @param resendInterval   Alertmanager: how often every firing alert is sent again (well inside its
 *                         {@code resolve_timeout}); also how often the bridge looks for webhook repeats
 * @param repeatInterval   webhooks: how often a group with firing alerts is notified again; zero: never
 * @param minBackoff       the first wait after a failed delivery; doubles up to {@code maxBackoff}
 * @param statsInterval    how often to log what was forwarded; zero: never
 * @param stateTopicReplication replication of the state topic when the bridge creates it; -1: broker default
 */
public record BridgeSettings(String alertsTopic, String deadLetterTopic, String stateTopic, String groupId, Mode mode,
                             Duration resendInterval, Duration repeatInterval, Duration minBackoff, Duration maxBackoff,
                             Duration statsInterval, short stateTopicReplication) {
    public enum Mode { ALERTMANAGER, WEBHOOK }

    public static final String DEFAULT_GROUP_ID = "homeostat-alerts-forward";
    public static final Duration DEFAULT_RESEND_INTERVAL = Duration.ofMinutes(1);
    /** Alertmanager's default {@code repeat_interval}. */
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    public BridgeSettings {
        Objects.requireNonNull(alertsTopic, "alertsTopic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(mode, "mode");
        if (stateTopic == null || stateTopic.isBlank()) stateTopic = defaultStateTopic(groupId);
        if (resendInterval.toMillis() < 100) throw new IllegalArgumentException("the re-send interval must be at least 100ms");
        if (repeatInterval.isNegative()) throw new IllegalArgumentException("the repeat interval must not be negative");
        if (minBackoff.toMillis() < 1 || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive and max backoff at least the min backoff");
        }
        if (statsInterval.isNegative()) throw new IllegalArgumentException("the stats interval must not be negative");
    }

    /** {@code <group id>-firing}: one state topic per bridge (an Alertmanager bridge and a webhook bridge differ). */
    public static String defaultStateTopic(String groupId) {
        return groupId + "-firing";
    }
}

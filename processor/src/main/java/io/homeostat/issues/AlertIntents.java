package io.homeostat.issues;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;

/**
 * One feedback intent per alert episode (deviation or no-data), never one per window: the first firing
 * record of an {@code alert_id} creates it; later records of the same episode (severity changes) create
 * nothing, except that a rise to critical publishes the same intent again as P0. Per alert fingerprint
 * the task remembers the last episode that got an intent ({@link Mark}), so the memory is bounded by the
 * number of targets and a replayed or duplicated firing record creates no second intent.
 */
// Implements: REQ-RUNTIME-003 (feedback intents from deviations, once per episode)
public final class AlertIntents {
    private AlertIntents() {}

    /** The episode of a fingerprint that has an intent, its last published priority, and when it was created. */
    public record Mark(String alertId, String priority, long createdAtMs) {}

    /**
     * @param mark      the mark to store next; {@code null} to delete it
     * @param intent    the intent to publish, or {@code null}
     */
    public record Decision(Mark mark, FeedbackIntent intent) {}

    /** @param mark the stored mark of the alert's fingerprint, or {@code null} */
    public static Decision next(Mark mark, Alert alert, long now) {
        if (!alert.firing()) {
            // The target is gone: forget its mark so the store stays bounded by live targets.
            boolean gone = Alert.RESOLVED_TARGET_DELETED.equals(alert.resolvedReason());
            return new Decision(gone ? null : mark, null);
        }
        String priority = SeverityRules.priority(alert.severity());
        if (mark == null || !mark.alertId().equals(alert.alertId())) {
            Mark created = new Mark(alert.alertId(), priority, now);
            return new Decision(created, FeedbackIntents.forAlert(alert, priority, now, now));
        }
        if (FeedbackIntent.P0.equals(priority) && !FeedbackIntent.P0.equals(mark.priority())) {
            Mark raised = new Mark(mark.alertId(), priority, mark.createdAtMs());
            return new Decision(raised, FeedbackIntents.forAlert(alert, priority, mark.createdAtMs(), now));
        }
        return new Decision(mark, null);
    }
}

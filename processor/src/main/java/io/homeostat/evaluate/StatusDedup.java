package io.homeostat.evaluate;

import io.homeostat.model.TargetStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * A target's status is published when its state changes, and otherwise again every {@code intervalMs}: the
 * status topic says what is going on without a record per target per slice. Not persisted: after a restart
 * every target's status is published once.
 */
public final class StatusDedup {
    private final long intervalMs;
    private final Map<String, TargetStatus> last = new HashMap<>();
    private final Map<String, Long> lastAt = new HashMap<>();

    public StatusDedup(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    /** @return whether to publish {@code status} now (then it is remembered as the last published) */
    public boolean publish(String targetId, TargetStatus status, long now) {
        Long at = lastAt.get(targetId);
        if (status.sameStateAs(last.get(targetId)) && at != null && now - at < intervalMs) return false;
        last.put(targetId, status);
        lastAt.put(targetId, now);
        return true;
    }

    public void forget(String targetId) {
        last.remove(targetId);
        lastAt.remove(targetId);
    }
}

package io.homeostat.evaluate;

import java.util.HashMap;
import java.util.Map;

/** For no-data: when each target appeared, and when its data was last seen (event time). */
public final class TargetActivity {
    /** @param lastSeen end of the newest slice with data for the target, or {@link Long#MIN_VALUE} */
    public record State(long appliedAt, long lastSeen) {}

    private final Map<String, State> states = new HashMap<>();
    private final StateWriter<State> store;

    public TargetActivity(StateWriter<State> store) {
        this.store = store;
    }

    public void restore(String targetId, State state) {
        states.put(targetId, state);
    }

    /** A target was created or changed: its silence is measured from now, unless it is known already. */
    public void applied(String targetId, long now) {
        if (!states.containsKey(targetId)) put(targetId, new State(now, Long.MIN_VALUE));
    }

    /**
     * Notes the newest slice with data in the target's window ({@link Long#MIN_VALUE}: none) and returns since
     * when the target has been silent: its data's last slice end, or when it appeared if it never had data.
     */
    public long silentSince(String targetId, long latestSliceEnd, long now) {
        State state = states.getOrDefault(targetId, new State(now, Long.MIN_VALUE));
        if (latestSliceEnd > state.lastSeen()) {
            state = new State(state.appliedAt(), latestSliceEnd);
            put(targetId, state);
        }
        return state.lastSeen() != Long.MIN_VALUE ? state.lastSeen() : state.appliedAt();
    }

    public void remove(String targetId) {
        states.remove(targetId);
        store.delete(targetId);
    }

    State get(String targetId) {
        return states.get(targetId);
    }

    private void put(String targetId, State state) {
        states.put(targetId, state);
        store.put(targetId, state);
    }
}

package io.homeostat.evaluate;

import io.homeostat.model.Target;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The targets of a task's requirements, by target id (in id order), written through to their store. */
public final class TargetRegistry {
    private final Map<String, Target> targets = new TreeMap<>();
    private final StateWriter<Target> store;

    public TargetRegistry(StateWriter<Target> store) {
        this.store = store;
    }

    /** A target read back from the store at start-up. */
    public void restore(String targetId, Target target) {
        targets.put(targetId, target);
    }

    /** @return the previous version, or {@code null} */
    public Target put(String targetId, Target target) {
        Target previous = targets.put(targetId, target);
        store.put(targetId, target);
        return previous;
    }

    /** @return the removed target, or {@code null} when there was none */
    public Target remove(String targetId) {
        Target removed = targets.remove(targetId);
        store.delete(targetId);
        return removed;
    }

    public Target get(String targetId) {
        return targets.get(targetId);
    }

    public Map<String, Target> all() {
        return Collections.unmodifiableMap(targets);
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }
}

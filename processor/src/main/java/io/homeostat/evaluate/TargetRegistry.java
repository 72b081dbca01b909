package io.homeostat.evaluate;

import io.homeostat.model.Target;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** The targets of a task's requirements, by target id (in id order), written through to their store. */
public final class TargetRegistry {
    private final Map<String, Target> targets = new TreeMap<>();
    /** Targets per requirement: a requirement with a target is always admitted ({@link CardinalityGuard}). */
    private final Map<String, Integer> perRequirement = new HashMap<>();
    private final StateWriter<Target> store;

    public TargetRegistry(StateWriter<Target> store) {
        this.store = store;
    }

    /** A target read back from the store at start-up. */
    public void restore(String targetId, Target target) {
        counted(targets.put(targetId, target), target);
    }

    /** @return the previous version, or {@code null} */
    public Target put(String targetId, Target target) {
        Target previous = targets.put(targetId, target);
        counted(previous, target);
        store.put(targetId, target);
        return previous;
    }

    /** @return the removed target, or {@code null} when there was none */
    public Target remove(String targetId) {
        Target removed = targets.remove(targetId);
        counted(removed, null);
        store.delete(targetId);
        return removed;
    }

    public Target get(String targetId) {
        return targets.get(targetId);
    }

    public Map<String, Target> all() {
        return Collections.unmodifiableMap(targets);
    }

    /** Whether any target judges {@code requirement}. */
    public boolean hasRequirement(String requirement) {
        return perRequirement.containsKey(requirement);
    }

    private void counted(Target before, Target after) {
        if (before != null) perRequirement.computeIfPresent(before.requirement(), (r, n) -> n == 1 ? null : n - 1);
        if (after != null) perRequirement.merge(after.requirement(), 1, Integer::sum);
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }
}

package io.homeostat.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What applying targets would change on the targets topic, compared by meaning, not bytes: a target
 * written by hand with defaults left out equals the same target written with every default spelled out.
 */
public final class TargetDiff {

    public enum Action {
        /** On the file, not on the topic: written. */
        ADDED("+", "added"),
        /** On both, different (or invalid on the topic): written. */
        CHANGED("~", "changed"),
        /** On both, the same: not written. */
        UNCHANGED("=", "unchanged"),
        /** On the topic, not in the file, with --prune: a tombstone is written. */
        DELETED("-", "deleted"),
        /** On the topic, not in the file, without --prune: left alone. */
        NOT_IN_FILE("?", "not in file (kept; --prune deletes it)");

        public final String symbol;
        public final String label;

        Action(String symbol, String label) {
            this.symbol = symbol;
            this.label = label;
        }

        public boolean writes() {
            return this == ADDED || this == CHANGED || this == DELETED;
        }
    }

    /**
     * @param desired the target to write, null for DELETED / NOT_IN_FILE
     * @param details for CHANGED, one line per changed field ({@code alert_threshold: 0.97 -> 0.98})
     */
    public record Change(String id, Action action, ResolvedTarget desired, List<String> details) {
        public Change {
            details = List.copyOf(details);
        }
    }

    private TargetDiff() {}

    /**
     * @param current the targets topic's latest value per key (tombstoned keys absent)
     * @return the desired targets in file order, then what is only on the topic, sorted by id
     */
    public static List<Change> compute(List<ResolvedTarget> desired, Map<String, byte[]> current, boolean prune) {
        List<Change> changes = new ArrayList<>();
        Map<String, byte[]> remaining = new LinkedHashMap<>(current);
        for (ResolvedTarget target : desired) {
            byte[] existing = remaining.remove(target.id());
            if (existing == null) {
                changes.add(new Change(target.id(), Action.ADDED, target, List.of()));
                continue;
            }
            Target onTopic;
            try {
                onTopic = TargetParser.parse(existing);
            } catch (InvalidTargetException e) {
                changes.add(new Change(target.id(), Action.CHANGED, target,
                        List.of("replaces an invalid value: " + String.join("; ", e.problems()))));
                continue;
            }
            if (onTopic.equals(target.target())) {
                changes.add(new Change(target.id(), Action.UNCHANGED, target, List.of()));
            } else {
                changes.add(new Change(target.id(), Action.CHANGED, target, fieldChanges(onTopic.toJson(), target.json())));
            }
        }
        for (String id : new TreeSet<>(remaining.keySet())) {
            changes.add(new Change(id, prune ? Action.DELETED : Action.NOT_IN_FILE, null, List.of()));
        }
        return Collections.unmodifiableList(changes);
    }

    public static long count(List<Change> changes, Action action) {
        return changes.stream().filter(c -> c.action() == action).count();
    }

    private static List<String> fieldChanges(ObjectNode before, ObjectNode after) {
        List<String> lines = new ArrayList<>();
        TreeSet<String> fields = new TreeSet<>();
        before.fieldNames().forEachRemaining(fields::add);
        after.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode was = before.get(field);
            JsonNode now = after.get(field);
            if (was == null ? now != null : !was.equals(now)) {
                lines.add(field + ": " + show(was) + " -> " + show(now));
            }
        }
        return lines;
    }

    private static String show(JsonNode value) {
        if (value == null) return "(unset)";
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** The bytes of a target record as written: the contract's JSON. */
    public static byte[] value(ResolvedTarget target) {
        return target.json().toString().getBytes(StandardCharsets.UTF_8);
    }

}

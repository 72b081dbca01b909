package io.homeostat.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.Target;
import java.util.List;

/**
 * A target read from a file, validated, with its id, where it came from and how its metric was resolved.
 *
 * @param notes what the file did not say but the target got (e.g. a constraint inherited from the metric)
 */
public record ResolvedTarget(String id, Target target, MetricResolution resolution, String source, int line,
                             List<String> notes) {
    public ResolvedTarget {
        notes = List.copyOf(notes);
    }

    /** The value written to the targets topic: the contract's JSON with every default spelled out. */
    public ObjectNode json() {
        return target.toJson();
    }

    public String origin() {
        return line > 0 ? source + ":" + line : source;
    }
}

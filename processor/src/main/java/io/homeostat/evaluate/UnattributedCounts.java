package io.homeostat.evaluate;

import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Telemetry without a requirement, counted per service since the service was first seen, written through to
 * its store; the services whose counts changed are published at the next evaluation.
 */
public final class UnattributedCounts {
    private final Map<String, UnattributedStatus> counts = new TreeMap<>();
    private final Set<String> changed = new LinkedHashSet<>();
    private final StateWriter<UnattributedStatus> store;

    public UnattributedCounts(StateWriter<UnattributedStatus> store) {
        this.store = store;
    }

    public void restore(String service, UnattributedStatus status) {
        counts.put(service, status);
    }

    /** @return {@code true} when the service was not seen before */
    public boolean add(String service, long spans, long dataPoints, long logRecords, long seenAtMs) {
        UnattributedStatus before = counts.get(service);
        long seenAt = Math.max(seenAtMs, before == null ? Long.MIN_VALUE : Timestamps.parse(before.lastSeen()));
        UnattributedStatus after = new UnattributedStatus(UnattributedStatus.KIND, service,
                (before == null ? 0 : before.spans()) + spans,
                (before == null ? 0 : before.dataPoints()) + dataPoints,
                (before == null ? 0 : before.logRecords()) + logRecords, Timestamps.format(seenAt));
        counts.put(service, after);
        store.put(service, after);
        changed.add(service);
        return before == null;
    }

    /** Forgets a service (its place in the cardinality cap expired): its counts start over if it comes back. */
    public void remove(String service) {
        if (counts.remove(service) != null) store.delete(service);
        changed.remove(service);
    }

    /** Every service counted, with its counts. */
    public Map<String, UnattributedStatus> all() {
        return java.util.Collections.unmodifiableMap(counts);
    }

    /** The counts changed since the last call, in the order they first changed. */
    public List<UnattributedStatus> drainChanged() {
        List<UnattributedStatus> out = new ArrayList<>(changed.size());
        for (String service : changed) out.add(counts.get(service));
        changed.clear();
        return out;
    }
}

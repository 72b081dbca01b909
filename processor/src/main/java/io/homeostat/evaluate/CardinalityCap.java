package io.homeostat.evaluate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bounded set of values a sender names (requirements, series, services), each with when it last had data.
 * Values are admitted while there are fewer than {@code max}; beyond that a new value is refused (what it
 * carried is counted) until idle values expire: a value with no data for {@code idleMs} (wall clock) is
 * forgotten at the next {@link #expire}, which frees its place. Kept in order of last data, so admitting a
 * known value and expiring cost O(1) each, whatever the size.
 *
 * <p>Refusals come in episodes, for logging one line instead of one per record: {@link #refuse} says when an
 * episode starts, {@link #refusalsEnded} when none came for {@link #QUIET_MS}.
 */
public final class CardinalityCap<K> {
    /** An episode of refusals ends after this long without one. */
    public static final long QUIET_MS = 300_000;

    public enum Admission {
        /** Known, its last data moved to now. */
        KNOWN,
        /** New, and there was room. */
        ADDED,
        /** New, and the cap is full: not admitted. */
        REFUSED
    }

    private final int max;
    private final long idleMs;
    /** Value → its last data (wall ms), in order of last data (an access-ordered map: a touch moves it last). */
    private final LinkedHashMap<K, long[]> lastSeen = new LinkedHashMap<>(16, 0.75f, true);
    private long refusedItems;
    private long refusedValues;
    private long expired;
    private K lastRefused;
    private long lastRefusedAt = Long.MIN_VALUE;
    private boolean refusing;

    public CardinalityCap(int max, long idleMs) {
        if (max < 1) throw new IllegalArgumentException("max must be at least 1");
        this.max = max;
        this.idleMs = idleMs;
    }

    /** Admits {@code key} if it is known or there is room (and marks its data at {@code now}). */
    public Admission admit(K key, long now) {
        long[] seen = lastSeen.get(key);
        if (seen != null) {
            if (now > seen[0]) seen[0] = now;
            return Admission.KNOWN;
        }
        if (lastSeen.size() >= max) return Admission.REFUSED;
        lastSeen.put(key, new long[] {now});
        return Admission.ADDED;
    }

    /** Whether {@code key} is admitted, without marking data. */
    public boolean contains(K key) {
        return lastSeen.containsKey(key);
    }

    /**
     * A value found in the task's state at start-up, admitted even beyond the cap (it is there already); call in
     * order of {@code lastSeenMs}, oldest first, so that it expires in order.
     */
    public void restore(K key, long lastSeenMs) {
        long[] seen = lastSeen.get(key);
        if (seen == null) lastSeen.put(key, new long[] {lastSeenMs});
        else seen[0] = Math.max(seen[0], lastSeenMs);
    }

    /** Forgets {@code key} (e.g. a requirement that got a target: it no longer counts). */
    public boolean remove(K key) {
        return lastSeen.remove(key) != null;
    }

    /**
     * Counts a refused value and the {@code items} it carried (spans, data points, log records).
     *
     * @return {@code true} when this refusal starts an episode (log it), {@code false} within one
     */
    public boolean refuse(K key, long items, long now) {
        refusedItems += items;
        refusedValues++;
        lastRefused = key;
        lastRefusedAt = now;
        if (refusing) return false;
        refusing = true;
        return true;
    }

    /** @return {@code true} once, when an episode of refusals is over (none for {@link #QUIET_MS}) */
    public boolean refusalsEnded(long now) {
        if (!refusing || now - lastRefusedAt < QUIET_MS) return false;
        refusing = false;
        return true;
    }

    /** Forgets the values with no data for the idle time, and returns them (oldest first). */
    public List<K> expire(long now) {
        List<K> gone = List.of();
        long cutoff = now - idleMs;
        Iterator<Map.Entry<K, long[]>> it = lastSeen.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<K, long[]> entry = it.next();
            if (entry.getValue()[0] > cutoff) break;
            if (gone.isEmpty()) gone = new ArrayList<>();
            gone.add(entry.getKey());
            it.remove();
        }
        expired += gone.size();
        return gone;
    }

    public int size() {
        return lastSeen.size();
    }

    public int max() {
        return max;
    }

    public boolean full() {
        return lastSeen.size() >= max;
    }

    /** Refused admissions since the task started (one per partial, or per record, that named a new value). */
    public long refusedValues() {
        return refusedValues;
    }

    /** What the refused admissions carried: spans, data points, log records. */
    public long refusedItems() {
        return refusedItems;
    }

    public long expired() {
        return expired;
    }

    /** The value last refused, or {@code null}. */
    public K lastRefused() {
        return lastRefused;
    }

    public long lastRefusedAt() {
        return lastRefusedAt;
    }

    public boolean refusing() {
        return refusing;
    }

    /** The values admitted now (a view, in order of last data). */
    public Set<K> values() {
        return java.util.Collections.unmodifiableSet(lastSeen.keySet());
    }
}

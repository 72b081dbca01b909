package io.homeostat.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which slices a store holds, per key prefix (a requirement, or a requirement's metric): the oldest and the
 * newest slice start, in a queue by oldest. Dropping the slices older than a cutoff then touches only the
 * prefixes that have such slices ({@link #due}), instead of every key of the store: the per-slice upkeep costs
 * what expires, not what is stored. Noting a new slice costs a hash lookup.
 */
public final class SliceRanges<K> {
    /** A prefix with slices before the cutoff: its slices run from {@code oldest} to {@code newest}. */
    public record Due<K>(K key, long oldest, long newest) {}

    private final Map<K, long[]> ranges = new HashMap<>();
    private final TreeMap<Long, Set<K>> byOldest = new TreeMap<>();

    /** A slice starting at {@code sliceStart} was stored under {@code key}. */
    public void add(K key, long sliceStart) {
        long[] range = ranges.get(key);
        if (range == null) {
            ranges.put(key, new long[] {sliceStart, sliceStart});
            queue(key, sliceStart);
        } else if (sliceStart > range[1]) {
            range[1] = sliceStart;
        } else if (sliceStart < range[0]) {
            dequeue(key, range[0]);
            range[0] = sliceStart;
            queue(key, sliceStart);
        }
    }

    /**
     * Takes out the prefixes with a slice older than {@code cutoff}; the caller drops those slices and gives back
     * each prefix that still has slices with {@link #restore}.
     */
    public List<Due<K>> due(long cutoff) {
        List<Due<K>> due = new ArrayList<>();
        Iterator<Map.Entry<Long, Set<K>>> it = byOldest.headMap(cutoff, false).entrySet().iterator();
        while (it.hasNext()) {
            for (K key : it.next().getValue()) {
                long[] range = ranges.remove(key);
                due.add(new Due<>(key, range[0], range[1]));
            }
            it.remove();
        }
        return due;
    }

    /** A prefix whose slices run from {@code oldest} to {@code newest} (after {@link #due}, or found at start-up). */
    public void restore(K key, long oldest, long newest) {
        add(key, oldest);
        add(key, newest);
    }

    /** Forgets a prefix; returns its range {@code [oldest, newest]}, or {@code null} when it had no slices. */
    public long[] remove(K key) {
        long[] range = ranges.remove(key);
        if (range != null) dequeue(key, range[0]);
        return range;
    }

    public boolean contains(K key) {
        return ranges.containsKey(key);
    }

    public Set<K> keys() {
        return java.util.Collections.unmodifiableSet(ranges.keySet());
    }

    public int size() {
        return ranges.size();
    }

    private void queue(K key, long oldest) {
        byOldest.computeIfAbsent(oldest, o -> new HashSet<>()).add(key);
    }

    private void dequeue(K key, long oldest) {
        Set<K> keys = byOldest.get(oldest);
        if (keys != null && keys.remove(key) && keys.isEmpty()) byOldest.remove(oldest);
    }
}

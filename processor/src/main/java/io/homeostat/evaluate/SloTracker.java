package io.homeostat.evaluate;

import io.homeostat.model.SloSpec;
import io.homeostat.model.Target;
import io.homeostat.slo.BurnRates;
import io.homeostat.slo.BurnTiers;
import io.homeostat.slo.CountBlock;
import io.homeostat.slo.SloHistory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The SLO targets of a requirement task: each one's history of good and total events ({@link SloHistory}, in
 * its store), fed the slices as they close, and judged ({@link BurnRates}) at every verdict. Plain Java.
 */
public final class SloTracker {
    /** At most this many closed slices are counted per verdict (a replay of old data catches up over several). */
    static final int MAX_SLICES_PER_VERDICT = 100_000;

    /** Where every SLO target's history is kept: a changelogged store under Kafka Streams, maps in tests. */
    public interface Store {
        SloHistory.Store of(String targetId);

        /** Deletes every block of the target's history. */
        void forget(String targetId);
    }

    private record Tracked(SloSpec spec, List<BurnTiers.Tier> tiers, SloHistory history) {}

    private final Store store;
    private final long sliceMs;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final Map<String, String> problems = new HashMap<>();

    public SloTracker(Store store, long sliceMs) {
        this.store = store;
        this.sliceMs = sliceMs;
    }

    /** Histories in maps (tests, and tasks without a store). */
    public static SloTracker inMemory(long sliceMs) {
        return new SloTracker(new MapStore(), sliceMs);
    }

    /**
     * Counts the target's slices that closed since its last verdict (those ending at or before {@code windowEnd},
     * none older than {@code earliest}), and judges the SLO.
     *
     * @param slices the data of the slice starting at a time
     */
    public BurnRates.Judgement judge(String targetId, Target target, long windowEnd, long earliest,
                                     LongFunction<WindowData> slices) {
        SloSpec spec = target.slo();
        Tracked t = tracked.get(targetId);
        if (t == null || !t.spec().equals(spec)) {
            t = new Tracked(spec, BurnTiers.of(spec), new SloHistory(store.of(targetId), spec.period().toMillis(),
                    earliest));
            tracked.put(targetId, t);
        }
        SloHistory history = t.history();
        long from = Math.max(history.end(), Math.max(earliest, windowEnd - (long) MAX_SLICES_PER_VERDICT * sliceMs));
        from = Math.floorDiv(from + sliceMs - 1, sliceMs) * sliceMs;
        for (long start = from; start + sliceMs <= windowEnd; start += sliceMs) {
            SloMeasurer.Counted counted = SloMeasurer.count(target, slices.apply(start));
            if (counted.problem() != null) problems.put(targetId, counted.problem());
            else if (counted.total() > 0) problems.remove(targetId);
            history.add(start + sliceMs, counted.good(), counted.total());
        }
        history.advance(windowEnd);
        return BurnRates.judge(spec, t.tiers(), history, sliceMs);
    }

    /** Why the target's good events cannot be counted (its data is no share), or null. */
    public String problem(String targetId) {
        return problems.get(targetId);
    }

    /** Forgets the target's history (deleted, no longer an SLO, or counting something else now). */
    public void forget(String targetId) {
        tracked.remove(targetId);
        problems.remove(targetId);
        store.forget(targetId);
    }

    /** Whether the SLI of {@code after} counts other events than that of {@code before}: its history starts over. */
    public static boolean countsOtherEvents(Target before, Target after) {
        return !before.metric().equals(after.metric()) || before.operator() != after.operator()
                || before.target() != after.target() || before.tolerance() != after.tolerance()
                || !before.where().equals(after.where()) || !Objects.equals(before.ratio(), after.ratio());
    }

    /** Blocks kept for the target now (for the bench). */
    public int blocks(String targetId) {
        Tracked t = tracked.get(targetId);
        return t == null ? 0 : t.history().blocks();
    }

    /** Histories in sorted maps, encoded as the store would keep them. */
    public static final class MapStore implements Store {
        private final Map<String, TreeMap<Long, byte[]>[]> blocks = new HashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public SloHistory.Store of(String targetId) {
            TreeMap<Long, byte[]>[] levels = blocks.computeIfAbsent(targetId, k -> new TreeMap[] {new TreeMap<>(), new TreeMap<>()});
            return new SloHistory.Store() {
                @Override
                public CountBlock get(int level, long start) {
                    byte[] bytes = levels[level].get(start);
                    return bytes == null ? null : io.homeostat.slo.SloCodec.decode(bytes);
                }

                @Override
                public void put(int level, long start, CountBlock block) {
                    levels[level].put(start, io.homeostat.slo.SloCodec.encode(block));
                }

                @Override
                public void delete(int level, long start) {
                    levels[level].remove(start);
                }

                @Override
                public List<Long> starts(int level) {
                    return new ArrayList<>(levels[level].keySet());
                }
            };
        }

        @Override
        public void forget(String targetId) {
            blocks.remove(targetId);
        }

        /** Entries and bytes kept (for the tests and the bench). */
        public long[] size() {
            long entries = 0;
            long bytes = 0;
            for (TreeMap<Long, byte[]>[] levels : blocks.values()) {
                for (TreeMap<Long, byte[]> level : levels) {
                    entries += level.size();
                    for (byte[] value : level.values()) bytes += value.length + 1 + 8;
                }
            }
            return new long[] {entries, bytes};
        }
    }
}

package io.homeostat.bench;

import io.homeostat.slo.CountBlock;
import io.homeostat.slo.SloCodec;
import io.homeostat.slo.SloHistory;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Bounded SLO state: {@code targets} SLO targets (30-day period) each with {@code days} of history, built with a
 * mocked clock through the processor's own {@link SloHistory} and {@link SloCodec} over an in-memory store that
 * holds what the {@code slo-counts} store would (keys as the store writes them: target id, 0, level, 8-byte start;
 * values encoded). Reports store entries, key and value bytes and the heap the histories and their store hold,
 * once at {@code rate} events a minute per target and once at ten times that: the state must not grow with the
 * events (only the varints of the counts get a little longer).
 *
 * <p>Slices: 5 seconds (the processor's default) during the last hour, one minute before. The state is the same
 * as with 5-second slices throughout, since a minute block older than an hour leaves only its last checkpoint
 * (the minute's end, with the cumulative counts), which both feeds give alike; it only saves the bench time.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.homeostat.bench.SloStateBench [targets] [days] [rate]</pre>
 */
public final class SloStateBench {
    static final long MINUTE = 60_000;
    static final long PERIOD = 30L * 24 * 3_600_000;
    static final long SLICE = 5_000;

    /** The slo-counts store of one target, in memory: (level, start) to encoded block. */
    static final class MemoryStore implements SloHistory.Store {
        final Map<Long, byte[]>[] levels;
        final int keyBytes;

        @SuppressWarnings("unchecked")
        MemoryStore(String targetId) {
            levels = new Map[] {new HashMap<Long, byte[]>(), new HashMap<Long, byte[]>()};
            keyBytes = targetId.getBytes(StandardCharsets.UTF_8).length + 1 + 1 + 8;
        }

        @Override
        public CountBlock get(int level, long start) {
            byte[] value = levels[level].get(start);
            return value == null ? null : SloCodec.decode(value);
        }

        @Override
        public void put(int level, long start, CountBlock block) {
            levels[level].put(start, SloCodec.encode(block));
        }

        @Override
        public void delete(int level, long start) {
            levels[level].remove(start);
        }

        @Override
        public List<Long> starts(int level) {
            return new ArrayList<>(new TreeSet<>(levels[level].keySet()));
        }

        int entries() {
            return levels[0].size() + levels[1].size();
        }

        long valueBytes() {
            long bytes = 0;
            for (Map<Long, byte[]> level : levels) for (byte[] v : level.values()) bytes += v.length;
            return bytes;
        }
    }

    /** What one run measured. */
    record Result(int targets, int days, long ratePerMinute, long events, long entries, long keyBytes, long valueBytes,
                  long heapBytes, long millis) {
        double entriesPerTarget() {
            return (double) entries / targets;
        }

        double bytesPerTarget() {
            return (double) (keyBytes + valueBytes) / targets;
        }
    }

    /** Builds the histories of {@code targets} SLOs over {@code days} at {@code rate} events a minute each. */
    static Result run(int targets, int days, long rate) {
        long heapBefore = usedHeap();
        long started = System.nanoTime();
        long t0 = 1_790_000_000_000L / MINUTE * MINUTE;
        long end = t0 + days * 24L * 60 * MINUTE;
        long lastHour = end - 60 * MINUTE;
        List<SloHistory> histories = new ArrayList<>(targets);
        List<MemoryStore> stores = new ArrayList<>(targets);
        long events = 0;
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < targets; i++) {
            String id = String.format(Locale.ROOT, "REQ-F-SVC-%04d/span.success_rate", i);
            MemoryStore store = new MemoryStore(id);
            SloHistory history = new SloHistory(store, PERIOD, t0);
            for (long t = t0 + MINUTE; t <= lastHour; t += MINUTE) {
                long bad = random.nextInt(1000) < 5 ? 1 + rate / 100 : 0;
                history.add(t, rate - bad, rate);
                events += rate;
            }
            long perSlice = Math.max(1, rate * SLICE / MINUTE);
            for (long t = lastHour + SLICE; t <= end; t += SLICE) {
                history.add(t, perSlice, perSlice);
                events += perSlice;
            }
            histories.add(history);
            stores.add(store);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long heap = usedHeap() - heapBefore;
        long entries = 0;
        long keyBytes = 0;
        long valueBytes = 0;
        for (MemoryStore store : stores) {
            entries += store.entries();
            keyBytes += (long) store.entries() * store.keyBytes;
            valueBytes += store.valueBytes();
        }
        // Keep both alive until measured.
        if (histories.size() != stores.size()) throw new AssertionError();
        return new Result(targets, days, rate, events, entries, keyBytes, valueBytes, heap, millis);
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder(
                "| SLO targets | history | events/min per target | events | store entries | entries/target | key+value bytes | bytes/target | heap (histories + store) | built in |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %d | %dd | %d | %,d | %,d | %.0f | %,d | %,.0f | %.1f MiB | %.1f s |%n",
                    r.targets(), r.days(), r.ratePerMinute(), r.events(), r.entries(), r.entriesPerTarget(),
                    r.keyBytes() + r.valueBytes(), r.bytesPerTarget(), r.heapBytes() / 1048576.0, r.millis() / 1000.0));
        }
        return out.toString();
    }

    public static void main(String[] args) {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long rate = args.length > 2 ? Long.parseLong(args[2]) : 600;
        List<Result> results = new ArrayList<>();
        results.add(run(targets, days, rate));
        results.add(run(targets, days, rate * 10));
        System.out.print(table(results));
    }
}

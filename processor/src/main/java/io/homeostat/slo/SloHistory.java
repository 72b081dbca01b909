package io.homeostat.slo;

import java.util.List;

/**
 * The good and total event counts of one SLO target over its period, at a resolution that shrinks with age, so
 * that a 30-day SLO keeps a few thousand numbers in some 750 small store entries, not one per slice:
 *
 * <ul>
 *   <li>younger than an hour: one checkpoint per slice that had events, in <em>minute blocks</em>;</li>
 *   <li>up to three days: one per minute, in <em>hour blocks</em> (a minute block older than an hour leaves its
 *       last checkpoint in its hour block and is deleted);</li>
 *   <li>beyond: one per hour (an hour block older than three days keeps its last checkpoint), until the
 *       period (and an hour) has passed, when the block is deleted.</li>
 * </ul>
 *
 * Checkpoints are cumulative ("so many good and so many events before this time"), so the counts of a window
 * ending now are the counts now minus those at its start: one block read per window, whatever its length. A
 * window whose start falls inside a minute (an hour beyond three days) whose detail is gone counts that whole
 * minute (hour): it is exact at slice resolution for the last hour and on whole minutes up to three days. Upkeep is per slice and proportional to what changed: a slice without events writes
 * nothing; one with events rewrites its minute block; once a minute, a minute block moves; once an hour, an hour
 * block is thinned and one deleted.
 *
 * <p>Plain Java over a {@link Store}: a changelogged store under Kafka Streams, maps in the tests.
 */
public final class SloHistory {
    public static final int MINUTE_BLOCKS = 0;
    public static final int HOUR_BLOCKS = 1;
    public static final long MINUTE = 60_000;
    public static final long HOUR = 3_600_000;
    /** Checkpoints younger than this are per slice. */
    public static final long SLICE_HORIZON = HOUR;
    /** Checkpoints younger than this are (at least) per minute. */
    public static final long MINUTE_HORIZON = 3 * 24 * HOUR;

    /** Where an SLO's blocks are kept, by (level, block start). */
    public interface Store {
        CountBlock get(int level, long start);

        void put(int level, long start, CountBlock block);

        void delete(int level, long start);

        /** Starts of the level's blocks, in time order. */
        List<Long> starts(int level);
    }

    /** Good and total events. */
    public record Counts(long good, long total) {
        public static final Counts NONE = new Counts(0, 0);

        public long bad() {
            return total - good;
        }

        Counts minus(Counts earlier) {
            return new Counts(good - earlier.good, total - earlier.total);
        }
    }

    private final Store store;
    private final long period;
    /** Starts of the minute blocks (at most an hour and a minute of them). */
    private final TimeGrid minuteBlocks = new TimeGrid(MINUTE);
    /** Starts of the hour blocks (at most the period's hours and two). */
    private final TimeGrid hourBlocks = new TimeGrid(HOUR);
    /** The newest minute block (the one slices are written to), decoded; null when there is none. */
    private CountBlock newest;
    private long newestStart = Long.MIN_VALUE;
    /** Hour blocks starting before this are thinned to one checkpoint. */
    private long thinnedBefore = Long.MIN_VALUE;
    /** End of the counted time (the end of the last slice added); counts before it are final. */
    private long end;
    private long good;
    private long total;

    /**
     * Reads an SLO's history back from its store (nothing there: an empty history from {@code since}).
     *
     * @param since where an empty history starts
     */
    public SloHistory(Store store, long periodMs, long since) {
        this.store = store;
        this.period = periodMs;
        this.end = since;
        store.starts(MINUTE_BLOCKS).forEach(minuteBlocks::add);
        store.starts(HOUR_BLOCKS).forEach(hourBlocks::add);
        CountBlock last = null;
        if (!minuteBlocks.isEmpty()) {
            newestStart = minuteBlocks.last();
            newest = store.get(MINUTE_BLOCKS, newestStart);
            last = newest;
        } else if (!hourBlocks.isEmpty()) {
            last = store.get(HOUR_BLOCKS, hourBlocks.last());
        }
        if (last != null && last.size() > 0) {
            int i = last.last();
            end = Math.max(end, last.time(i));
            good = last.good(i);
            total = last.total(i);
        }
    }

    /** The end of the counted time: counts of slices ending at or before it are in. */
    public long end() {
        return end;
    }

    /** All good and all events counted so far. */
    public Counts now() {
        return new Counts(good, total);
    }

    /**
     * Counts a slice that just closed ({@code sliceEnd} after {@link #end()}; an older one is ignored, returning
     * false) and forgets what its age no longer needs.
     */
    public boolean add(long sliceEnd, long sliceGood, long sliceTotal) {
        if (sliceEnd <= end) return false;
        if (sliceTotal > 0) {
            long g = Math.max(0, Math.min(sliceGood, sliceTotal));
            long blockStart = blockStart(sliceEnd, MINUTE);
            if (newest == null || newestStart != blockStart) {
                newest = new CountBlock(good, total);
                newestStart = blockStart;
                minuteBlocks.add(blockStart);
            }
            good += g;
            total += sliceTotal;
            newest.append(sliceEnd, good, total);
            store.put(MINUTE_BLOCKS, blockStart, newest);
        }
        advance(sliceEnd);
        return true;
    }

    /** Time passes without a slice (the clock moved on): ages the blocks. */
    public void advance(long to) {
        end = Math.max(end, to);
        // A minute block older than the slice horizon leaves its last checkpoint in its hour block.
        while (!minuteBlocks.isEmpty() && minuteBlocks.first() + MINUTE <= end - SLICE_HORIZON) {
            long start = minuteBlocks.first();
            minuteBlocks.remove(start);
            CountBlock minute = start == newestStart ? newest : store.get(MINUTE_BLOCKS, start);
            if (start == newestStart) {
                newest = null;
                newestStart = Long.MIN_VALUE;
            }
            store.delete(MINUTE_BLOCKS, start);
            if (minute == null || minute.size() == 0) continue;
            int i = minute.last();
            long hour = blockStart(minute.time(i), HOUR);
            CountBlock block = hourBlocks.contains(hour) ? store.get(HOUR_BLOCKS, hour) : null;
            if (block == null) {
                block = new CountBlock(minute.baseGood(), minute.baseTotal());
                hourBlocks.add(hour);
            }
            block.append(minute.time(i), minute.good(i), minute.total(i));
            store.put(HOUR_BLOCKS, hour, block);
        }
        // An hour block older than the minute horizon keeps its last checkpoint.
        long thinUpTo = blockStart(end - MINUTE_HORIZON, HOUR);
        if (thinUpTo > thinnedBefore) {
            for (long hour = hourBlocks.ceiling(thinnedBefore); hour != TimeGrid.NONE && hour < thinUpTo;
                 hour = hourBlocks.ceiling(hour + HOUR)) {
                CountBlock block = store.get(HOUR_BLOCKS, hour);
                if (block != null && block.size() > 1) store.put(HOUR_BLOCKS, hour, block.thinned());
            }
            thinnedBefore = thinUpTo;
        }
        // Older than the period (and the hour its start may fall in): gone.
        while (!hourBlocks.isEmpty() && hourBlocks.first() + 2 * HOUR <= end - period) {
            long oldest = hourBlocks.first();
            hourBlocks.remove(oldest);
            store.delete(HOUR_BLOCKS, oldest);
        }
    }

    /** Counts of the window {@code [end − length, end)}. */
    public Counts window(long length) {
        return now().minus(before(end - length));
    }

    /** Counts of the SLO's period. */
    public Counts period() {
        return window(period);
    }

    /**
     * Good and total events before {@code t}: from the latest checkpoint at or before it (the counts do not grow
     * between checkpoints, or grow within a minute or hour whose detail is gone).
     */
    Counts before(long t) {
        if (t >= end) return now();
        Counts counts = null;
        if (!minuteBlocks.isEmpty() && t >= minuteBlocks.first()) {
            counts = before(t, MINUTE_BLOCKS, MINUTE, minuteBlocks);
        } else if (!hourBlocks.isEmpty()) {
            counts = before(t, HOUR_BLOCKS, HOUR, hourBlocks);
        }
        if (counts != null) return counts;
        // After every hour block, before every minute block: nothing happened in between.
        if (!minuteBlocks.isEmpty() && minuteBlocks.first() >= blockStart(t, MINUTE)) {
            return base(MINUTE_BLOCKS, minuteBlocks.first());
        }
        return now();
    }

    /** In a level: from the block holding {@code t}, or the base of the next block; null when none is after it. */
    private Counts before(long t, int level, long span, TimeGrid starts) {
        long start = blockStart(t, span);
        long s = starts.ceiling(start);
        if (s == TimeGrid.NONE) return null;
        if (s == start) {
            CountBlock block = level == MINUTE_BLOCKS && s == newestStart ? newest : store.get(level, s);
            if (block != null) return new Counts(block.goodBefore(t), block.totalBefore(t));
            s = starts.ceiling(s + span);
            if (s == TimeGrid.NONE) return null;
        }
        return base(level, s);
    }

    private Counts base(int level, long start) {
        CountBlock block = level == MINUTE_BLOCKS && start == newestStart ? newest : store.get(level, start);
        return block == null ? now() : new Counts(block.baseGood(), block.baseTotal());
    }

    /**
     * The block a checkpoint at {@code time} belongs to: checkpoints are slice ends, so a block holds those in
     * {@code (start, start + span]}.
     */
    static long blockStart(long time, long span) {
        return Math.floorDiv(time - 1, span) * span;
    }

    /** Blocks kept now (for the bench and the tests). */
    public int blocks() {
        return minuteBlocks.size() + hourBlocks.size();
    }
}

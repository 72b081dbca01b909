package io.homeostat.slo;

import java.util.Arrays;

/**
 * A block of an SLO's history ({@link SloHistory}): the counts of good and of all events before the block's
 * start ({@code base}), and checkpoints {@code (time, good, total)}: all events before {@code time}, cumulative,
 * for the times in the block where the counts grew. A minute block holds a checkpoint per slice, an hour block
 * one per minute (one for the whole hour once it is older than the minute horizon).
 */
public final class CountBlock {
    final long baseGood;
    final long baseTotal;
    long[] times;
    long[] goods;
    long[] totals;
    int size;

    public CountBlock(long baseGood, long baseTotal) {
        this(baseGood, baseTotal, new long[4], new long[4], new long[4], 0);
    }

    CountBlock(long baseGood, long baseTotal, long[] times, long[] goods, long[] totals, int size) {
        this.baseGood = baseGood;
        this.baseTotal = baseTotal;
        this.times = times;
        this.goods = goods;
        this.totals = totals;
        this.size = size;
    }

    public long baseGood() {
        return baseGood;
    }

    public long baseTotal() {
        return baseTotal;
    }

    public int size() {
        return size;
    }

    public long time(int i) {
        return times[i];
    }

    public long good(int i) {
        return goods[i];
    }

    public long total(int i) {
        return totals[i];
    }

    /** Appends a checkpoint; times must grow and counts must not shrink. */
    public void append(long time, long good, long total) {
        if (size > 0 && time <= times[size - 1]) {
            throw new IllegalArgumentException("checkpoint at " + time + " is not after " + times[size - 1]);
        }
        if (size == times.length) {
            int n = Math.max(4, size * 2);
            times = Arrays.copyOf(times, n);
            goods = Arrays.copyOf(goods, n);
            totals = Arrays.copyOf(totals, n);
        }
        times[size] = time;
        goods[size] = good;
        totals[size] = total;
        size++;
    }

    /** The last checkpoint's index, -1 when there is none. */
    int last() {
        return size - 1;
    }

    /** The index of the latest checkpoint at or before {@code t}, -1 when there is none. */
    int floor(long t) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (times[mid] <= t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Good events before {@code t} (when {@code t} lies in this block). */
    long goodBefore(long t) {
        int i = floor(t);
        return i < 0 ? baseGood : goods[i];
    }

    long totalBefore(long t) {
        int i = floor(t);
        return i < 0 ? baseTotal : totals[i];
    }

    /** This block thinned to its last checkpoint (an hour older than the minute horizon). */
    CountBlock thinned() {
        if (size <= 1) return this;
        int i = size - 1;
        return new CountBlock(baseGood, baseTotal, new long[] {times[i]}, new long[] {goods[i]}, new long[] {totals[i]}, 1);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CountBlock b) || b.baseGood != baseGood || b.baseTotal != baseTotal || b.size != size) return false;
        return Arrays.equals(times, 0, size, b.times, 0, size) && Arrays.equals(goods, 0, size, b.goods, 0, size)
                && Arrays.equals(totals, 0, size, b.totals, 0, size);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(baseTotal) * 31 + size;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("CountBlock{base=").append(baseGood).append('/').append(baseTotal).append(", [");
        for (int i = 0; i < size; i++) {
            if (i > 0) s.append(", ");
            s.append(times[i]).append(':').append(goods[i]).append('/').append(totals[i]);
        }
        return s.append("]}").toString();
    }
}

package io.homeostat.slo;

import java.util.BitSet;

/**
 * A set of times on a grid (multiples of {@code step}), as bits: which minutes or hours of an SLO's history
 * have a block. A few hundred bits per SLO instead of a few hundred boxed longs.
 */
final class TimeGrid {
    static final long NONE = Long.MIN_VALUE;
    /** Bits below the first set one are dropped once there are this many. */
    private static final int REBASE_AFTER = 4096;

    private final long step;
    /** The time of bit 0. */
    private long origin = NONE;
    private BitSet bits = new BitSet();

    TimeGrid(long step) {
        this.step = step;
    }

    void add(long time) {
        if (origin == NONE) origin = time;
        if (time < origin) {
            long shift = (origin - time) / step;
            BitSet shifted = new BitSet();
            for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) shifted.set((int) (i + shift));
            bits = shifted;
            origin = time;
        }
        bits.set(index(time));
    }

    void remove(long time) {
        if (origin == NONE || time < origin) return;
        bits.clear(index(time));
        int first = bits.nextSetBit(0);
        if (first < 0) {
            bits = new BitSet();
            origin = NONE;
        } else if (first >= REBASE_AFTER) {
            bits = bits.get(first, bits.length());
            origin += first * step;
        }
    }

    boolean contains(long time) {
        return origin != NONE && time >= origin && (time - origin) % step == 0 && bits.get(index(time));
    }

    boolean isEmpty() {
        return origin == NONE;
    }

    /** The first time, or {@link #NONE}. */
    long first() {
        return ceiling(NONE);
    }

    long last() {
        if (origin == NONE) return NONE;
        return origin + (bits.length() - 1) * step;
    }

    /** The first time at or after {@code time}, or {@link #NONE}. */
    long ceiling(long time) {
        if (origin == NONE) return NONE;
        int from = time <= origin ? 0 : (int) Math.min(Integer.MAX_VALUE, (time - origin + step - 1) / step);
        int i = bits.nextSetBit(from);
        return i < 0 ? NONE : origin + i * step;
    }

    int size() {
        return bits.cardinality();
    }

    private int index(long time) {
        return Math.toIntExact((time - origin) / step);
    }
}

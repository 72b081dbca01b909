package io.homeostat.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.evaluate.SloTracker;
import io.homeostat.stored.StoredFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The multi-resolution history of an SLO's counts against a brute-force sum of every slice: exact for windows
 * starting in the last hour, exact on whole minutes up to three days and on whole hours beyond; bounded in size.
 */
class SloHistoryTest {
    static final long SLICE = 5_000;
    static final long MINUTE = 60_000;
    static final long HOUR = 3_600_000;
    static final long DAY = 24 * HOUR;
    static final long T0 = 1_795_000_000_000L / DAY * DAY;

    /** Every slice added: its end, good, total. */
    private final List<long[]> slices = new ArrayList<>();

    private SloHistory.Counts bruteForce(long from, long to) {
        long good = 0;
        long total = 0;
        for (long[] s : slices) {
            if (s[0] > from && s[0] <= to) {
                good += s[1];
                total += s[2];
            }
        }
        return new SloHistory.Counts(good, total);
    }

    @Test
    void windowsAreExactWhereTheirResolutionAllowsAndTheStateStaysSmall() {
        SloTracker.MapStore stores = new SloTracker.MapStore();
        long period = 4 * DAY;
        SloHistory history = new SloHistory(stores.of("t"), period, T0);
        SplittableRandom random = new SplittableRandom(7);
        long end = T0;
        long maxEntries = 0;
        int checked = 0;
        for (int i = 0; i < (int) (5 * DAY / SLICE); i++) {
            long total = random.nextInt(10) < 3 ? 0 : random.nextInt(1, 40); // a third of the slices are empty
            long good = total - (random.nextInt(10) == 0 ? random.nextInt((int) total + 1) : 0);
            end += SLICE;
            history.add(end, good, total);
            if (total > 0) slices.add(new long[] {end, good, total});
            maxEntries = Math.max(maxEntries, stores.size()[0]);
            if (i % 97 == 0) {
                for (long w : new long[] {SLICE, 5 * MINUTE, 30 * MINUTE, HOUR}) {
                    assertThat(history.window(w)).as("window %d at %d", w, end).isEqualTo(bruteForce(end - w, end));
                }
                checked++;
            }
            if (end % MINUTE == 0 && i % 11 == 0) {
                for (long w : new long[] {2 * HOUR, 6 * HOUR, DAY, 3 * DAY - HOUR}) {
                    assertThat(history.window(w)).as("window %d at %d", w, end).isEqualTo(bruteForce(end - w, end));
                }
            }
            if (end % HOUR == 0) {
                assertThat(history.period()).as("period at %d", end).isEqualTo(bruteForce(end - period, end));
                assertThat(history.window(3 * DAY + 5 * HOUR)).isEqualTo(bruteForce(end - 3 * DAY - 5 * HOUR, end));
            }
        }
        assertThat(checked).isGreaterThan(800);
        // Between whole minutes a window starting more than an hour ago counts the whole minute its start is in.
        long off = end - 2 * HOUR - 20_000;
        long minuteStart = Math.floorDiv(off, MINUTE) * MINUTE;
        assertThat(history.window(end - off)).isEqualTo(bruteForce(minuteStart, end));
        // An hour of slices, three days of minutes, the rest of the period in hours: blocks, not slices.
        assertThat(maxEntries).isLessThanOrEqualTo(61 + 73 + 4 * 24 + 2);
        assertThat(history.blocks()).isEqualTo((int) stores.size()[0]);
    }

    @Test
    void aHistoryReadBackFromItsStoreGoesOnWhereItStopped() {
        SloTracker.MapStore stores = new SloTracker.MapStore();
        SloHistory history = new SloHistory(stores.of("t"), 30 * DAY, T0);
        long end = T0;
        for (int i = 0; i < 2 * DAY / SLICE; i++) {
            end += SLICE;
            long total = i % 7 == 0 ? 0 : 10;
            history.add(end, total - i % 3, total);
            if (total > 0) slices.add(new long[] {end, total - i % 3, total});
        }
        SloHistory restored = new SloHistory(stores.of("t"), 30 * DAY, T0);
        assertThat(restored.now()).isEqualTo(history.now());
        // The store knows the last slice with events; the clock says where the counted time ends.
        assertThat(restored.end()).isLessThanOrEqualTo(end);
        restored.advance(end);
        for (long w : new long[] {5 * MINUTE, HOUR, 6 * HOUR, DAY}) {
            assertThat(restored.window(w)).isEqualTo(history.window(w));
        }
        assertThat(restored.add(end, 5, 5)).as("a slice it counted already").isFalse();
        restored.add(end + SLICE, 3, 4);
        slices.add(new long[] {end + SLICE, 3, 4});

        assertThat(restored.window(HOUR)).isEqualTo(bruteForce(end + SLICE - HOUR, end + SLICE));
    }

    @Test
    void aBlockRoundTripsAndDamageIsUnreadable() {
        CountBlock block = new CountBlock(1_000, 1_200);
        block.append(T0 + SLICE, 1_010, 1_215);
        block.append(T0 + 3 * SLICE, 1_010, 1_300);
        byte[] bytes = SloCodec.encode(block);
        assertThat(StoredFormat.isTagged(bytes)).isTrue();
        assertThat(SloCodec.decode(bytes)).isEqualTo(block);
        byte[] damaged = bytes.clone();
        damaged[bytes.length / 2] ^= 0x10;
        assertThatThrownBy(() -> SloCodec.decode(damaged)).isInstanceOf(IllegalArgumentException.class);
    }
}

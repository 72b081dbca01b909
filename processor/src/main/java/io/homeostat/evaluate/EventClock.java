package io.homeostat.evaluate;

import java.util.HashMap;
import java.util.Map;

/**
 * Which slices are closed. While data flows it follows the data's own clock: the newest slice seen, and a
 * window ends {@code grace} before it, so data up to {@code grace} older than the newest is never late, and
 * export delays, consumer lag, a restart or a replay of old data do not make data "late". No further than the
 * input partitions allow ({@link SourceWatermarks}): a partition with a backlog, or one that cannot be read,
 * holds the clock where it is, so that a slice never closes on the fastest partition while a slower one still
 * has its data, nor as empty while its data cannot be fetched. When no data has arrived for {@code grace + slice}
 * of wall time, the input is idle and the wall clock closes slices instead (as far as the partitions allow).
 * Data for a slice that a verdict already covered is late: counted (per requirement), never merged into it.
 *
 * <p>How far verdicts went ({@link #judged}) is stored, so that after a restart the task judges every window
 * from there on, none skipped and none judged twice.
 */
public final class EventClock {
    /**
     * Before its first data, and before it heard of any input partition, a task waits this long before judging
     * silence on the wall clock: after a (re)start, input already on Kafka must first reach the task.
     */
    public static final long STARTUP_IDLE_MS = 30_000;

    private final long sliceMs;
    private final long graceMs;
    private final SourceWatermarks sources;
    private final StateWriter<Long> store;
    /** Start of the newest slice that received data (event time), or {@link Long#MIN_VALUE}. */
    private long watermark = Long.MIN_VALUE;
    /** Wall time the last data arrived (or the task started). */
    private long lastInputWallTime;
    private boolean sawInput;
    /** End of the newest window judged; never moves back. Slices ending at or before it are closed. */
    private long closedUpTo = Long.MIN_VALUE;
    private final Map<String, Long> lateByRequirement = new HashMap<>();

    /** @param store where {@link #judged} is kept (its one key, {@link #JUDGED_KEY}) */
    public EventClock(long sliceMs, long graceMs, long startedAtWallTime, SourceWatermarks sources, StateWriter<Long> store) {
        this.sliceMs = sliceMs;
        this.graceMs = graceMs;
        this.lastInputWallTime = startedAtWallTime;
        this.sources = sources;
        this.store = store;
    }

    /** The key of the judged boundary in the clock's store. */
    public static final String JUDGED_KEY = "judged";

    /** How far verdicts went before a restart. */
    public void restoreJudged(long windowEnd) {
        closedUpTo = Math.max(closedUpTo, windowEnd);
    }

    /**
     * Data for a slice arrived: advances the watermark and returns {@code true}, or returns {@code false} when
     * its slice was judged already (the events are counted late for the requirement).
     */
    public boolean accept(String requirement, long sliceStart, long events, long now) {
        sawInput(now);
        long sliceEnd = sliceStart + sliceMs;
        if (sliceEnd <= closedUpTo) {
            lateByRequirement.merge(requirement, events, Long::sum);
            return false;
        }
        // The start of the newest slice, not its end: a slice then closes only once data at least `grace` newer
        // than its end has arrived, so anything up to `grace` behind the newest data is on time (with the end, a
        // span just past a slice boundary would close the slice before it with no grace at all).
        watermark = Math.max(watermark, Math.min(sliceStart, now));
        return true;
    }

    /** Input that is not (yet) data for a slice, e.g. the first point of a cumulative series: the input is not idle. */
    public void sawInput(long now) {
        lastInputWallTime = now;
        sawInput = true;
    }

    /**
     * The end of the newest window that may be judged at wall time {@code now} (never before {@link #closedUpTo}),
     * or {@link Long#MIN_VALUE} while there is no clock yet (no data, not idle long enough, or a partition nobody
     * reads yet).
     */
    public long due(long now) {
        long idleAfter = sawInput || sources.known() ? graceMs + sliceMs : Math.max(graceMs + sliceMs, STARTUP_IDLE_MS);
        boolean idle = now - lastInputWallTime >= idleAfter;
        long clock = Math.min(idle ? now : Math.min(now, watermark), sources.hold(now));
        if (clock == Long.MIN_VALUE) return closedUpTo;
        return Math.max(closedUpTo, Math.floorDiv(clock - graceMs, sliceMs) * sliceMs);
    }

    /** A window ending at {@code windowEnd} was judged: its slices are closed. */
    public void judged(long windowEnd) {
        if (windowEnd > closedUpTo) {
            closedUpTo = windowEnd;
            store.put(JUDGED_KEY, windowEnd);
        }
    }

    /** End of the newest window judged, or {@link Long#MIN_VALUE} before the first verdict. */
    public long closedUpTo() {
        return closedUpTo;
    }

    /** Forgets the late count of a requirement the task no longer keeps (its place in the cardinality cap expired). */
    public void forget(String requirement) {
        lateByRequirement.remove(requirement);
    }

    /** Events of the requirement that arrived after their slice was judged, since the task started. */
    public long late(String requirement) {
        return lateByRequirement.getOrDefault(requirement, 0L);
    }

    public SourceWatermarks sources() {
        return sources;
    }
}

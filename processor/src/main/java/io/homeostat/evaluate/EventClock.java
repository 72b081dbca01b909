package io.homeostat.evaluate;

import java.util.HashMap;
import java.util.Map;

/**
 * Which slices are closed. While data flows it follows the data's own clock: the watermark is the start of
 * the newest slice seen, and a window ends {@code grace} before it, so data up to {@code grace} older than the
 * newest is never late, and export delays, consumer lag, a restart or a replay of old data do not make data
 * "late". When no data has arrived for {@code grace + slice} of wall time, the input is idle and the wall
 * clock closes slices instead. Data for a slice that a verdict already covered is late: counted (per
 * requirement), never merged into it.
 */
public final class EventClock {
    /**
     * Before its first data a task waits this long before judging silence on the wall clock: after a
     * (re)start, input already on Kafka must first reach the task, or it would all count as late.
     */
    public static final long STARTUP_IDLE_MS = 30_000;

    private final long sliceMs;
    private final long graceMs;
    /** Start of the newest slice that received data (event time), or {@link Long#MIN_VALUE}. */
    private long watermark = Long.MIN_VALUE;
    /** Wall time the last data arrived (or the task started). */
    private long lastInputWallTime;
    private boolean sawInput;
    /** End of the newest window judged; never moves back. Slices ending at or before it are closed. */
    private long closedUpTo = Long.MIN_VALUE;
    private final Map<String, Long> lateByRequirement = new HashMap<>();

    public EventClock(long sliceMs, long graceMs, long startedAtWallTime) {
        this.sliceMs = sliceMs;
        this.graceMs = graceMs;
        this.lastInputWallTime = startedAtWallTime;
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
     * Closes the slices that are due at wall time {@code now} and returns the end of the window to judge, or
     * {@link Long#MIN_VALUE} while there is no clock yet (no data, and not idle long enough).
     */
    public long close(long now) {
        long idleAfter = sawInput ? graceMs + sliceMs : Math.max(graceMs + sliceMs, STARTUP_IDLE_MS);
        boolean idle = now - lastInputWallTime >= idleAfter;
        long clock = idle ? now : Math.min(now, watermark);
        if (clock == Long.MIN_VALUE) return Long.MIN_VALUE;
        closedUpTo = Math.max(closedUpTo, Math.floorDiv(clock - graceMs, sliceMs) * sliceMs);
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
}

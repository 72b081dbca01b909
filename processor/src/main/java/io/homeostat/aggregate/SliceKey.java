package io.homeostat.aggregate;

/** A requirement's time slice: {@code [sliceStart, sliceStart + slice)} in event time (epoch ms). */
public record SliceKey(String requirement, long sliceStart) {
    public static long sliceStart(long eventTimeMs, long sliceMs) {
        return Math.floorDiv(eventTimeMs, sliceMs) * sliceMs;
    }
}

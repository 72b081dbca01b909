package io.homeostat.topology;

import io.homeostat.evaluate.RequirementEvent.SourceWatermark;
import io.homeostat.evaluate.RequirementEvent.SourceWatermark.Reading;
import io.homeostat.evaluate.SourceWatermarks;

/**
 * A decode task's account of its input partition (its source), sent to every requirement task: the start of the
 * newest slice it has read (event time), and how it reads ({@link Reading}): unreadable while the runner says the
 * partition cannot be fetched, behind while the runner knows of records on the broker not fetched yet (or, for a
 * while after the start, does not know yet) or the task is still processing old ones (data more than {@code max(grace, 1 s)} older than the wall clock: a backlog,
 * a replay), live otherwise. Sent every {@link SourceWatermarks#heartbeatMs heartbeat} (so that silence of the
 * source itself is noticed), and at once when the reading changes or, while the source holds verdicts back, when
 * its watermark moves. Plain Java: the processor calls {@link #read} for each record and {@link #due} after each
 * flush of its data, so that a watermark always follows the data it covers.
 */
final class WatermarkEmitter {
    private final String topic;
    private final int partition;
    private final long sliceMs;
    private final long liveWithinMs;
    private final long heartbeatMs;
    private final long behindForMs;
    private final InputHealth health;
    private final long startedAt;
    private long watermark = Long.MIN_VALUE;
    private long lastOldRecordAt = Long.MIN_VALUE;
    private Reading lastReading;
    private long lastSentAt = Long.MIN_VALUE;
    private long lastSentWatermark = Long.MIN_VALUE;

    /**
     * How long after its start a task whose consumer has not fetched its partition yet (lag unknown) says it is
     * behind: the partition may hold a backlog nobody has seen yet. After that an unknown lag counts as none.
     */
    static final long UNKNOWN_LAG_IS_BEHIND_MS = 30_000;

    WatermarkEmitter(String topic, int partition, long sliceMs, long graceMs, InputHealth health, long startedAt) {
        this.startedAt = startedAt;
        this.topic = topic;
        this.partition = partition;
        this.sliceMs = sliceMs;
        this.liveWithinMs = Math.max(graceMs, 1_000);
        this.heartbeatMs = SourceWatermarks.heartbeatMs(graceMs);
        this.behindForMs = Math.max(2 * heartbeatMs, 1_000);
        this.health = health;
    }

    /** A record was read whose newest telemetry is at {@code eventTimeMs} ({@link Long#MIN_VALUE}: none). */
    void read(long eventTimeMs, long now) {
        if (eventTimeMs == Long.MIN_VALUE) return;
        // As the requirement tasks' own clock: telemetry ahead of the wall clock (within --max-future) counts as now.
        watermark = Math.max(watermark, Math.floorDiv(Math.min(eventTimeMs, now), sliceMs) * sliceMs);
        if (eventTimeMs < now - liveWithinMs) lastOldRecordAt = now;
    }

    /** The watermark to send now, after the data read so far was forwarded, or {@code null} when none is due. */
    SourceWatermark due(long now) {
        InputHealth.Partition input = health.of(topic, partition);
        Reading reading;
        if (!input.readable()) reading = Reading.UNREADABLE;
        else if (input.lag() > 0 || (input.lag() < 0 && now - startedAt < UNKNOWN_LAG_IS_BEHIND_MS)
                || (lastOldRecordAt != Long.MIN_VALUE && now - lastOldRecordAt < behindForMs)) reading = Reading.BEHIND;
        else reading = Reading.LIVE;
        boolean changed = reading != lastReading || (reading != Reading.LIVE && watermark != lastSentWatermark);
        if (!changed && now - lastSentAt < heartbeatMs) return null;
        lastReading = reading;
        lastSentAt = now;
        lastSentWatermark = watermark;
        return new SourceWatermark(topic, partition, input.partitions(), watermark, reading, now);
    }

    /** The key of the watermark records (not used to route them: they go to every partition). */
    String key() {
        return "watermark/" + topic + "-" + partition;
    }
}

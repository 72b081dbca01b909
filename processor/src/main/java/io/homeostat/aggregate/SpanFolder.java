package io.homeostat.aggregate;

import io.homeostat.otlp.SpanSummaries;
import java.util.HashMap;
import java.util.Map;

/**
 * Folds one export request's span summaries into a {@link SpanSliceBuffer}, span by span (no partial
 * aggregate per request), and writes the request's {@link SpanJournal} entry alongside. Event time is the
 * span's end (the record's timestamp when it has none), duration end minus start; spans without a
 * requirement are only counted, per service. A span that only inherited its requirement (a database or HTTP
 * client span inside the requirement's call, marked {@code requirement.inherited}) is not a call of the
 * requirement: it is left out of the span SLIs (its errors still make production issues). Each span counts
 * with its adjusted count when its trace state gives one. Not thread-safe; one per decode task.
 */
public final class SpanFolder {
    private final long sliceMs;
    private final SpanSliceBuffer buffer;
    private final SpanJournal.Writer journal = new SpanJournal.Writer();
    private final RecordingTraceId traceId = new RecordingTraceId();
    private int rejected;
    private String rejection;
    private int inherited;

    public SpanFolder(long sliceMs, SpanSliceBuffer buffer) {
        this.sliceMs = sliceMs;
        this.buffer = buffer;
    }

    /** The newest event time of the spans that have a requirement, or {@link Long#MIN_VALUE} when none has. */
    public static long latestEventTimeMs(SpanSummaries spans, long recordTimestampMs) {
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < spans.size(); i++) {
            if (spans.requirement(i) != null) latest = Math.max(latest, eventTimeMs(spans, i, recordTimestampMs));
        }
        return latest;
    }

    /**
     * Folds the spans into the buffer and prepares the request's journal entry ({@link #journalEntry}).
     *
     * @return spans without a requirement, per service; empty when all have one
     */
    public Map<String, Long> fold(SpanSummaries spans, long recordTimestampMs) {
        Map<String, Long> unattributed = Map.of();
        journal.clear();
        rejected = 0;
        rejection = null;
        inherited = 0;
        traceId.spans = spans;
        for (int i = 0; i < spans.size(); i++) {
            String requirement = spans.requirement(i);
            if (requirement == null) {
                if (unattributed.isEmpty()) unattributed = new HashMap<>();
                unattributed.merge(spans.service(i), 1L, Long::sum);
                continue;
            }
            if (spans.inherited(i)) {
                inherited++;
                continue;
            }
            long endNanos = spans.endNanos(i);
            long startNanos = spans.startNanos(i);
            if (endNanos > 0 && startNanos > 0 && endNanos < startNanos) {
                // No duration at all, not a short one: counted as 0 ms it would make latency look better than it is.
                rejected++;
                if (rejection == null) {
                    rejection = "a span of " + requirement + " ends " + (startNanos - endNanos) / 1_000_000.0
                            + " ms before it starts";
                }
                continue;
            }
            double durationMs = endNanos > 0 && startNanos > 0 ? (endNanos - startNanos) / 1_000_000.0 : 0.0;
            long sliceStart = SliceKey.sliceStart(eventTimeMs(spans, i, recordTimestampMs), sliceMs);
            boolean error = spans.error(i);
            double adjustedCount = spans.adjustedCount(i);
            traceId.reset(i);
            buffer.add(requirement, sliceStart, durationMs, error, adjustedCount, recordTimestampMs, traceId);
            journal.add(requirement, sliceStart, durationMs, error, adjustedCount, traceId.asked, traceId.bytes, 0);
        }
        traceId.spans = null;
        return unattributed;
    }

    /** Spans of the last {@link #fold} that could not be used (they end before they start), and why the first could not. */
    public int rejected() {
        return rejected;
    }

    public String rejection() {
        return rejection;
    }

    /** Spans of the last {@link #fold} left out of the span SLIs because they only inherited their requirement. */
    public int inherited() {
        return inherited;
    }

    /** The journal entry of the last {@link #fold}, or {@code null} when it folded no span. */
    public byte[] journalEntry(long recordTimestampMs) {
        return journal.spans() == 0 ? null : journal.toEntry(recordTimestampMs);
    }

    /**
     * The span's end, or the record's time when it has none (0). An end of 2^63 ns or more (negative as a long: after
     * the year 2262) is as far in the future as can be, and its record goes to the dead-letter topic.
     */
    private static long eventTimeMs(SpanSummaries spans, int i, long recordTimestampMs) {
        long endNanos = spans.endNanos(i);
        return endNanos > 0 ? endNanos / 1_000_000L : endNanos < 0 ? Long.MAX_VALUE : recordTimestampMs;
    }

    /**
     * The trace id of the span being folded, as hex when the buffer asks for it (a sample), noting that it
     * asked and keeping the raw bytes for the journal.
     */
    private static final class RecordingTraceId implements SpanAggregate.TraceIdSource {
        final byte[] raw = new byte[16];
        SpanSummaries spans;
        int index;
        boolean asked;
        byte[] bytes;

        void reset(int span) {
            index = span;
            asked = false;
            bytes = null;
        }

        @Override
        public String hex() {
            asked = true;
            if (spans.traceIdLength(index) != 16) return null;
            spans.copyTraceId(index, raw, 0);
            bytes = raw;
            return spans.traceIdHex(index);
        }
    }
}

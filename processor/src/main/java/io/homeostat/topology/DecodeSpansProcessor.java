package io.homeostat.topology;

import io.homeostat.aggregate.SpanFolder;
import io.homeostat.aggregate.SpanJournal;
import io.homeostat.aggregate.SpanSliceBuffer;
import io.homeostat.aggregate.UnusableTelemetryException;
import io.homeostat.evaluate.CardinalityLimits;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.otlp.OtlpDecodeException;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.otlp.SpanScanner;
import io.homeostat.otlp.SpanSummaries;
import io.homeostat.issues.IssueExtractor;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one OTLP trace export request per record (protobuf with the {@link SpanScanner}: only the fields the
 * span SLIs need) and folds its spans into the task's open partial aggregates, one per (requirement,
 * slice), which it forwards keyed by requirement every twentieth of a slice (10 to 250 ms) of wall time: a few
 * hundred partials per flush whatever the traffic, instead of one per requirement of every request. Each record's
 * contribution is also written to a changelogged journal store (deleted at the flush), so that a task
 * restarted before its flush rebuilds the same partials: the journal, the flush and the input offsets
 * commit together under exactly-once. Undecodable records, and records with spans from far in the
 * future, become dead letters; a span that ends before it starts is rejected (counted, logged) and costs only
 * itself; spans without a requirement are counted per service, per record. When the feedback loop is on, the
 * request's errors (the few spans the scanner hands over whole) are folded into one issue partial per production
 * issue, keyed by issue id, at once.
 */
final class DecodeSpansProcessor implements Processor<byte[], byte[], String, Decoded> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeSpansProcessor.class);
    static final String JOURNAL_STORE = "span-journal";
    /** Flush every twentieth of a slice, within these bounds, and when this many records are in the journal. */
    private static final long MIN_FLUSH_INTERVAL_MS = 10;
    private static final long MAX_FLUSH_INTERVAL_MS = 250;
    static final int MAX_RECORDS_PER_FLUSH = 1024;

    private final String topic;
    private final long sliceMs;
    private final long graceMs;
    private final long maxFutureMs;
    private final long flushIntervalMs;
    private final boolean traceIssues;
    private final InputHealth inputHealth;
    private WatermarkEmitter watermarks;
    private Sensor watermarksSent;
    private ProcessorContext<String, Decoded> context;
    private TaskMetrics metrics;
    private Sensor spansDecoded;
    private Sensor partialsForwarded;
    private Sensor deadLettered;
    private Sensor spansRejected;
    private Sensor spansInherited;
    private IssueForwarder issues;
    private final CardinalityLimits limits;
    private UnattributedCounters unattributed;
    private final SpanScanner scanner = new SpanScanner();
    private final SpanSummaries spans = new SpanSummaries();
    private final SpanSliceBuffer buffer = new SpanSliceBuffer();
    private final SpanFolder folder;
    private final boolean rejectUntagged;
    private final boolean unknownIssues;
    private KeyValueStore<Bytes, byte[]> journal;
    private final List<Bytes> journalKeys = new ArrayList<>();

    /** A task without require_req_tags=reject, UNKNOWN issues or cardinality limits of its own (tests). */
    DecodeSpansProcessor(String topic, long sliceMs, long graceMs, long maxFutureMs, boolean traceIssues,
                         InputHealth inputHealth) {
        this(topic, sliceMs, graceMs, maxFutureMs, traceIssues, false, false, inputHealth, CardinalityLimits.defaults());
    }

    /**
     * @param rejectUntagged a record none of whose spans carries a requirement goes to the dead-letter topic
     * @param unknownIssues  errors without a requirement are production issues of {@code UNKNOWN}
     */
    DecodeSpansProcessor(String topic, long sliceMs, long graceMs, long maxFutureMs, boolean traceIssues,
                         boolean rejectUntagged, boolean unknownIssues, InputHealth inputHealth, CardinalityLimits limits) {
        this.topic = topic;
        this.limits = limits;
        this.sliceMs = sliceMs;
        this.graceMs = graceMs;
        this.maxFutureMs = maxFutureMs;
        this.traceIssues = traceIssues;
        this.rejectUntagged = rejectUntagged;
        this.unknownIssues = unknownIssues;
        this.inputHealth = inputHealth;
        // Partials wait at most this long: a small part of a slice (verdicts are per slice), long enough that a
        // flush folds hundreds of requests: fewer partials, commits and samples to pick.
        this.flushIntervalMs = flushIntervalMs(sliceMs);
        this.folder = new SpanFolder(sliceMs, buffer);
    }

    static long flushIntervalMs(long sliceMs) {
        return Math.max(MIN_FLUSH_INTERVAL_MS, Math.min(MAX_FLUSH_INTERVAL_MS, sliceMs / 20));
    }

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context);
        unattributed = new UnattributedCounters(metrics, "spans-unattributed", "Spans with no requirement attribute, per service",
                context.taskId().toString(), limits);
        spansDecoded = metrics.counter("spans-decoded", "Spans decoded from OTLP trace export requests");
        partialsForwarded = metrics.counter("span-partials-forwarded",
                "Partial aggregates (one per requirement and slice, per flush of a decode task) sent to the requirement tasks");
        deadLettered = metrics.counter("span-records-dead-lettered", "Span records sent to the dead-letter topic");
        spansRejected = metrics.counter("spans-rejected",
                "Spans that could not be used (they end before they start); the other spans of their record are processed");
        spansInherited = metrics.counter("spans-inherited",
                "Spans that only inherited their requirement (requirement.inherited): left out of the span SLIs, traced for issues");
        issues = new IssueForwarder(metrics, "spans");
        watermarksSent = metrics.counter("watermarks-sent",
                "Watermark records (how far an input partition is read) sent to the requirement tasks");
        watermarks = new WatermarkEmitter(topic, context.taskId().partition(), sliceMs, graceMs, inputHealth,
                context.currentSystemTimeMs());
        journal = context.getStateStore(JOURNAL_STORE);
        // Records folded but not flushed before a restart: fold them again, in their order (the store's).
        try (KeyValueIterator<Bytes, byte[]> it = journal.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                SpanJournal.replay(entry.value, buffer);
                journalKeys.add(entry.key);
            }
        }
        // Every decode task flushes at the same wall-clock instants (multiples of the interval), so that one
        // commit follows the flushes of all the thread's tasks.
        long now = context.currentSystemTimeMs();
        context.schedule(Instant.ofEpochMilli((now / flushIntervalMs + 1) * flushIntervalMs), Duration.ofMillis(flushIntervalMs),
                PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DeadLetterHandler.castFailuresToo(() -> handle(record));
    }

    private void handle(Record<byte[], byte[]> record) {
        try {
            OtlpDecoder.scanTraces(record.value(), OtlpEncoding.fromHeaders(record.headers()), scanner, spans);
        } catch (OtlpDecodeException e) {
            deadLetter(record, e.getMessage(), e.getClass());
            return;
        }
        long latest = SpanFolder.latestEventTimeMs(spans, record.timestamp());
        long now = context.currentSystemTimeMs();
        if (latest > now + maxFutureMs) {
            deadLetter(record, "spans end " + (latest == Long.MAX_VALUE ? "after the year 2262 (end_time_unix_nano of 2^63 or more)"
                    : "up to " + Timestamps.format(latest)) + ", more than " + maxFutureMs / 1000
                    + "s after the processor's clock (" + Timestamps.format(now)
                    + "); is the sender's clock wrong? (--max-future)", FutureTimestampException.class);
            return;
        }
        watermarks.read(latest, now);
        Map<String, Long> untagged = folder.fold(spans, record.timestamp());
        if (rejectUntagged && UntaggedTelemetryException.allUntagged(spans.size(), untagged)) {
            // Implements: REQ-RUNTIME-001 (require_req_tags: untagged telemetry is refused, with the reason)
            deadLetter(record, UntaggedTelemetryException.reason(spans.size(), "spans", untagged),
                    UntaggedTelemetryException.class);
            return;
        }
        int rejected = folder.rejected();
        if (rejected > 0) {
            spansRejected.record(rejected);
            if (rejected == spans.size()) {
                // Nothing of the record could be used: the record itself is the evidence, on the dead-letter topic.
                deadLetter(record, "every span was rejected (" + rejected + "): " + folder.rejection(),
                        UnusableTelemetryException.class);
                return;
            }
            LOG.warn("Rejected {} of the {} spans of record {}; the others are processed: {}", rejected, spans.size(),
                    context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"),
                    folder.rejection());
        }
        spansDecoded.record(spans.size() - rejected);
        if (folder.inherited() > 0) spansInherited.record(folder.inherited());
        byte[] entry = folder.journalEntry(record.timestamp());
        if (entry != null) {
            Bytes key = journalKey(context.recordMetadata().orElse(null));
            journal.put(key, entry);
            journalKeys.add(key);
        }
        Decoded.Builder out = new Decoded.Builder();
        for (Map.Entry<String, Long> e : untagged.entrySet()) {
            unattributed.record(e.getKey(), e.getValue(), now);
            out.event(UnattributedStatus.key(e.getKey()), new RequirementEvent.Unattributed(e.getKey(), e.getValue(), 0, 0, now));
        }
        if (traceIssues && spans.fullSpanCount() > 0) {
            // Implements: REQ-RUNTIME-003 (errors and exception events of the batch, folded per issue)
            IssueExtractor.Batch errors = IssueExtractor.fromSpans(spans.fullSpans(), record.timestamp(), unknownIssues);
            issues.add(out, errors);
        }
        forward(out.build(), record.timestamp());
        if (journalKeys.size() >= MAX_RECORDS_PER_FLUSH) flush(now);
    }

    /**
     * Forwards every open partial and forgets the journal entries they came from; then, when one is due, the
     * partition's watermark (after the data it covers).
     */
    private void flush(long now) {
        RequirementEvent.SourceWatermark watermark = watermarks.due(now);
        if (buffer.isEmpty() && journalKeys.isEmpty()) {
            if (watermark != null) {
                forwardWatermark(watermark, now);
                context.commit();
            }
            return;
        }
        for (SpanSliceBuffer.Partial partial : buffer.drain()) {
            // One record per partial, stamped with the newest input record folded into it.
            forward(new Decoded.Builder().event(partial.requirement(),
                    new RequirementEvent.SlicePartial(partial.sliceStart(), partial.spans())).build(), partial.timestampMs());
            partialsForwarded.record();
        }
        for (Bytes key : journalKeys) journal.delete(key);
        journalKeys.clear();
        if (watermark != null) forwardWatermark(watermark, now);
        // Commit right after the flush: the journal entries just deleted then never reach the changelog
        // (their puts and deletes cancel out in the record cache), and the partials are visible at once.
        context.commit();
    }

    private void forwardWatermark(RequirementEvent.SourceWatermark watermark, long now) {
        forward(new Decoded.Builder().event(watermarks.key(), watermark).build(), now);
        watermarksSent.record();
    }

    /** The input record's partition and offset: unique in the task, and in processing order. */
    private Bytes journalKey(RecordMetadata metadata) {
        ByteBuffer key = ByteBuffer.allocate(12);
        if (metadata != null) {
            key.putInt(metadata.partition()).putLong(metadata.offset());
        } else {
            // no input record (never the case in process()): order by arrival instead
            key.putInt(-1).putLong(journalKeys.size());
        }
        return Bytes.wrap(key.array());
    }

    private void forward(Decoded decoded, long timestamp) {
        if (!decoded.isEmpty()) context.forward(new Record<>(null, decoded, timestamp, new RecordHeaders()));
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Class<?> errorClass) {
        deadLettered.record();
        context.forward(DeadLetterRecords.of(context, record, reason, errorClass));
    }


    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

package io.homeostat.topology;

import io.homeostat.aggregate.SliceKey;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanBatchAggregator;
import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.otlp.OtlpDecodeException;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.trace.IssueExtractor;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes one OTLP trace export request per record and folds its spans into one partial aggregate per
 * (requirement, slice), keyed by requirement; when the feedback loop is on, also its errors into one
 * issue partial per production issue, keyed by issue id. Undecodable records, and records with spans
 * from far in the future, become dead letters.
 */
final class DecodeSpansProcessor implements Processor<byte[], byte[], String, Routed> {
    private final long sliceMs;
    private final long maxFutureMs;
    private final boolean traceIssues;
    private ProcessorContext<String, Routed> context;
    private TaskMetrics metrics;
    private Sensor spansDecoded;
    private Sensor partialsForwarded;
    private Sensor deadLettered;
    private IssueForwarder issues;
    private final Map<String, Sensor> unattributedByService = new HashMap<>();

    DecodeSpansProcessor(long sliceMs, long maxFutureMs, boolean traceIssues) {
        this.sliceMs = sliceMs;
        this.maxFutureMs = maxFutureMs;
        this.traceIssues = traceIssues;
    }

    @Override
    public void init(ProcessorContext<String, Routed> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context);
        spansDecoded = metrics.counter("spans-decoded", "Spans decoded from OTLP trace export requests");
        partialsForwarded = metrics.counter("span-partials-forwarded",
                "Partial aggregates (one per requirement and slice of a request) sent to the requirement tasks");
        deadLettered = metrics.counter("span-records-dead-lettered", "Span records sent to the dead-letter topic");
        issues = new IssueForwarder(metrics, "spans");
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        ExportTraceServiceRequest request;
        try {
            request = OtlpDecoder.decodeTraces(record.value(), OtlpEncoding.fromHeaders(record.headers()));
        } catch (OtlpDecodeException e) {
            deadLetter(record, e.getMessage(), e.getClass());
            return;
        }
        SpanBatchAggregator.Result result = SpanBatchAggregator.aggregate(request, sliceMs, record.timestamp());
        long now = context.currentSystemTimeMs();
        if (result.latestEventTimeMs() > now + maxFutureMs) {
            deadLetter(record, "spans end up to " + Timestamps.format(result.latestEventTimeMs()) + ", more than "
                    + maxFutureMs / 1000 + "s after the processor's clock (" + Timestamps.format(now)
                    + "); is the sender's clock wrong? (--max-future)", FutureTimestampException.class);
            return;
        }
        spansDecoded.record(result.spans());
        for (Map.Entry<String, Long> e : result.unattributedByService().entrySet()) {
            unattributed(e.getKey()).record(e.getValue());
            forward(UnattributedStatus.key(e.getKey()),
                    new RequirementEvent.Unattributed(e.getKey(), e.getValue(), 0, 0, now), record.timestamp());
        }
        for (Map.Entry<SliceKey, SpanAggregate> partial : result.partials().entrySet()) {
            forward(partial.getKey().requirement(),
                    new RequirementEvent.SlicePartial(partial.getKey().sliceStart(), partial.getValue()), record.timestamp());
            partialsForwarded.record();
        }
        if (traceIssues) {
            // Implements: REQ-RUNTIME-003 (errors and exception events of the batch, folded per issue)
            IssueExtractor.Batch errors = IssueExtractor.fromSpans(request, record.timestamp());
            issues.forward(context, errors, record.timestamp());
        }
    }

    private void forward(String key, RequirementEvent event, long timestamp) {
        context.forward(new Record<String, Routed>(key, event, timestamp, new RecordHeaders()));
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Class<?> errorClass) {
        deadLettered.record();
        context.forward(DeadLetterRecords.of(context, record, reason, errorClass));
    }

    /** Telemetry with no requirement is counted per service, never silently dropped from the counts. */
    private Sensor unattributed(String service) {
        return unattributedByService.computeIfAbsent(service,
                s -> metrics.counter("spans-unattributed", "Spans with no requirement attribute, per service", "service", s));
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

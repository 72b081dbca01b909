package io.homeostat.topology;

import io.homeostat.evaluate.CardinalityLimits;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.otlp.OtlpDecodeException;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.issues.IssueExtractor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes one OTLP log export request per record (protobuf or OTLP/JSON, like spans) and folds its log
 * records of severity ERROR or above that carry a requirement into one issue partial per production
 * issue, keyed by issue id. Undecodable records become dead letters. With the feedback loop off, logs
 * feed nothing and are not decoded.
 */
// Implements: REQ-RUNTIME-003 (error logs of the seed's RequirementLogger traced to production issues)
final class DecodeLogsProcessor implements Processor<byte[], byte[], String, Decoded> {
    private final boolean traceIssues;
    private ProcessorContext<String, Decoded> context;
    private TaskMetrics metrics;
    private Sensor logsDecoded;
    private Sensor deadLettered;
    private IssueForwarder issues;
    private final boolean rejectUntagged;
    private final boolean unknownIssues;
    private final CardinalityLimits limits;
    private UnattributedCounters unattributed;

    /**
     * @param rejectUntagged a record none of whose log records carries a requirement goes to the dead-letter topic
     * @param unknownIssues  error log records without a requirement are production issues of {@code UNKNOWN}
     */
    DecodeLogsProcessor(boolean traceIssues, boolean rejectUntagged, boolean unknownIssues, CardinalityLimits limits) {
        this.limits = limits;
        this.traceIssues = traceIssues;
        this.rejectUntagged = rejectUntagged;
        this.unknownIssues = unknownIssues;
    }

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context);
        unattributed = new UnattributedCounters(metrics, "log-records-unattributed", "Log records with no requirement attribute, per service",
                context.taskId().toString(), limits);
        logsDecoded = metrics.counter("log-records-decoded", "Log records decoded from OTLP log export requests");
        deadLettered = metrics.counter("log-records-dead-lettered", "Log records (Kafka records of otlp_logs) sent to the dead-letter topic");
        issues = new IssueForwarder(metrics, "logs");
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DeadLetterHandler.castFailuresToo(() -> handle(record));
    }

    private void handle(Record<byte[], byte[]> record) {
        if (!traceIssues) return;
        ExportLogsServiceRequest request;
        try {
            request = OtlpDecoder.decodeLogs(record.value(), OtlpEncoding.fromHeaders(record.headers()));
        } catch (OtlpDecodeException e) {
            deadLettered.record();
            context.forward(DeadLetterRecords.of(context, record, e.getMessage(), e.getClass()));
            return;
        }
        IssueExtractor.Batch batch = IssueExtractor.fromLogs(request, record.timestamp(), unknownIssues);
        if (rejectUntagged && UntaggedTelemetryException.allUntagged(batch.records(), batch.unattributedByService())) {
            deadLettered.record();
            context.forward(DeadLetterRecords.of(context, record, UntaggedTelemetryException.reason(batch.records(),
                    "log records", batch.unattributedByService()), UntaggedTelemetryException.class));
            return;
        }
        logsDecoded.record(batch.records());
        long now = context.currentSystemTimeMs();
        Decoded.Builder out = new Decoded.Builder();
        batch.unattributedByService().forEach((service, count) -> {
            unattributed.record(service, count, now);
            out.event(UnattributedStatus.key(service), new RequirementEvent.Unattributed(service, 0, 0, count, now));
        });
        issues.add(out, batch);
        Decoded decoded = out.build();
        if (!decoded.isEmpty()) context.forward(new Record<>(null, decoded, record.timestamp(), new RecordHeaders()));
    }


    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

package io.homeostat.topology;

import io.homeostat.aggregate.UnusableTelemetryException;
import io.homeostat.aggregate.MetricBatchAggregator;
import io.homeostat.aggregate.Rejections;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.otlp.OtlpDecodeException;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one OTLP metrics export request per record into partials per requirement (delta slices and
 * cumulative series), keyed by requirement. Undecodable or far-future records become dead letters; a data point
 * that cannot be used is rejected (counted, logged with its reason) and costs only itself, unless nothing of the
 * record could be used: then the record is a dead letter.
 */
final class DecodeMetricsProcessor implements Processor<byte[], byte[], String, Decoded> {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeMetricsProcessor.class);
    private final long sliceMs;
    private final long maxFutureMs;
    private ProcessorContext<String, Decoded> context;
    private TaskMetrics metrics;
    private Sensor pointsDecoded;
    private Sensor partialsForwarded;
    private Sensor deadLettered;
    private Sensor pointsRejected;
    private final Map<String, Sensor> unattributedByService = new HashMap<>();

    DecodeMetricsProcessor(long sliceMs, long maxFutureMs) {
        this(sliceMs, maxFutureMs, false);
    }

    /** @param rejectUntagged a record none of whose data points carries a requirement goes to the dead-letter topic */
    DecodeMetricsProcessor(long sliceMs, long maxFutureMs, boolean rejectUntagged) {
        this.sliceMs = sliceMs;
        this.maxFutureMs = maxFutureMs;
        this.rejectUntagged = rejectUntagged;
    }

    private final boolean rejectUntagged;

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context);
        pointsDecoded = metrics.counter("data-points-decoded", "Metric data points decoded from OTLP metrics export requests");
        partialsForwarded = metrics.counter("metric-partials-forwarded",
                "Metric partials (per requirement, series and slice of a request) sent to the requirement tasks");
        deadLettered = metrics.counter("metric-records-dead-lettered", "Metric records sent to the dead-letter topic");
        pointsRejected = metrics.counter("data-points-rejected",
                "Metric data points that could not be used (a count, value, time, bound or bucket OTLP does not allow, or "
                        + "that no aggregate can hold); the other points of their record are processed");
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DeadLetterHandler.castFailuresToo(() -> handle(record));
    }

    private void handle(Record<byte[], byte[]> record) {
        ExportMetricsServiceRequest request;
        try {
            request = OtlpDecoder.decodeMetrics(record.value(), OtlpEncoding.fromHeaders(record.headers()));
        } catch (OtlpDecodeException e) {
            deadLetter(record, e.getMessage(), e.getClass());
            return;
        }
        MetricBatchAggregator.Result result = MetricBatchAggregator.aggregate(request, sliceMs);
        long now = context.currentSystemTimeMs();
        if (result.latestPointTimeMs() > now + maxFutureMs) {
            deadLetter(record, "data points up to " + Timestamps.format(result.latestPointTimeMs()) + ", more than "
                    + maxFutureMs / 1000 + "s after the processor's clock (" + Timestamps.format(now)
                    + "); is the sender's clock wrong? (--max-future)", FutureTimestampException.class);
            return;
        }
        Rejections rejected = result.rejections();
        if (!rejected.isEmpty()) {
            pointsRejected.record(rejected.count());
            if (result.points() == 0) {
                // Nothing of the record could be used: the record itself is the evidence, on the dead-letter topic.
                deadLetter(record, "every data point was rejected (" + rejected.count() + "): " + rejected.summary(),
                        UnusableTelemetryException.class);
                return;
            }
            LOG.warn("Rejected {} of the {} data points of record {}; the others are processed: {}", rejected.count(),
                    rejected.count() + result.points(), where(), rejected.summary());
        }
        if (rejectUntagged && UntaggedTelemetryException.allUntagged(result.points(), result.unattributedByService())) {
            deadLetter(record, UntaggedTelemetryException.reason(result.points(), "data points", result.unattributedByService()),
                    UntaggedTelemetryException.class);
            return;
        }
        pointsDecoded.record(result.points());
        Decoded.Builder out = new Decoded.Builder();
        for (Map.Entry<String, Long> e : result.unattributedByService().entrySet()) {
            unattributed(e.getKey()).record(e.getValue());
            out.event(UnattributedStatus.key(e.getKey()), new RequirementEvent.Unattributed(e.getKey(), 0, e.getValue(), 0, now));
        }
        for (MetricBatchAggregator.Keyed keyed : result.partials()) {
            out.event(keyed.requirement(), new RequirementEvent.MetricSlice(keyed.partial()));
            partialsForwarded.record();
        }
        Decoded decoded = out.build();
        if (!decoded.isEmpty()) context.forward(new Record<>(null, decoded, record.timestamp(), new RecordHeaders()));
    }

    private void deadLetter(Record<byte[], byte[]> record, String reason, Class<?> errorClass) {
        deadLettered.record();
        context.forward(DeadLetterRecords.of(context, record, reason, errorClass));
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
    }

    private Sensor unattributed(String service) {
        return unattributedByService.computeIfAbsent(service, s -> metrics.counter("data-points-unattributed",
                "Metric data points with no requirement attribute, per service", "service", s));
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

package io.homeostat.topology;

import io.homeostat.aggregate.UnusableTelemetryException;
import io.homeostat.aggregate.MetricBatchAggregator;
import io.homeostat.aggregate.Rejections;
import io.homeostat.evaluate.CardinalityLimits;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.Timestamps;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.otlp.OtlpDecodeException;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.homeostat.evaluate.SourceWatermarks;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.PunctuationType;
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
    private final String topic;
    private final long sliceMs;
    private final long graceMs;
    private final long maxFutureMs;
    private final InputHealth inputHealth;
    private WatermarkEmitter watermarks;
    private Sensor watermarksSent;
    private ProcessorContext<String, Decoded> context;
    private TaskMetrics metrics;
    private Sensor pointsDecoded;
    private Sensor partialsForwarded;
    private Sensor deadLettered;
    private Sensor pointsRejected;
    private final boolean rejectUntagged;
    private final CardinalityLimits limits;
    private UnattributedCounters unattributed;

    /** @param rejectUntagged a record none of whose data points carries a requirement goes to the dead-letter topic */
    DecodeMetricsProcessor(String topic, long sliceMs, long graceMs, long maxFutureMs, boolean rejectUntagged,
                           InputHealth inputHealth, CardinalityLimits limits) {
        this.topic = topic;
        this.limits = limits;
        this.sliceMs = sliceMs;
        this.graceMs = graceMs;
        this.maxFutureMs = maxFutureMs;
        this.inputHealth = inputHealth;
        this.rejectUntagged = rejectUntagged;
    }

    @Override
    public void init(ProcessorContext<String, Decoded> context) {
        this.context = context;
        this.metrics = new TaskMetrics(context);
        unattributed = new UnattributedCounters(metrics, "data-points-unattributed", "Metric data points with no requirement attribute, per service",
                context.taskId().toString(), limits);
        pointsDecoded = metrics.counter("data-points-decoded", "Metric data points decoded from OTLP metrics export requests");
        partialsForwarded = metrics.counter("metric-partials-forwarded",
                "Metric partials (per requirement, series and slice of a request) sent to the requirement tasks");
        deadLettered = metrics.counter("metric-records-dead-lettered", "Metric records sent to the dead-letter topic");
        pointsRejected = metrics.counter("data-points-rejected",
                "Metric data points that could not be used (a count, value, time, bound or bucket OTLP does not allow, or "
                        + "that no aggregate can hold); the other points of their record are processed");
        watermarksSent = metrics.counter("watermarks-sent",
                "Watermark records (how far an input partition is read) sent to the requirement tasks");
        // Partials are forwarded as each record is read; the partition's watermark follows them on a wall-clock
        // punctuator, which also says the partition is still read when no data comes.
        watermarks = new WatermarkEmitter(topic, context.taskId().partition(), sliceMs, graceMs, inputHealth,
                context.currentSystemTimeMs());
        long every = Math.max(10, SourceWatermarks.heartbeatMs(graceMs) / 4);
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::sendWatermark);
    }

    private void sendWatermark(long now) {
        RequirementEvent.SourceWatermark watermark = watermarks.due(now);
        if (watermark == null) return;
        context.forward(new Record<>(null, new Decoded.Builder().event(watermarks.key(), watermark).build(), now,
                new RecordHeaders()));
        watermarksSent.record();
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
        watermarks.read(result.latestPointTimeMs(), now);
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
            unattributed.record(e.getKey(), e.getValue(), now);
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


    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

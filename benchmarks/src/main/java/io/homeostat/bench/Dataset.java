package io.homeostat.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Generates a {@link DatasetSpec}'s OTLP export requests, deterministically, and writes them to a topic.
 * Request {@code i} holds spans ending within 100 ms before its time {@code start + (i + 1) * span / batches}, drawn
 * from the requirement keys with a Zipf distribution, grouped per service as a Collector batch groups them;
 * its Kafka timestamp is that time.
 */
public final class Dataset {
    /** One export request. */
    public record Batch(byte[] payload, int spans, long timestampMs) {}

    /** What was written. */
    public record Written(long records, long spans, long bytes, double seconds) {}

    private final DatasetSpec spec;
    private final long startMs;
    private final SpanFactory factory;
    private final Zipf zipf;
    private final SplittableRandom random;
    private long batch;
    private long spansLeft;
    /** Spans made so far, and the junk values handed out (a requirement and a service each). */
    private long spanIndex;
    private long junkRequirement;
    private long junkService;

    public Dataset(DatasetSpec spec, long startMs) {
        this.spec = spec;
        this.startMs = startMs;
        this.factory = new SpanFactory(spec.requirements(), spec.services());
        this.zipf = new Zipf(spec.requirements(), spec.zipfExponent());
        this.random = new SplittableRandom(spec.seed());
        this.spansLeft = spec.spans();
    }

    public boolean hasNext() {
        return spansLeft > 0;
    }

    public Batch next() {
        int size = (int) Math.min(spec.spansPerBatch(), spansLeft);
        long timeMs = startMs + (batch + 1) * spec.eventSpanMs() / spec.batches();
        List<List<Span>> perService = SpanFactory.perService(factory.services());
        java.util.Map<String, List<Span>> junkServices = new java.util.LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            int requirement = zipf.next(random);
            long endNanos = (timeMs - random.nextInt(100)) * 1_000_000L + random.nextInt(1_000_000);
            boolean error = random.nextDouble() < spec.errorRate();
            int junk = spec.junkValues() == 0 ? -1 : (int) (spanIndex++ % 4);
            if (junk == 0) {
                // a sender bug: a user id where the requirement goes
                String key = "user-" + (junkRequirement++ % spec.junkValues());
                perService.get(factory.serviceOf(requirement)).add(factory.span(requirement, key, endNanos,
                        factory.durationMs(requirement, random), error, random));
            } else if (junk == 1) {
                // and one where the service name goes, on telemetry without a requirement
                String service = "svc-user-" + (junkService++ % spec.junkValues());
                junkServices.computeIfAbsent(service, k -> new ArrayList<>()).add(factory.span(requirement, null, endNanos,
                        factory.durationMs(requirement, random), error, random));
            } else {
                Span span = factory.span(requirement, endNanos, factory.durationMs(requirement, random), error, random);
                perService.get(factory.serviceOf(requirement)).add(span);
            }
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        for (int s = 0; s < perService.size(); s++) {
            if (perService.get(s).isEmpty()) continue;
            request.addResourceSpans(ResourceSpans.newBuilder().setResource(factory.resource(s))
                    .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(factory.scope()).addAllSpans(perService.get(s))));
        }
        for (java.util.Map.Entry<String, List<Span>> junk : junkServices.entrySet()) {
            request.addResourceSpans(ResourceSpans.newBuilder().setResource(factory.resource(0).toBuilder()
                            .setAttributes(0, SpanFactory.text("service.name", junk.getKey())))
                    .addScopeSpans(ScopeSpans.newBuilder().setScope(factory.scope()).addAllSpans(junk.getValue())));
        }
        batch++;
        spansLeft -= size;
        return new Batch(request.build().toByteArray(), size, timeMs);
    }

    /** The first {@code count} requests of the dataset, in memory (for JMH). */
    public static List<Batch> batches(DatasetSpec spec, long startMs, int count) {
        Dataset dataset = new Dataset(spec, startMs);
        List<Batch> out = new ArrayList<>(count);
        while (dataset.hasNext() && out.size() < count) out.add(dataset.next());
        return out;
    }

    /**
     * Writes the whole dataset to {@code topic} with a content-type header, as the Collector's Kafka exporter
     * does ({@code otlp_proto}).
     */
    /**
     * @param partitions {@code > 0}: request {@code i} goes to partition {@code i % partitions}, so that every
     *                   partition holds the same share of every stretch of event time; {@code 0}: no partition
     *                   given, the producer's sticky partitioner places batches of requests (as an exporter
     *                   without record keys does), and partitions end up with uneven shares
     */
    public static Written write(Properties clientProperties, String topic, DatasetSpec spec, long startMs,
                                String compression, int partitions) throws Exception {
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        Dataset dataset = new Dataset(spec, startMs);
        long records = 0;
        long spans = 0;
        long bytes = 0;
        long started = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        byte[] contentType = "application/x-protobuf".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            while (dataset.hasNext()) {
                Batch batch = dataset.next();
                RecordHeaders headers = new RecordHeaders();
                headers.add("content-type", contentType);
                Integer partition = partitions > 0 ? (int) (records % partitions) : null;
                producer.send(new ProducerRecord<>(topic, partition, batch.timestampMs(), null, batch.payload(), headers),
                        (metadata, error) -> {
                            if (error != null) failure.compareAndSet(null, error);
                        });
                records++;
                spans += batch.spans();
                bytes += batch.payload().length;
                if (failure.get() != null) throw failure.get();
            }
            producer.flush();
        }
        if (failure.get() != null) throw failure.get();
        return new Written(records, spans, bytes, (System.nanoTime() - started) / 1e9);
    }
}

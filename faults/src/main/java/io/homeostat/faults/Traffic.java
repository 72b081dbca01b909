package io.homeostat.faults;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service under watch: one OTLP trace export request per tick of event time, sent when the wall clock reaches
 * it, round robin over the input partitions, as an OpenTelemetry exporter would (idempotent, retrying for as long
 * as the broker is away: a request is late, never lost). Each acknowledged request is added to the {@link Truth};
 * a request the producer gave up on is counted and left out of it.
 */
final class Traffic extends Thread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Traffic.class);

    private final Plan plan;
    private final long startMs;
    private final String topic;
    private final int partitions;
    private final Truth truth;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<Long, String> plantAt;
    private final AtomicLong failedRequests = new AtomicLong();
    private volatile boolean running = true;
    private volatile long ticksSent;

    /**
     * @param startMs the event time of the first tick (a slice boundary)
     * @param plantAt ticks before which a record that is not OTLP is planted, by its key (it must go to the DLQ)
     */
    Traffic(Plan plan, long startMs, Properties client, String topic, int partitions, Truth truth, Map<Long, String> plantAt) {
        super("faults-traffic");
        setDaemon(true);
        this.plan = plan;
        this.startMs = startMs;
        this.topic = topic;
        this.partitions = partitions;
        this.truth = truth;
        this.plantAt = Map.copyOf(plantAt);
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 900_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 900_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "faults-traffic");
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    long ticks() {
        return plan.durationMs / Plan.TICK_MS;
    }

    long ticksSent() {
        return ticksSent;
    }

    long failedRequests() {
        return failedRequests.get();
    }

    @Override
    public void run() {
        try {
            for (long tick = 0; tick < ticks() && running; tick++) {
                long eventTime = startMs + tick * Plan.TICK_MS;
                long wait = eventTime - System.currentTimeMillis();
                if (wait > 0) Thread.sleep(wait);
                String planted = plantAt.get(tick);
                if (planted != null) plant(planted, (int) (tick % partitions));
                send(tick, eventTime);
                ticksSent = tick + 1;
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Traffic stopped", e);
        }
    }

    private void send(long tick, long eventTime) {
        List<SpanFact> facts = facts(plan, tick, eventTime - startMs, eventTime);
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.homeostat.faults").setVersion("1"));
        int spanIndex = 0;
        for (SpanFact f : facts) {
            scope.addSpans(span(f.requirement(), tick, spanIndex++, eventTime, f.failed(), f.errorType(), f.episode(), f.user()));
        }
        byte[] request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(text("service.name", Plan.SERVICE)))
                .addScopeSpans(scope)).build().toByteArray();
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", "application/x-protobuf".getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, (int) (tick % partitions), eventTime, null, request, headers),
                (metadata, error) -> {
                    if (error != null) {
                        failedRequests.incrementAndGet();
                        LOG.warn("A request of tick {} was not acknowledged: {}", tick, error.toString());
                        return;
                    }
                    truth.request();
                    for (SpanFact f : facts) f.addTo(truth);
                });
    }

    /** Bytes that are not OTLP, keyed so that the dead-letter topic can be checked for exactly these. */
    private void plant(String key, int partition) {
        byte[] garbage = ("not an OTLP request: " + key).getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(topic, partition, key.getBytes(StandardCharsets.UTF_8), garbage),
                (metadata, error) -> {
                    if (error == null) truth.planted(key);
                });
    }

    /** One span of the workload, as the oracle counts it. */
    record SpanFact(String requirement, long endMs, boolean failed, String errorType, boolean episode, String user) {
        void addTo(Truth truth) {
            truth.span(requirement, endMs, failed, errorType, user);
        }
    }

    /**
     * The spans of tick {@code tick} ({@code elapsedMs} after the start of traffic, ending at {@code endMs}): what is
     * sent, and, once acknowledged, what the {@link Truth} counts. Pure, so that tests can build a truth without Kafka.
     */
    static List<SpanFact> facts(Plan plan, long tick, long elapsedMs, long endMs) {
        List<SpanFact> facts = new ArrayList<>();
        for (Plan.Requirement requirement : plan.requirements) {
            if (requirement.silentAt(elapsedMs)) continue;
            boolean episode = requirement.badAt(elapsedMs);
            for (int i = 0; i < Plan.SPANS_PER_TICK; i++) {
                boolean failed = Plan.fails(requirement, tick, i, elapsedMs);
                facts.add(new SpanFact(requirement.id(), endMs, failed, failed ? Plan.errorType(requirement, episode) : null,
                        episode, Plan.user(tick, i)));
            }
        }
        return facts;
    }

    private static Span span(String requirement, long tick, int index, long endMs, boolean failed, String type,
                             boolean episode, String user) {
        long endNanos = endMs * 1_000_000L;
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(tick + 1).putLong(index + 1).array()))
                .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putInt((int) tick + 1).putInt(index + 1).array()))
                .setName("checkout")
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(endNanos - 20_000_000L)
                .setEndTimeUnixNano(endNanos)
                .addAttributes(text("requirement", requirement));
        if (failed) {
            span.addAttributes(text("enduser.id", user))
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(Plan.errorMessage(episode)))
                    .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(endNanos - 1_000_000L)
                            .addAttributes(text("exception.type", type))
                            .addAttributes(text("exception.message", Plan.errorMessage(episode)))
                            .addAttributes(text("exception.stacktrace", type + ": " + Plan.errorMessage(episode)
                                    + "\n\tat io.faults.Checkout.pay(Checkout.java:42)\n\tat io.faults.Server.handle(Server.java:7)\n")));
        }
        return span.build();
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        join(30_000);
        producer.close(Duration.ofSeconds(60));
    }
}

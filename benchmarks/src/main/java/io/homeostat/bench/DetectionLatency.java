package io.homeostat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.cli.TopicProvisioner;
import io.homeostat.topology.Topics;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detection and resolution latency of Homeostat as shipped, on live traffic. Each trial is a requirement
 * of its own with a target {@code span.success_rate gte 0.99} (window: one slice, at least 1 s): traffic is
 * healthy until every trial's target is judged ok, then each trial steps into violation (every span ERROR)
 * at a random moment within two slices, and back to healthy once its alert fired. Detection is the wall
 * time from sending the first violating span to reading the firing alert (read_committed) on the alerts
 * topic; resolution, from sending the first healthy span again to reading the resolved alert.
 */
final class DetectionLatency {
    private static final Logger LOG = LoggerFactory.getLogger(DetectionLatency.class);
    /** Traffic: one OTLP request every tick, with {@link #SPANS_PER_TICK} spans of every trial requirement. */
    static final long TICK_MS = 50;
    static final int SPANS_PER_TICK = 5;

    record Setting(String label, long sliceMs, long graceMs) {
        long windowMs() {
            return Math.max(sliceMs, 1000);
        }
    }

    /** Seconds per trial ({@code NaN}: not seen before the timeout). */
    record Result(Setting setting, int trials, double[] detectSeconds, double[] resolveSeconds, long lateEvents) {
        int detected() {
            return (int) Arrays.stream(detectSeconds).filter(d -> !Double.isNaN(d)).count();
        }

        int resolved() {
            return (int) Arrays.stream(resolveSeconds).filter(d -> !Double.isNaN(d)).count();
        }
    }

    private DetectionLatency() {}

    static Result run(PathRunner runner, Properties client, Setting setting, int trials, int partitions, Path stateRoot,
                      String runId, long seed) throws Exception {
        PathConfig config = new PathConfig(PathName.HOMEOSTAT.name(), toMap(client), runId + ".spans", partitions, 0, 0,
                runId, stateRoot.resolve(runId).toString(), setting.sliceMs(), setting.graceMs(), 120_000, false, -1, false, "", 0);
        Topics topics = StreamsPaths.topics(config);
        TopicProvisioner.ensure(client, TopicProvisioner.contractTopics(topics, partitions, (short) 1));
        String[] requirements = new String[trials];
        for (int i = 0; i < trials; i++) requirements[i] = String.format("REQ-LAT-%03d", i);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (String requirement : requirements) {
                StreamsPaths.send(producer, topics.targets(), requirement + "/span.success_rate", """
                        {"requirement":"%s","metric":"span.success_rate","target":0.99,"operator":"gte","window":"%dms",\
                        "min_events":1}""".formatted(requirement, setting.windowMs()));
            }
            producer.flush();
        }

        AtomicLongArray violateAt = filled(trials, Long.MAX_VALUE);
        AtomicLongArray recoverAt = filled(trials, Long.MAX_VALUE);
        AtomicLongArray firstBadSent = filled(trials, 0);
        AtomicLongArray firstGoodSent = filled(trials, 0);
        long[] firedSeen = new long[trials];
        long[] resolvedSeen = new long[trials];
        long late = 0;
        SplittableRandom random = new SplittableRandom(seed);
        try (AutoCloseable homeostat = runner.serve(config);
             Traffic traffic = new Traffic(client, topics.spans(), requirements, violateAt, recoverAt, firstBadSent, firstGoodSent);
             KafkaConsumer<byte[], byte[]> alerts = consumer(client, topics.alerts(), runId);
             KafkaConsumer<byte[], byte[]> status = consumer(client, topics.status(), runId)) {
            traffic.start();
            // Warm up: every trial's target judged ok (its window full of healthy traffic).
            boolean[] ok = new boolean[trials];
            long[] lateSeen = new long[1];
            await(status, Duration.ofSeconds(120), record -> {
                JsonNode value = json(record.value());
                if (value == null) return false;
                lateSeen[0] = Math.max(lateSeen[0], value.path("late_events").asLong());
                int i = indexOf(requirements, value.path("requirement").asText());
                if (i >= 0 && "ok".equals(value.path("state").asText())) ok[i] = true;
                return allTrue(ok);
            }, "every trial target ok");

            long now = System.currentTimeMillis();
            for (int i = 0; i < trials; i++) violateAt.set(i, now + random.nextLong(2 * setting.sliceMs()));
            long detectTimeout = 2 * setting.sliceMs() + 4 * (setting.sliceMs() + setting.graceMs()) + 30_000;
            await(alerts, Duration.ofMillis(detectTimeout), record -> {
                JsonNode alert = json(record.value());
                int i = alert == null ? -1 : indexOf(requirements, alert.path("requirement").asText());
                if (i >= 0 && "firing".equals(alert.path("status").asText()) && firedSeen[i] == 0) {
                    firedSeen[i] = System.currentTimeMillis();
                }
                return Arrays.stream(firedSeen).allMatch(t -> t > 0);
            }, "firing alerts");

            now = System.currentTimeMillis();
            for (int i = 0; i < trials; i++) {
                if (firedSeen[i] > 0) recoverAt.set(i, now + random.nextLong(2 * setting.sliceMs()));
            }
            long resolveTimeout = 2 * setting.sliceMs() + 4 * (setting.windowMs() + setting.sliceMs() + setting.graceMs()) + 30_000;
            await(alerts, Duration.ofMillis(resolveTimeout), record -> {
                JsonNode alert = json(record.value());
                int i = alert == null ? -1 : indexOf(requirements, alert.path("requirement").asText());
                if (i >= 0 && "resolved".equals(alert.path("status").asText()) && resolvedSeen[i] == 0) {
                    resolvedSeen[i] = System.currentTimeMillis();
                }
                for (int j = 0; j < trials; j++) if (firedSeen[j] > 0 && resolvedSeen[j] == 0) return false;
                return true;
            }, "resolved alerts");
            // The status topic's late_events counts events that arrived after their slice was judged.
            for (var record : status.poll(Duration.ofMillis(500))) {
                JsonNode value = json(record.value());
                if (value != null) lateSeen[0] = Math.max(lateSeen[0], value.path("late_events").asLong());
            }
            late = lateSeen[0];
        }
        double[] detect = new double[trials];
        double[] resolve = new double[trials];
        for (int i = 0; i < trials; i++) {
            detect[i] = firedSeen[i] > 0 && firstBadSent.get(i) > 0 ? (firedSeen[i] - firstBadSent.get(i)) / 1000.0 : Double.NaN;
            resolve[i] = resolvedSeen[i] > 0 && firstGoodSent.get(i) > 0 ? (resolvedSeen[i] - firstGoodSent.get(i)) / 1000.0 : Double.NaN;
        }
        return new Result(setting, trials, detect, resolve, late);
    }

    /** Live traffic: one request per tick carrying every trial's spans, ERROR while the trial is violating. */
    private static final class Traffic extends Thread implements AutoCloseable {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final SpanFactory factory;
        private final AtomicLongArray violateAt;
        private final AtomicLongArray recoverAt;
        private final AtomicLongArray firstBadSent;
        private final AtomicLongArray firstGoodSent;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final String[] requirements;

        Traffic(Properties client, String topic, String[] requirements, AtomicLongArray violateAt, AtomicLongArray recoverAt,
                AtomicLongArray firstBadSent, AtomicLongArray firstGoodSent) {
            super("latency-traffic");
            setDaemon(true);
            Properties props = new Properties();
            props.putAll(client);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0); // the send time is what detection is measured from
            this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            this.topic = topic;
            this.requirements = requirements;
            this.factory = new SpanFactory(1, 1);
            this.violateAt = violateAt;
            this.recoverAt = recoverAt;
            this.firstBadSent = firstBadSent;
            this.firstGoodSent = firstGoodSent;
        }

        @Override
        public void run() {
            SplittableRandom random = new SplittableRandom(7);
            long next = System.currentTimeMillis();
            while (running.get()) {
                long now = System.currentTimeMillis();
                ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(factory.scope());
                boolean[] bad = new boolean[requirements.length];
                for (int i = 0; i < requirements.length; i++) {
                    bad[i] = now >= violateAt.get(i) && now < recoverAt.get(i);
                    for (int s = 0; s < SPANS_PER_TICK; s++) {
                        scope.addSpans(factory.span(0, requirements[i], now * 1_000_000L, 10 + random.nextInt(20), bad[i], random));
                    }
                }
                byte[] payload = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(factory.resource(0)).addScopeSpans(scope)).build().toByteArray();
                RecordHeaders headers = new RecordHeaders();
                headers.add("content-type", "application/x-protobuf".getBytes(StandardCharsets.UTF_8));
                long sent = System.currentTimeMillis();
                producer.send(new ProducerRecord<>(topic, null, now, null, payload, headers));
                for (int i = 0; i < requirements.length; i++) {
                    if (bad[i]) firstBadSent.compareAndSet(i, 0, sent);
                    else if (now >= recoverAt.get(i)) firstGoodSent.compareAndSet(i, 0, sent);
                }
                next += TICK_MS;
                long sleep = next - System.currentTimeMillis();
                if (sleep > 0) {
                    try {
                        Thread.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                } else {
                    next = System.currentTimeMillis();
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            join(5000);
            producer.close(Duration.ofSeconds(10));
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties client, String topic, String runId) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, runId + "-reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static void await(KafkaConsumer<byte[], byte[]> consumer, Duration timeout,
                              Predicate<ConsumerRecord<byte[], byte[]>> done, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                if (done.test(record)) return;
            }
        }
        LOG.warn("Timed out after {} s waiting for {}", timeout.toSeconds(), what);
    }

    private static JsonNode json(byte[] value) {
        if (value == null) return null;
        try {
            return PathMain.JSON.readTree(value);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static int indexOf(String[] values, String value) {
        for (int i = 0; i < values.length; i++) if (values[i].equals(value)) return i;
        return -1;
    }

    private static boolean allTrue(boolean[] values) {
        for (boolean v : values) if (!v) return false;
        return true;
    }

    private static AtomicLongArray filled(int n, long value) {
        AtomicLongArray array = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) array.set(i, value);
        return array;
    }

    static java.util.Map<String, String> toMap(Properties props) {
        java.util.Map<String, String> map = new java.util.TreeMap<>();
        props.forEach((k, v) -> map.put(k.toString(), v.toString()));
        return map;
    }

    static List<Double> seen(double[] seconds) {
        List<Double> out = new ArrayList<>();
        for (double s : seconds) if (!Double.isNaN(s)) out.add(s);
        return out;
    }
}

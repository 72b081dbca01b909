package io.homeostat.bench;

import io.homeostat.cli.InputProbe;
import io.homeostat.cli.StreamsSettings;
import io.homeostat.cli.TopicProvisioner;
import io.homeostat.http.HttpEndpoint;
import io.homeostat.http.HttpSettings;
import io.homeostat.topology.HomeostatTopology;
import io.homeostat.topology.Topics;
import io.homeostat.topology.RuntimeSettings;
import io.homeostat.topology.TopologySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Running the two Kafka Streams paths: Homeostat as shipped, and the naive DSL topology. */
final class StreamsPaths {
    private static final String LOOPBACK = "127.0.0.1";

    private StreamsPaths() {}

    /** The topics of one Homeostat run: the dataset's topic for spans, the others private to the run. */
    static Topics topics(PathConfig config) {
        String p = config.runId() + ".";
        return new Topics(config.topic(), p + "metrics", p + "logs", p + "targets", p + "alerts", p + "issues",
                p + "intents", p + "status", p + "dlq");
    }

    static TopologySettings settings(PathConfig config) {
        return new TopologySettings(topics(config), Duration.ofMillis(config.sliceMs()), Duration.ofMillis(config.graceMs()),
                TopologySettings.DEFAULT_MAX_FUTURE, TopologySettings.DEFAULT_STATUS_INTERVAL, RuntimeSettings.defaults(),
                config.cardinality());
    }

    /** A Kafka Streams application and the names of its key-value stores; {@code probe} closes with it (or null). */
    record App(KafkaStreams streams, List<String> stores, AutoCloseable probe) {
        App(KafkaStreams streams, List<String> stores) {
            this(streams, stores, null);
        }
    }

    /**
     * Homeostat exactly as {@code homeostat run} builds and configures it, exactly-once, one stream thread, with
     * the runner's input probe (lag and fetch health of each input partition) running.
     */
    static App homeostat(PathConfig config) throws Exception {
        return homeostat(config, 0);
    }

    /** @param httpPort when not 0, {@code application.server} is 127.0.0.1 on it, as {@code homeostat run} sets it */
    static App homeostat(PathConfig config, int httpPort) throws Exception {
        Topics topics = topics(config);
        TopicProvisioner.ensure(config.clientProperties(), TopicProvisioner.contractTopics(topics, config.partitions(), (short) 1));
        // With caps, the targets must be there before the data: a requirement's data is refused while the cap is full
        // and its target not applied yet, and a replay takes the oldest records first, so the targets are dated earlier.
        boolean targetsFirst = config.caps() != null && !config.caps().isBlank();
        if (config.requirements() > 0) {
            writeTargets(config.clientProperties(), topics.targets(), config.requirements(),
                    targetsFirst ? System.currentTimeMillis() - 3_600_000 : null);
        }
        java.util.concurrent.atomic.AtomicReference<KafkaStreams> client = new java.util.concurrent.atomic.AtomicReference<>();
        InputProbe probe = new InputProbe(config.clientProperties(), List.of(topics.spans(), topics.metrics()),
                () -> client.get() == null ? Map.of() : client.get().metrics());
        Topology topology = HomeostatTopology.build(settings(config).withInputHealth(probe));
        Properties props = StreamsSettings.of(config.runId(), Path.of(config.stateDir()), 1, StreamsConfig.EXACTLY_ONCE_V2,
                config.clientProperties());
        if (httpPort != 0) props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, LOOPBACK + ":" + httpPort);
        KafkaStreams streams = new KafkaStreams(topology, props);
        client.set(streams);
        probe.start();
        return new App(streams, storeNames(topology.describe()), probe);
    }

    /**
     * Two targets per requirement key, as a team would set them: p95 latency under three times the key's median
     * (met, as the dataset's latencies are log-normal with sigma 0.5), and a success rate of at least 95 %.
     */
    static void writeTargets(Properties client, String topic, int requirements, Long timestamp) throws Exception {
        SpanFactory factory = new SpanFactory(requirements, 1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < requirements; i++) {
                String key = factory.key(i);
                send(producer, topic, timestamp, key + "/span.duration_ms", """
                        {"requirement":"%s","metric":"span.duration_ms","target":%d,"operator":"lt","alert_threshold":0.95,\
                        "window":"1m","min_events":20}""".formatted(key, Math.round(factory.medianMs(i) * 3) + 1));
                send(producer, topic, timestamp, key + "/span.success_rate", """
                        {"requirement":"%s","metric":"span.success_rate","target":0.95,"operator":"gte","window":"1m",\
                        "min_events":20}""".formatted(key));
            }
            producer.flush();
        }
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value) {
        send(producer, topic, null, key, value);
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, Long timestamp, String key, String value) {
        producer.send(new ProducerRecord<>(topic, null, timestamp, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)));
    }

    static PathResult runHomeostat(PathConfig config) throws Exception {
        int httpPort = config.scrapeMs() > 0 ? Scraper.freePort() : 0;
        App app = homeostat(config, httpPort);
        KafkaStreams streams = app.streams();
        MetricSum windowed = new MetricSum(streams, HomeostatTopology.METRICS_GROUP, "spans-windowed-total");
        MetricSum late = new MetricSum(streams, HomeostatTopology.METRICS_GROUP, "late-events-dropped-total");
        // Spans that are not windowed: refused by the requirement cap, or without a requirement (junk datasets).
        MetricSum refused = new MetricSum(streams, HomeostatTopology.METRICS_GROUP, "requirements-refused-total");
        MetricSum unattributed = new MetricSum(streams, HomeostatTopology.METRICS_GROUP, "spans-unattributed-total");
        java.util.function.LongSupplier counted = () -> windowed.getAsLong() + late.getAsLong() + refused.getAsLong()
                + unattributed.getAsLong();
        if (httpPort == 0) return measure(config, app, counted, late);
        // As homeostat run: the endpoint is started before Kafka Streams, and scraped while the path is measured.
        HttpSettings http = new HttpSettings(LOOPBACK, httpPort, new HostInfo(LOOPBACK, httpPort), config.sliceMs(),
                HttpSettings.DEFAULT_MAX_TARGET_METRICS, 1, false);
        try (HttpEndpoint endpoint = HttpEndpoint.start(streams, http, () -> false);
             Scraper scraper = Scraper.start("http://" + LOOPBACK + ":" + httpPort, config.scrapeMs())) {
            PathResult result = measure(config, app, counted, late);
            return new PathResult(result.path(), result.spans(), result.lateSpans(), result.records(), result.seconds(),
                    result.cpuSeconds(), result.brokerCpuSeconds(), result.memory(), scraper.answered());
        }
    }

    static PathResult runNaive(PathConfig config) throws Exception {
        NaiveTopology.AGGREGATED.set(0);
        Properties props = StreamsSettings.of(config.runId(), Path.of(config.stateDir()), 1, StreamsConfig.EXACTLY_ONCE_V2,
                config.clientProperties());
        Topology topology = NaiveTopology.build(config.topic(), config.sliceMs(), config.graceMs());
        KafkaStreams streams = new KafkaStreams(topology, props);
        MetricSum dropped = new MetricSum(streams, "stream-task-metrics", "dropped-records-total");
        // The naive topology's store is a window store: its memory probe reports heap and disk only.
        return measure(config, new App(streams, List.of()), () -> NaiveTopology.AGGREGATED.get() + dropped.getAsLong(),
                dropped);
    }

    private static PathResult measure(PathConfig config, App app, LongSupplier counted, LongSupplier late)
            throws Exception {
        KafkaStreams streams = app.streams();
        CountDownLatch failed = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.ERROR) failed.countDown();
        });
        streams.start();
        try {
            Progress.Interval interval = Progress.await(() -> {
                if (failed.getCount() == 0) throw new IllegalStateException(config.path() + ": Kafka Streams failed");
                return counted.getAsLong();
            }, config.expectedSpans(), config.timeoutMs(), config.brokerPid(), config.path());
            MemorySnapshot memory = config.probeMemory() ? memory(app, config) : null;
            return new PathResult(config.path(), interval.count(), late.getAsLong(), -1, interval.seconds(),
                    interval.cpuSeconds(), interval.brokerCpuSeconds(), memory);
        } finally {
            streams.close(Duration.ofSeconds(30));
            if (app.probe() != null) app.probe().close();
        }
    }

    /**
     * Sum of a metric over all its tags (every task). {@code KafkaStreams#metrics()} copies thousands of
     * metrics, so the matching ones are looked up at most twice a second and read directly in between:
     * sampling every 10 ms must not cost the measured application noticeable CPU.
     */
    static final class MetricSum implements LongSupplier {
        private final KafkaStreams streams;
        private final String group;
        private final String name;
        private List<Metric> metrics = List.of();
        private long lookedUpAt;

        MetricSum(KafkaStreams streams, String group, String name) {
            this.streams = streams;
            this.group = group;
            this.name = name;
        }

        @Override
        public long getAsLong() {
            long now = System.nanoTime();
            if (metrics.isEmpty() || now - lookedUpAt > 500_000_000L) {
                List<Metric> found = new ArrayList<>();
                for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
                    if (e.getKey().name().equals(name) && e.getKey().group().equals(group)) found.add(e.getValue());
                }
                metrics = found;
                lookedUpAt = now;
            }
            double total = 0;
            for (Metric metric : metrics) {
                if (metric.metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) total += n.doubleValue();
            }
            return Math.round(total);
        }
    }

    /** Heap after GC, and every key-value store's entries and bytes through interactive queries. */
    static MemorySnapshot memory(App app, PathConfig config) throws Exception {
        KafkaStreams streams = app.streams();
        Map<String, Long> entries = new TreeMap<>();
        Map<String, Long> bytes = new TreeMap<>();
        for (String store : app.stores()) {
            ReadOnlyKeyValueStore<Object, Object> view = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            long n = 0;
            long size = 0;
            try (KeyValueIterator<Object, Object> it = view.all()) {
                while (it.hasNext()) {
                    KeyValue<Object, Object> entry = it.next();
                    n++;
                    size += sizeOf(entry.key) + sizeOf(entry.value);
                }
            }
            entries.put(store, n);
            bytes.put(store, size);
        }
        long homeostatMetrics = 0;
        long serviceCounters = 0;
        long refusedSpans = 0;
        Map<MetricName, ? extends Metric> all = streams.metrics();
        for (Map.Entry<MetricName, ? extends Metric> e : all.entrySet()) {
            MetricName name = e.getKey();
            if (!name.group().equals(HomeostatTopology.METRICS_GROUP)) continue;
            homeostatMetrics++;
            if (name.name().endsWith("-unattributed-total")) serviceCounters++;
            if (name.name().equals("requirements-refused-total") && e.getValue().metricValue() instanceof Number n) {
                refusedSpans += Math.round(n.doubleValue());
            }
        }
        long heap = Probes.heapAfterGc();
        return new MemorySnapshot(heap, Probes.residentBytes(), entries, bytes, Probes.directoryBytes(Path.of(config.stateDir())),
                all.size(), homeostatMetrics, serviceCounters, refusedSpans);
    }

    private static long sizeOf(Object value) {
        if (value == null) return 0;
        if (value instanceof byte[] b) return b.length;
        if (value instanceof Bytes b) return b.get().length;
        if (value instanceof String s) return s.getBytes(StandardCharsets.UTF_8).length;
        return 0;
    }

    /** Store names of a topology's processors. */
    static List<String> storeNames(TopologyDescription description) {
        List<String> names = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    for (String store : processor.stores()) if (!names.contains(store)) names.add(store);
                }
            }
        }
        return names;
    }
}

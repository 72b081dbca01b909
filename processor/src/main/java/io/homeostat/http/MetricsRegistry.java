package io.homeostat.http;

import io.homeostat.topology.HomeostatTopology;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code /metrics} serves, in the Prometheus text format written by Micrometer's Prometheus registry:
 * <ul>
 *   <li>every metric of the Kafka Streams client and its embedded clients (Micrometer's {@code KafkaStreamsMetrics}
 *       binder): {@code kafka_stream_*} (thread process rate, commit latency, task dropped records, restoration),
 *       {@code kafka_consumer_fetch_manager_records_lag{topic,partition}} (consumer lag per partition),
 *       {@code kafka_producer_*}, ...;</li>
 *   <li>Homeostat's own counters (the Streams metrics group {@value HomeostatTopology#METRICS_GROUP}), renamed from
 *       {@code kafka_stream_homeostat_*} to {@code homeostat_*}, e.g. {@code homeostat_spans_decoded_total};</li>
 *   <li>{@code homeostat_streams_state{state}}: 1 for the client's current state;</li>
 *   <li>per target ({@link TargetMetrics}): state, actual, objective, good ratio, deviation, events;</li>
 *   <li>the JVM's and the process' metrics ({@code jvm_*}, {@code process_*}, {@code system_*}).</li>
 * </ul>
 * Label cardinality is bounded: per-target series by {@code maxTargets}, and the counters tagged with a service
 * (telemetry without a requirement) by {@value #MAX_SERVICES} services.
 */
final class MetricsRegistry implements AutoCloseable {
    static final int MAX_SERVICES = 100;
    private static final String KAFKA_HOMEOSTAT_PREFIX = "kafka." + HomeostatTopology.METRICS_GROUP
            .replace("-metrics", "").replace('-', '.') + ".";
    static final String TEXT_004 = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "homeostat-metrics-refresh");
        t.setDaemon(true);
        return t;
    });
    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    /**
     * @param debugMetrics whether Kafka Streams records its DEBUG-level metrics ({@code metrics.recording.level}); if
     *                     not, those stay 0 and are left out (they are more than half of all its metrics)
     */
    MetricsRegistry(KafkaStreams streams, LocalStores stores, int maxTargets, boolean debugMetrics) {
        registry.config()
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        return id.getName().startsWith(KAFKA_HOMEOSTAT_PREFIX)
                                ? id.withName("homeostat." + id.getName().substring(KAFKA_HOMEOSTAT_PREFIX.length())) : id;
                    }
                })
                // Senders choose service names: the counters of telemetry without a requirement keep at most this many.
                .meterFilter(MeterFilter.maximumAllowableTags("homeostat.", "service", MAX_SERVICES, MeterFilter.deny()));
        if (!debugMetrics) registry.config().meterFilter(MeterFilter.deny(MetricsRegistry::recordedAtDebugOnly));
        // New tasks (after a rebalance) bring new Streams metrics: looked for every 10 s.
        streamsMetrics = new KafkaStreamsMetrics(streams, Tags.empty(), refresher, Duration.ofSeconds(10));
        streamsMetrics.bindTo(registry);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("homeostat.streams.state", streams, s -> s.state() == state ? 1 : 0)
                    .description("1 for the Kafka Streams client's current state, 0 for the others")
                    .tag("state", state.name()).register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        registry.getPrometheusRegistry().register(new TargetMetrics(stores, maxTargets));
    }

    /**
     * Kafka Streams' metrics that it records only at the DEBUG (or TRACE) recording level: per state store, the
     * operation latencies and rates and RocksDB's statistics (not its properties, KIP-607, nor the open iterators,
     * KIP-989, which it records at INFO); per processor node, the process rate (not the end-to-end latency).
     */
    static boolean recordedAtDebugOnly(Meter.Id id) {
        String name = id.getName();
        if (name.startsWith("kafka.stream.processor.node.")) return !name.contains(".record.e2e.latency.");
        if (!name.startsWith("kafka.stream.state.") || name.startsWith("kafka.stream.state.updater.")) return false;
        return !INFO_STATE_METRICS.contains(name.substring("kafka.stream.state.".length()));
    }

    /** Per-store metrics Kafka Streams records at INFO: RocksDB properties (KIP-607), open iterators (KIP-989). */
    private static final Set<String> INFO_STATE_METRICS = Set.of("num.entries.active.mem.table",
            "num.deletes.active.mem.table", "num.entries.imm.mem.tables", "num.deletes.imm.mem.tables",
            "num.immutable.mem.table", "cur.size.active.mem.table", "cur.size.all.mem.tables", "size.all.mem.tables",
            "mem.table.flush.pending", "num.running.flushes", "compaction.pending", "num.running.compactions",
            "estimate.pending.compaction.bytes", "total.sst.files.size", "live.sst.files.size", "num.live.versions",
            "block.cache.capacity", "block.cache.usage", "block.cache.pinned.usage", "estimate.num.keys",
            "estimate.table.readers.mem", "background.errors", "num.open.iterators", "iterator.duration.avg",
            "iterator.duration.max", "oldest.iterator.open.since.ms");

    /** The content type to answer a scrape with: OpenMetrics when the scraper asks for it, else text 0.0.4. */
    static String contentType(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT_004;
    }

    void scrape(OutputStream out, String contentType) throws IOException {
        registry.scrape(out, contentType);
    }

    @Override
    public void close() {
        streamsMetrics.close();
        gcMetrics.close();
        refresher.shutdownNow();
        registry.close();
    }
}

package io.homeostat.cli;

import io.homeostat.topology.InputHealth;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's {@link InputHealth}: every second, on a thread of its own, it asks the broker for the end of each
 * input partition (a partition whose end cannot be had within two seconds, because the broker or the partition's
 * leader does not answer, is unreadable once that has lasted {@value #UNREADABLE_AFTER_MS} ms), and reads the
 * stream threads' consumer lag per partition ({@code records-lag} of {@code consumer-fetch-manager-metrics}: records
 * on the broker beyond the consumer's position, as of its last fetch). The decode tasks read the snapshot it
 * keeps; they never wait for it.
 */
public final class InputProbe implements InputHealth, AutoCloseable {
    static final long UNREADABLE_AFTER_MS = 3_000;
    private static final long PROBE_EVERY_MS = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(InputProbe.class);
    private static final String FETCH_METRICS = "consumer-fetch-manager-metrics";

    private final List<String> topics;
    private final Admin admin;
    private final Supplier<Map<MetricName, ? extends Metric>> metrics;
    private final LongSupplier clock;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "homeostat-input-probe");
        t.setDaemon(true);
        return t;
    });
    /** What the last probe found; replaced whole, read without locks. */
    private volatile Map<TopicPartition, InputHealth.Partition> snapshot = Map.of();
    private final Map<TopicPartition, Long> lastReadable = new HashMap<>();
    private final Map<TopicPartition, Boolean> reported = new HashMap<>();

    /**
     * @param client  how to reach Kafka (the processor's client properties)
     * @param metrics the Kafka Streams client's metrics ({@code KafkaStreams::metrics})
     */
    public InputProbe(Properties client, List<String> topics, Supplier<Map<MetricName, ? extends Metric>> metrics) {
        this(Admin.create(adminProperties(client)), topics, metrics, System::currentTimeMillis);
    }

    InputProbe(Admin admin, List<String> topics, Supplier<Map<MetricName, ? extends Metric>> metrics, LongSupplier clock) {
        this.admin = admin;
        this.topics = List.copyOf(topics);
        this.metrics = metrics;
        this.clock = clock;
    }

    private static Properties adminProperties(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "homeostat-input-probe");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000);
        return props;
    }

    public void start() {
        thread.scheduleWithFixedDelay(this::probeQuietly, 0, PROBE_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public InputHealth.Partition of(String topic, int partition) {
        InputHealth.Partition known = snapshot.get(new TopicPartition(topic, partition));
        return known != null ? known : new InputHealth.Partition(-1, true, 0);
    }

    private void probeQuietly() {
        try {
            probe();
        } catch (RuntimeException e) {
            LOG.debug("Input probe failed", e);
        }
    }

    /** One round: partition counts and ends from the broker, lag from the consumers. */
    void probe() {
        long now = clock.getAsLong();
        Map<String, Integer> partitions = new HashMap<>();
        Map<TopicPartition, Boolean> answered = new HashMap<>();
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(PROBE_EVERY_MS * 2, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (TopicDescription topic : described.values()) {
                partitions.put(topic.name(), topic.partitions().size());
                for (TopicPartitionInfo info : topic.partitions()) {
                    ends.put(new TopicPartition(topic.name(), info.partition()), OffsetSpec.latest());
                }
            }
            ListOffsetsResult result = admin.listOffsets(ends, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
            for (TopicPartition tp : ends.keySet()) answered.put(tp, answered(result.partitionResult(tp)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            // The broker does not answer: no partition counts as read this round.
        }
        Map<TopicPartition, Long> lags = lags();
        Map<TopicPartition, InputHealth.Partition> next = new HashMap<>();
        for (TopicPartition tp : union(answered.keySet(), lastReadable.keySet(), lags.keySet())) {
            if (Boolean.TRUE.equals(answered.get(tp))) lastReadable.put(tp, now);
            long since = lastReadable.getOrDefault(tp, Long.MIN_VALUE);
            boolean readable = since != Long.MIN_VALUE && now - since < UNREADABLE_AFTER_MS;
            if (since == Long.MIN_VALUE && !answered.containsKey(tp)) readable = true; // never probed: not known to fail
            if (!readable && !Boolean.FALSE.equals(reported.put(tp, false))) {
                LOG.warn("Input partition {} cannot be read (no answer from its leader for {} s): verdicts on its data wait",
                        tp, (now - since) / 1000);
            } else if (readable && Boolean.FALSE.equals(reported.put(tp, true))) {
                LOG.info("Input partition {} can be read again", tp);
            }
            next.put(tp, new InputHealth.Partition(lags.getOrDefault(tp, -1L), readable,
                    partitions.getOrDefault(tp.topic(), snapshotPartitions(tp.topic()))));
        }
        snapshot = Map.copyOf(next);
    }

    private static boolean answered(KafkaFuture<ListOffsetsResult.ListOffsetsResultInfo> future) throws InterruptedException {
        try {
            future.get(PROBE_EVERY_MS * 2, TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private int snapshotPartitions(String topic) {
        for (Map.Entry<TopicPartition, InputHealth.Partition> e : snapshot.entrySet()) {
            if (e.getKey().topic().equals(topic)) return e.getValue().partitions();
        }
        return 0;
    }

    /** The main consumers' lag per input partition; the metrics' topic tag has '.' replaced by '_'. */
    private Map<TopicPartition, Long> lags() {
        Map<String, String> byTag = new HashMap<>();
        for (String topic : topics) byTag.put(topic.replace('.', '_'), topic);
        Map<TopicPartition, Long> lags = new HashMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.get().entrySet()) {
            MetricName name = e.getKey();
            if (!FETCH_METRICS.equals(name.group()) || !"records-lag".equals(name.name())) continue;
            String clientId = name.tags().getOrDefault("client-id", "");
            if (clientId.endsWith("-restore-consumer")) continue;
            String topic = byTag.get(name.tags().get("topic"));
            String partition = name.tags().get("partition");
            if (topic == null || partition == null) continue;
            if (e.getValue().metricValue() instanceof Number lag && !Double.isNaN(lag.doubleValue())) {
                lags.merge(new TopicPartition(topic, Integer.parseInt(partition)), (long) lag.doubleValue(), Math::max);
            }
        }
        return lags;
    }

    @SafeVarargs
    private static <T> java.util.Set<T> union(java.util.Set<T>... sets) {
        java.util.Set<T> all = new java.util.HashSet<>();
        for (java.util.Set<T> set : sets) all.addAll(set);
        return all;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        admin.close(Duration.ofSeconds(5));
    }
}

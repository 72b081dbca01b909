package io.homeostat.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Watches the processors' progress from outside: every half second, the application's committed offsets on the
 * spans topic (committed with each transaction under exactly-once), so that the time from a fault to the next
 * commit on the failed instance's partitions can be read off afterwards.
 */
final class Progress extends Thread implements AutoCloseable {
    private record Sample(long at, Map<TopicPartition, Long> committed) {}

    private final Properties client;
    private final String topic;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean running = true;

    Progress(Properties client, String topic) {
        super("faults-progress");
        setDaemon(true);
        this.client = adminProperties(client);
        this.topic = topic;
    }

    static Properties adminProperties(Properties client) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        return props;
    }

    @Override
    public void run() {
        try (Admin admin = Admin.create(client)) {
            while (running) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(Instance.APPLICATION_ID)
                            .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
                    Map<TopicPartition, Long> committed = new HashMap<>();
                    offsets.forEach((tp, o) -> {
                        if (o != null && tp.topic().equals(topic)) committed.put(tp, o.offset());
                    });
                    synchronized (samples) {
                        samples.add(new Sample(System.currentTimeMillis(), committed));
                    }
                } catch (Exception e) {
                    // the broker is away: no sample
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The spans-topic partitions assigned to an instance's consumer(s) now. */
    static Set<TopicPartition> owned(Properties client, Instance instance, String topic) {
        Set<TopicPartition> owned = new HashSet<>();
        try (Admin admin = Admin.create(adminProperties(client))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(Instance.APPLICATION_ID))
                    .describedGroups().get(Instance.APPLICATION_ID).get(5, TimeUnit.SECONDS);
            for (MemberDescription member : group.members()) {
                if (!member.clientId().startsWith(instance.clientId() + "-")) continue;
                for (TopicPartition tp : member.assignment().topicPartitions()) {
                    if (tp.topic().equals(topic)) owned.add(tp);
                }
            }
        } catch (Exception e) {
            // unknown: recovery is then measured over every partition
        }
        return owned;
    }

    /** The committed offsets at the newest sample at or before {@code at}. */
    Map<TopicPartition, Long> committedAt(long at) {
        synchronized (samples) {
            Map<TopicPartition, Long> found = Map.of();
            for (Sample s : samples) {
                if (s.at > at) break;
                found = s.committed;
            }
            return found;
        }
    }

    /**
     * Milliseconds from {@code faultAt} until every one of {@code partitions} (all of them when empty) has committed
     * beyond where it stood at the fault, or {@code -1} if that has not happened yet.
     */
    long recoveredAfter(long faultAt, Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> before = committedAt(faultAt);
        Set<TopicPartition> waiting = new HashSet<>(partitions.isEmpty() ? before.keySet() : partitions);
        synchronized (samples) {
            for (Sample s : samples) {
                if (s.at <= faultAt) continue;
                waiting.removeIf(tp -> s.committed.getOrDefault(tp, -1L) > before.getOrDefault(tp, -1L));
                if (waiting.isEmpty()) return s.at - faultAt;
            }
        }
        return -1;
    }

    /** Whether every partition of the topic has been committed up to its end (the processors are caught up). */
    static boolean caughtUp(Properties client, String topic) {
        try (Admin admin = Admin.create(adminProperties(client))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(Instance.APPLICATION_ID)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            committed.keySet().stream().filter(tp -> tp.topic().equals(topic)).forEach(tp -> ask.put(tp, OffsetSpec.latest()));
            if (ask.isEmpty()) return false;
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(ask,
                    new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(5, TimeUnit.SECONDS);
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                // One record may be in flight between two commits while traffic flows.
                if (c == null || c.offset() < e.getValue().offset() - 1) return false;
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        join(10_000);
    }
}

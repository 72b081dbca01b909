package io.homeostat.cli;

import io.homeostat.topology.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the contract's topics that do not exist yet; never changes existing ones. */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {}

    /** The topics of the contract; targets and status are compacted (their key is the target id). */
    public static List<NewTopic> contractTopics(Topics topics, int partitions, short replicationFactor) {
        Optional<Integer> p = Optional.of(partitions);
        Optional<Short> rf = replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty();
        Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        List<NewTopic> all = new ArrayList<>();
        for (String name : List.of(topics.spans(), topics.metrics(), topics.logs(), topics.alerts(), topics.issues(),
                topics.intents(), topics.deadLetters())) {
            all.add(new NewTopic(name, p, rf));
        }
        all.add(new NewTopic(topics.targets(), p, rf).configs(compacted));
        all.add(new NewTopic(topics.status(), p, rf).configs(compacted));
        return all;
    }

    /** The topics of {@code names} that do not exist. */
    public static List<String> missing(Properties clientProperties, List<String> names)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(clientProperties)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            return names.stream().filter(name -> !existing.contains(name)).distinct().toList();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("Kafka did not answer within 60s at "
                    + clientProperties.get("bootstrap.servers"), e);
        }
    }

    /** @return names of the topics this call created */
    public static List<String> ensure(Properties clientProperties, List<NewTopic> wanted)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(clientProperties)) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            List<String> created = new ArrayList<>();
            if (missing.isEmpty()) return created;
            var results = admin.createTopics(missing).values();
            for (NewTopic topic : missing) {
                try {
                    results.get(topic.name()).get(60, TimeUnit.SECONDS);
                    created.add(topic.name());
                    LOG.info("Created topic {} ({} partitions{})", topic.name(), topic.numPartitions(),
                            topic.configs() == null || topic.configs().isEmpty() ? "" : ", " + topic.configs());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) throw e;
                }
            }
            awaitWritable(admin, created);
            return created;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("Kafka did not answer within 60s at "
                    + clientProperties.get("bootstrap.servers"), e);
        }
    }

    /**
     * Waits until every partition of the new topics is served by its leader. A producer that writes to a partition
     * its leader has not opened yet can lose a batch without an error (KAFKA-15591, fixed in Kafka 4.5): the
     * first request fails with NOT_LEADER_OR_FOLLOWER, the next one overtakes it, and the retried first one is
     * then refused as out of order until it expires. Listing a partition's latest offset is answered by the
     * leader's replica manager, so once it succeeds for every partition, writing is safe.
     */
    public static void awaitWritable(Admin admin, List<String> topics) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        if (topics.isEmpty()) return;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).values().forEach(description ->
                        description.partitions().forEach(p -> partitions.put(
                                new TopicPartition(description.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.debug("New topics not served by their leaders yet ({}); waiting", e.getCause().getMessage());
                Thread.sleep(100);
            }
        }
    }
}

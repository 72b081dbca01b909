package io.homeostat.cli;

import io.homeostat.topology.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
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
            return created;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ExecutionException("Kafka did not answer within 60s at "
                    + clientProperties.get("bootstrap.servers"), e);
        }
    }
}

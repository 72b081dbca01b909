package io.homeostat.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code homeostat topics create}: the contract's topics, with compaction where the contract asks for it. */
@Command(name = "topics", mixinStandardHelpOptions = true, description = "Manage Homeostat's Kafka topics.",
        subcommands = TopicsCommand.Create.class)
public final class TopicsCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create every contract topic that does not exist yet (existing topics are left alone).")
    static final class Create implements Callable<Integer> {
        @Mixin KafkaOptions kafka;
        @Mixin TopicOptions topicOptions;
        @Spec CommandSpec spec;

        @Option(names = "--partitions", defaultValue = "3", description = "Partitions per topic (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--replication-factor", defaultValue = "-1",
                description = "Replication factor; -1 = broker default (default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        @Override
        public Integer call() throws Exception {
            if (partitions < 1) throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, was " + partitions);
            kafka.checkReachable();
            List<String> created = TopicProvisioner.ensure(kafka.clientProperties(),
                    TopicProvisioner.contractTopics(topicOptions.topics(), partitions, replicationFactor));
            System.out.println(created.isEmpty() ? "All topics exist." : "Created: " + String.join(", ", created));
            return 0;
        }
    }
}

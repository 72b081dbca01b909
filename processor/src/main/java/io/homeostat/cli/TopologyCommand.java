package io.homeostat.cli;

import io.homeostat.topology.HomeostatTopology;
import io.homeostat.topology.TopologyDiagram;
import io.homeostat.topology.TopologySettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.TopologyDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code homeostat topology}: the processor's topology, as Kafka Streams describes it, or as a diagram. */
@Command(name = "topology", mixinStandardHelpOptions = true,
        description = "Print the processor's Kafka Streams topology (the same text as topology-docs/).")
public final class TopologyCommand implements Callable<Integer> {
    enum Format { text, mermaid }

    @Mixin TopicOptions topicOptions;

    @Option(names = "--format", defaultValue = "text", description = "text or mermaid (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--slice", defaultValue = "5s", converter = DurationConverter.class, hidden = true)
    Duration slice;

    @Override
    public Integer call() {
        TopologyDescription description = HomeostatTopology.build(
                new TopologySettings(topicOptions.topics(), slice, TopologySettings.DEFAULT_GRACE)).describe();
        System.out.print(format == Format.mermaid ? TopologyDiagram.mermaid(description) : description.toString());
        return 0;
    }
}

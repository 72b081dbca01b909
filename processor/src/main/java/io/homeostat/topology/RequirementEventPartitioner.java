package io.homeostat.topology;

import io.homeostat.evaluate.RequirementEvent;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Where a record of the requirement-events topic goes: to the partition of its key, as Kafka Streams' default
 * does (the producer's murmur2 of the key: {@link Optional#empty()}), except an event every requirement task
 * must see ({@link RequirementEvent#broadcast()}: a source's watermark), which goes to every partition (a
 * multicast, KIP-837). A watermark follows the source's data on each partition, since one producer writes both
 * in order: a requirement task that reads the watermark has read the data before it.
 */
final class RequirementEventPartitioner implements StreamPartitioner<String, RequirementEvent> {
    private volatile Set<Integer> all = Set.of();

    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, RequirementEvent event, int numPartitions) {
        if (event == null || !event.broadcast()) return Optional.empty();
        Set<Integer> partitions = all;
        if (partitions.size() != numPartitions) {
            partitions = IntStream.range(0, numPartitions).boxed().collect(Collectors.toUnmodifiableSet());
            all = partitions;
        }
        return Optional.of(partitions);
    }
}

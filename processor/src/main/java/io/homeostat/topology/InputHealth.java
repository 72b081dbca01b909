package io.homeostat.topology;

/**
 * What the runner knows about reading each input partition, which the topology cannot see from inside a task:
 * whether the consumer can fetch it, and whether records are waiting on the broker. The decode tasks ask it
 * for their partition when they say how far their input is read ({@code RequirementEvent.SourceWatermark}), so
 * that "the service went quiet" is told from "we cannot read". {@code homeostat run} hands in one built from the
 * consumer's lag and a probe of the broker ({@code cli.InputProbe}); {@link #ASSUMED_READABLE}, for the
 * topology test driver, says every partition is read up to its end.
 */
@FunctionalInterface
public interface InputHealth {
    /**
     * @param lag        records on the broker the consumer has not fetched yet; {@code -1} when unknown (not
     *                   fetched yet): a partition is taken to have a backlog only when it is known to have one
     * @param readable   {@code false} while the partition cannot be fetched (the broker, or the partition's
     *                   leader, does not answer)
     * @param partitions how many partitions the topic has, {@code 0} when unknown
     */
    record Partition(long lag, boolean readable, int partitions) {
        public static final Partition READ_TO_END = new Partition(0, true, 0);
    }

    Partition of(String topic, int partition);

    /** Every partition readable and read up to its end (the test driver's input is always all there). */
    InputHealth ASSUMED_READABLE = (topic, partition) -> Partition.READ_TO_END;
}

package io.homeostat.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.Json;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * The probes. <b>Live</b> fails when the processor cannot recover by itself: Kafka Streams is in ERROR (or on
 * its way there), a stream thread failure stopped the client ({@code homeostat run} exits 1 then), or fewer stream
 * threads are alive than configured (a thread died and was not replaced). A restarting or rebalancing processor is
 * live. <b>Ready</b> needs live, Kafka Streams RUNNING, and no state store being restored from its changelog.
 */
public final class Health implements StateRestoreListener {
    private final Supplier<KafkaStreams.State> state;
    private final Supplier<List<String>> threadStates;
    private final int threads;
    private final BooleanSupplier stoppedByFailure;
    private final Set<String> restoring = ConcurrentHashMap.newKeySet();

    /**
     * @param threads          the stream threads configured
     * @param stoppedByFailure whether a stream thread's failure made the client stop (it will not come back)
     */
    public Health(KafkaStreams streams, int threads, BooleanSupplier stoppedByFailure) {
        this(streams::state, () -> streams.metadataForLocalThreads().stream().map(ThreadMetadata::threadState).toList(),
                threads, stoppedByFailure);
    }

    /** @param threadStates the states of the client's stream threads (Kafka Streams' thread metadata) */
    Health(Supplier<KafkaStreams.State> state, Supplier<List<String>> threadStates, int threads,
           BooleanSupplier stoppedByFailure) {
        this.state = state;
        this.threadStates = threadStates;
        this.threads = threads;
        this.stoppedByFailure = stoppedByFailure;
    }

    /** An answer of a probe: whether it passes, and the JSON body that says why. */
    public record Probe(boolean up, ObjectNode body) {}

    public Probe live() {
        KafkaStreams.State state = this.state.get();
        long alive = aliveThreads(state);
        String problem = null;
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            problem = "Kafka Streams is in " + state + ": the processor stops (exit 1) for its supervisor to restart it";
        } else if (stoppedByFailure.getAsBoolean()) {
            problem = "a stream thread failed too often and the processor is stopping (exit 1)";
        } else if (alive >= 0 && alive < threads) {
            problem = "only " + alive + " of " + threads + " stream threads are alive";
        }
        return probe(problem, state, alive);
    }

    public Probe ready() {
        Probe live = live();
        if (!live.up()) return live;
        KafkaStreams.State state = this.state.get();
        String problem = null;
        if (state != KafkaStreams.State.RUNNING) {
            problem = "Kafka Streams is " + state + (state == KafkaStreams.State.REBALANCING
                    ? " (partitions are being assigned or state restored)" : "");
        } else if (!restoring.isEmpty()) {
            problem = restoring.size() + " state store partition(s) are being restored from their changelogs";
        }
        return probe(problem, state, aliveThreads(state));
    }

    /** Alive stream threads while running or rebalancing; -1 in other states, where the count says nothing. */
    private long aliveThreads(KafkaStreams.State state) {
        if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) return -1;
        try {
            return threadStates.get().stream().filter(s -> !"DEAD".equals(s) && !"PENDING_SHUTDOWN".equals(s)).count();
        } catch (RuntimeException e) {
            return -1; // closing meanwhile
        }
    }

    private Probe probe(String problem, KafkaStreams.State state, long alive) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", problem == null ? "UP" : "DOWN");
        body.put("state", state.name());
        if (alive >= 0) body.put("alive_threads", alive);
        body.put("configured_threads", threads);
        body.put("restoring_stores", restoring.size());
        if (problem != null) body.put("reason", problem);
        return new Probe(problem == null, body);
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
        restoring.add(storeName + "@" + partition);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {}

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(storeName + "@" + partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
        restoring.remove(storeName + "@" + partition);
    }
}

package io.homeostat.bench;

import java.util.Map;

/**
 * Memory of a path's JVM after a full GC, and its state stores.
 *
 * @param heapUsedBytes   heap in use after {@code System.gc()}
 * @param rssBytes        resident set size of the process (includes RocksDB's native memory)
 * @param storeEntries    entries per state store (interactive queries over every store)
 * @param storeBytes      key + value bytes per state store
 * @param stateDirBytes   bytes on disk under the state directory (RocksDB files, checkpoints)
 * @param metrics         metrics of the Kafka Streams client (all of Kafka's and Homeostat's)
 * @param homeostatMetrics Homeostat's own metrics (two per counter: total and rate)
 * @param serviceCounters per-service counters of unattributed telemetry ({@code *-unattributed-total})
 * @param refusedSpans    spans refused by the requirement cap ({@code requirements-refused-total})
 */
public record MemorySnapshot(long heapUsedBytes, long rssBytes, Map<String, Long> storeEntries,
                             Map<String, Long> storeBytes, long stateDirBytes, long metrics, long homeostatMetrics,
                             long serviceCounters, long refusedSpans) {

    public long totalStoreEntries() {
        return storeEntries.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalStoreBytes() {
        return storeBytes.values().stream().mapToLong(Long::longValue).sum();
    }
}

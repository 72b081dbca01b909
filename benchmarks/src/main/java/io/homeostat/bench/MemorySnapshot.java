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
 */
public record MemorySnapshot(long heapUsedBytes, long rssBytes, Map<String, Long> storeEntries,
                             Map<String, Long> storeBytes, long stateDirBytes) {

    public long totalStoreEntries() {
        return storeEntries.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalStoreBytes() {
        return storeBytes.values().stream().mapToLong(Long::longValue).sum();
    }
}

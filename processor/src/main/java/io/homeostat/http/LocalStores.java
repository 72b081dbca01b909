package io.homeostat.http;

import io.homeostat.topology.QueryableStores;
import io.homeostat.topology.SliceReader;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's stores, read through Kafka Streams' interactive queries: active tasks only (no standby, no
 * stale data), read-only. Each accessor throws {@link InvalidStateStoreException} while the store cannot be
 * queried (starting, rebalancing, migrating): the API answers 503 then.
 */
final class LocalStores {
    private static final Logger LOG = LoggerFactory.getLogger(LocalStores.class);

    private final KafkaStreams streams;
    private final long sliceMs;

    LocalStores(KafkaStreams streams, long sliceMs) {
        this.streams = streams;
        this.sliceMs = sliceMs;
    }

    ReadOnlyKeyValueStore<String, byte[]> byName(String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> slices(String store) {
        return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()));
    }

    ReadOnlyKeyValueStore<String, byte[]> targets() {
        return byName(QueryableStores.TARGETS);
    }

    ReadOnlyKeyValueStore<String, byte[]> statuses() {
        return byName(QueryableStores.TARGET_STATUS);
    }

    ReadOnlyKeyValueStore<String, byte[]> episodes() {
        return byName(QueryableStores.ALERT_EPISODES);
    }

    ReadOnlyKeyValueStore<String, byte[]> unattributed() {
        return byName(QueryableStores.UNATTRIBUTED);
    }

    ReadOnlyKeyValueStore<String, byte[]> routes() {
        return byName(QueryableStores.TARGET_ROUTES);
    }

    ReadOnlyKeyValueStore<String, byte[]> issues() {
        return byName(QueryableStores.PRODUCTION_ISSUES);
    }

    /** The slices of this instance's requirements. An unreadable slice is left out (its task reports and counts it). */
    SliceReader sliceReader() {
        return new SliceReader(sliceMs, slices(QueryableStores.SPAN_SLICES), slices(QueryableStores.METRIC_SLICES),
                (store, key, error, consequence) -> LOG.debug("Store {}: the value of key {} cannot be read ({}); left out of "
                        + "the series", store, key, error.getMessage()));
    }

    long sliceMs() {
        return sliceMs;
    }
}

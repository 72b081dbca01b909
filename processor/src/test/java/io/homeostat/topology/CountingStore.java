package io.homeostat.topology;

import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A key-value store that counts what is done to it: reads, writes, deletes, scans and the entries they read. */
final class CountingStore implements KeyValueStore<Bytes, byte[]> {
    private final KeyValueStore<Bytes, byte[]> inner;
    long gets;
    long puts;
    long deletes;
    long ranges;
    long fullScans;
    long entriesRead;

    CountingStore(KeyValueStore<Bytes, byte[]> inner) {
        this.inner = inner;
    }

    void reset() {
        gets = puts = deletes = ranges = fullScans = entriesRead = 0;
    }

    /** Every store operation and entry read: what a purge cost. */
    long touched() {
        return gets + puts + deletes + entriesRead;
    }

    long size() {
        long n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = inner.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        puts++;
        inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        puts++;
        return inner.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        puts += entries.size();
        inner.putAll(entries);
    }

    @Override
    public byte[] delete(Bytes key) {
        deletes++;
        return inner.delete(key);
    }

    @Override
    public byte[] get(Bytes key) {
        gets++;
        return inner.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        ranges++;
        return counting(inner.range(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        fullScans++;
        return counting(inner.all());
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    private KeyValueIterator<Bytes, byte[]> counting(KeyValueIterator<Bytes, byte[]> it) {
        return new KeyValueIterator<>() {
            @Override
            public void close() {
                it.close();
            }

            @Override
            public Bytes peekNextKey() {
                return it.peekNextKey();
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                entriesRead++;
                return it.next();
            }
        };
    }
}

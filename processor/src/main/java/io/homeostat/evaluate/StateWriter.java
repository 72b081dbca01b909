package io.homeostat.evaluate;

/**
 * Where a part of the evaluation writes its state through to: a changelogged store under Kafka Streams, a
 * map in a test. Each part keeps its own mirror for reading; the store is the truth on restore.
 */
public interface StateWriter<V> {
    void put(String key, V value);

    void delete(String key);
}

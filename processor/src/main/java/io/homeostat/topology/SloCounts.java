package io.homeostat.topology;

import io.homeostat.evaluate.SloTracker;
import io.homeostat.slo.CountBlock;
import io.homeostat.slo.SloCodec;
import io.homeostat.slo.SloHistory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The {@code slo-counts} store: every SLO target's history ({@link SloHistory}) as blocks, keyed
 * {@code targetId 0x00 level start} (level one byte: 0 minute blocks, 1 hour blocks; start 8 bytes big-endian),
 * so that a target's blocks of a level are one range scan in time order. Values: {@link SloCodec}.
 */
final class SloCounts implements SloTracker.Store {
    static final String STORE = "slo-counts";

    private final KeyValueStore<Bytes, byte[]> store;
    private final UnreadableState unreadable;

    SloCounts(KeyValueStore<Bytes, byte[]> store, UnreadableState unreadable) {
        this.store = store;
        this.unreadable = unreadable;
    }

    static Bytes key(String targetId, int level, long start) {
        byte[] id = targetId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(id.length + 1 + 1 + 8).put(id).put((byte) 0).put((byte) level)
                .putLong(start).array());
    }

    private static Bytes prefixEnd(String targetId, int level) {
        byte[] id = targetId.getBytes(StandardCharsets.UTF_8);
        byte[] end = Arrays.copyOf(id, id.length + 2);
        end[id.length + 1] = (byte) (level + 1);
        return Bytes.wrap(end);
    }

    static long start(Bytes key) {
        byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
    }

    @Override
    public SloHistory.Store of(String targetId) {
        return new SloHistory.Store() {
            @Override
            public CountBlock get(int level, long start) {
                Bytes key = key(targetId, level, start);
                byte[] value = store.get(key);
                if (value == null) return null;
                try {
                    return SloCodec.decode(value);
                } catch (IllegalArgumentException e) {
                    unreadable.report(STORE, targetId + " " + (level == 0 ? "minute" : "hour") + " block " + start, e,
                            "its counts are left out of the SLO's history (the budget counts them neither good nor bad)");
                    store.delete(key);
                    return null;
                }
            }

            @Override
            public void put(int level, long start, CountBlock block) {
                store.put(key(targetId, level, start), SloCodec.encode(block));
            }

            @Override
            public void delete(int level, long start) {
                store.delete(key(targetId, level, start));
            }

            @Override
            public List<Long> starts(int level) {
                List<Long> starts = new ArrayList<>();
                // Times are epoch milliseconds, never negative: big-endian bytes sort as the numbers do.
                try (KeyValueIterator<Bytes, byte[]> it = store.range(key(targetId, level, 0), prefixEnd(targetId, level))) {
                    while (it.hasNext()) starts.add(start(it.next().key));
                }
                return starts;
            }
        };
    }

    @Override
    public void forget(String targetId) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(key(targetId, 0, 0), prefixEnd(targetId, 2))) {
            while (it.hasNext()) keys.add(it.next().key);
        }
        keys.forEach(store::delete);
    }
}

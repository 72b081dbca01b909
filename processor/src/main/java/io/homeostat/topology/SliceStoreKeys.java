package io.homeostat.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the slice stores. Byte order groups a requirement's (and a metric's) slices together in time
 * order, so a window is one range scan:
 * <ul>
 *   <li>span slices: {@code requirement 0x00 sliceStart}</li>
 *   <li>metric slices: {@code requirement 0x00 metric 0x00 sliceStart attributesId}</li>
 *   <li>cumulative series: {@code requirement 0x00 metric 0x00 seriesId}</li>
 * </ul>
 * with longs big-endian.
 */
final class SliceStoreKeys {
    private SliceStoreKeys() {}

    static Bytes key(String requirement, long sliceStart) {
        byte[] req = requirement.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(req.length + 1 + 8).put(req).put((byte) 0).putLong(sliceStart).array());
    }

    /** Slice start of a span-slice key (its last 8 bytes). */
    static long sliceStart(Bytes key) {
        byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
    }

    static Bytes metricKey(String requirement, String metric, long sliceStart, long attributesId) {
        return Bytes.wrap(prefix(requirement, metric, 16).putLong(sliceStart).putLong(attributesId).array());
    }

    /** Slice start of a metric-slice key (8 bytes before the attributes id). */
    static long metricSliceStart(Bytes key) {
        byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes, bytes.length - 16, 8).getLong();
    }

    static Bytes seriesKey(String requirement, String metric, long seriesId) {
        return Bytes.wrap(prefix(requirement, metric, 8).putLong(seriesId).array());
    }

    private static ByteBuffer prefix(String requirement, String metric, int tail) {
        byte[] req = requirement.getBytes(StandardCharsets.UTF_8);
        byte[] name = metric.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(req.length + 1 + name.length + 1 + tail).put(req).put((byte) 0).put(name).put((byte) 0);
    }
}

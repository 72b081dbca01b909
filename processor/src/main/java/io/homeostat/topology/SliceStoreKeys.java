package io.homeostat.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the slice store: UTF-8 requirement, a 0x00 separator, then the slice start as a big-endian
 * long. Byte order therefore groups a requirement's slices together in time order, so a window is one
 * range scan.
 */
final class SliceStoreKeys {
    private SliceStoreKeys() {}

    static Bytes key(String requirement, long sliceStart) {
        byte[] req = requirement.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(req.length + 1 + 8).put(req).put((byte) 0).putLong(sliceStart).array());
    }

    static long sliceStart(Bytes key) {
        byte[] bytes = key.get();
        return ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
    }

    static String requirement(Bytes key) {
        byte[] bytes = key.get();
        return new String(bytes, 0, bytes.length - 9, StandardCharsets.UTF_8);
    }
}

package io.homeostat.slo;

import io.homeostat.stored.StoredFormat;
import java.io.IOException;
import java.util.Arrays;

/**
 * The stored form of an SLO history's blocks ({@code slo-counts} store), in the {@link StoredFormat}:
 * <pre>
 *   1 base good (int64)   2 base total (int64)
 *   3 checkpoints (bytes): per checkpoint three unsigned varints, the time since the previous checkpoint (the
 *     first: since the epoch) and the good and total events since the previous checkpoint (the first: since base)
 * </pre>
 * Packed varints because a block is rewritten on every slice with events: a minute block of twelve slices is
 * some fifty bytes.
 */
public final class SloCodec {
    private static final int BASE_GOOD = 1;
    private static final int BASE_TOTAL = 2;
    private static final int CHECKPOINTS = 3;

    private SloCodec() {}

    public static byte[] encode(CountBlock block) {
        byte[] packed = new byte[block.size() * 3 * 10];
        int at = 0;
        long time = 0;
        long good = block.baseGood();
        long total = block.baseTotal();
        for (int i = 0; i < block.size(); i++) {
            at = varint(packed, at, block.time(i) - time);
            at = varint(packed, at, block.good(i) - good);
            at = varint(packed, at, block.total(i) - total);
            time = block.time(i);
            good = block.good(i);
            total = block.total(i);
        }
        byte[] checkpoints = Arrays.copyOf(packed, at);
        return StoredFormat.write(out -> out.int64(BASE_GOOD, block.baseGood()).int64(BASE_TOTAL, block.baseTotal())
                .bytes(CHECKPOINTS, checkpoints));
    }

    public static CountBlock decode(byte[] bytes) {
        return StoredFormat.read(bytes, "SLO counts", in -> {
            long baseGood = 0;
            long baseTotal = 0;
            byte[] checkpoints = new byte[0];
            for (int field; (field = in.next()) != 0; ) {
                switch (field) {
                    case BASE_GOOD -> baseGood = in.int64();
                    case BASE_TOTAL -> baseTotal = in.int64();
                    case CHECKPOINTS -> checkpoints = in.bytes();
                    default -> in.skip();
                }
            }
            if (baseGood < 0 || baseTotal < baseGood) throw new IOException("SLO counts: base " + baseGood + "/" + baseTotal);
            CountBlock block = new CountBlock(baseGood, baseTotal);
            long[] cursor = {0};
            long time = 0;
            long good = baseGood;
            long total = baseTotal;
            while (cursor[0] < checkpoints.length) {
                long dt = readVarint(checkpoints, cursor);
                long dg = readVarint(checkpoints, cursor);
                long dn = readVarint(checkpoints, cursor);
                if (dt < 0 || dg < 0 || dn < dg || (block.size() > 0 && dt == 0)) {
                    throw new IOException("SLO counts: checkpoint out of order");
                }
                time += dt;
                good += dg;
                total += dn;
                block.append(time, good, total);
            }
            return block;
        });
    }

    private static int varint(byte[] out, int at, long value) {
        if (value < 0) throw new IllegalArgumentException("SLO counts only grow: " + value);
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    private static long readVarint(byte[] in, long[] cursor) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (cursor[0] >= in.length) throw new IOException("SLO counts: truncated checkpoint");
            byte b = in[(int) cursor[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new IOException("SLO counts: malformed varint");
    }
}

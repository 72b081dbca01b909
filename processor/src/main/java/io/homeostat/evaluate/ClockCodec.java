package io.homeostat.evaluate;

import io.homeostat.evaluate.RequirementEvent.SourceWatermark;
import io.homeostat.evaluate.RequirementEvent.SourceWatermark.Reading;
import io.homeostat.stored.FieldReader;
import io.homeostat.stored.FieldWriter;
import io.homeostat.stored.StoredFormat;
import java.io.IOException;

/**
 * The stored forms of a requirement task's event clock ({@code event-clock} store), in the {@link StoredFormat}:
 * how far verdicts went (key {@link EventClock#JUDGED_KEY}) and what is known of each input partition (key
 * {@code topic-partition}). A source is stored with the same fields, numbers and reading codes as the watermark
 * records of the requirement-events topic carry ({@link #writeWatermark}, {@link #readWatermark}).
 */
public final class ClockCodec {
    // judged
    private static final int JUDGED_WINDOW_END = 1;
    // SourceWatermarks.Source
    private static final int SOURCE_TOPIC = 1;
    private static final int SOURCE_PARTITION = 2;
    private static final int SOURCE_PARTITIONS = 3;
    private static final int SOURCE_WATERMARK = 4;
    private static final int SOURCE_READING = 5;
    private static final int SOURCE_AT = 6;

    private ClockCodec() {}

    public static byte[] encodeJudged(long windowEnd) {
        return StoredFormat.write(out -> out.int64(JUDGED_WINDOW_END, windowEnd));
    }

    public static long decodeJudged(byte[] bytes) {
        return StoredFormat.read(bytes, "judged window end", in -> {
            Long windowEnd = null;
            for (int field; (field = in.next()) != 0; ) {
                if (field == JUDGED_WINDOW_END) windowEnd = in.int64();
                else in.skip();
            }
            if (windowEnd == null) throw new IOException("no window end");
            return windowEnd;
        });
    }

    public static byte[] encode(SourceWatermarks.Source source) {
        return StoredFormat.write(out -> writeWatermark(out, new SourceWatermark(source.topic(), source.partition(),
                source.partitions(), source.watermark(), source.reading(), source.at())));
    }

    public static SourceWatermarks.Source decodeSource(byte[] bytes) {
        return StoredFormat.read(bytes, "input partition", in -> {
            SourceWatermark w = readWatermark(in);
            return new SourceWatermarks.Source(w.topic(), w.partition(), w.partitions(), w.watermark(), w.reading(), w.at());
        });
    }

    /** The fields of a source's watermark: a requirement-events watermark record's, and an event-clock source's. */
    public static void writeWatermark(FieldWriter out, SourceWatermark w) {
        out.string(SOURCE_TOPIC, w.topic()).int32(SOURCE_PARTITION, w.partition()).int32(SOURCE_PARTITIONS, w.partitions())
                .int64(SOURCE_WATERMARK, w.watermark()).int32(SOURCE_READING, readingCode(w.reading()))
                .int64(SOURCE_AT, w.at());
    }

    /** Reads what {@link #writeWatermark} wrote; fields of a newer release are skipped. */
    public static SourceWatermark readWatermark(FieldReader in) throws IOException {
        String topic = null;
        int partition = -1;
        int partitions = 0;
        long watermark = Long.MIN_VALUE;
        Reading reading = null;
        long at = Long.MIN_VALUE;
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case SOURCE_TOPIC -> topic = in.string();
                case SOURCE_PARTITION -> partition = in.int32();
                case SOURCE_PARTITIONS -> partitions = in.int32();
                case SOURCE_WATERMARK -> watermark = in.int64();
                case SOURCE_READING -> reading = reading(in.int32());
                case SOURCE_AT -> at = in.int64();
                default -> in.skip();
            }
        }
        if (topic == null || partition < 0 || reading == null) {
            throw new IOException("source watermark without topic, partition or reading");
        }
        return new SourceWatermark(topic, partition, partitions, watermark, reading, at);
    }

    /** The code of a reading, as stored and as sent (never an ordinal). */
    public static int readingCode(Reading reading) {
        return switch (reading) {
            case LIVE -> 1;
            case BEHIND -> 2;
            case UNREADABLE -> 3;
        };
    }

    /** The reading of a code; an unknown code (a newer release's) reads as unreadable: verdicts wait for it. */
    public static Reading reading(int code) {
        return switch (code) {
            case 1 -> Reading.LIVE;
            case 2 -> Reading.BEHIND;
            default -> Reading.UNREADABLE;
        };
    }
}

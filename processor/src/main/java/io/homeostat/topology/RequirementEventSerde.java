package io.homeostat.topology;

import io.homeostat.aggregate.MetricCodec;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.evaluate.ClockCodec;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import io.homeostat.stored.FieldReader;
import io.homeostat.stored.FieldWriter;
import io.homeostat.stored.StoredFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The records of the requirement-events repartition topic, in the {@link StoredFormat}: one field whose
 * number is the event's kind (1 span partial, 2 metric partial, 3 unattributed counts, 4 target upsert,
 * 5 target delete, 6 source watermark), holding the event's own fields. A target travels as the contract's target JSON.
 * Reads the format before the stored format too (a kind byte 1-5, then a fixed layout), so that records
 * an older instance left on the topic during a rolling upgrade are still evaluated.
 */
public final class RequirementEventSerde implements Serde<RequirementEvent> {
    private static final int SPANS = 1;
    private static final int METRIC = 2;
    private static final int UNATTRIBUTED = 3;
    private static final int TARGET_UPSERT = 4;
    private static final int TARGET_DELETE = 5;
    private static final int WATERMARK = 6;
    // SPANS
    private static final int SLICE_START = 1;
    private static final int AGGREGATE = 2;
    // UNATTRIBUTED
    private static final int SERVICE = 1;
    private static final int SPAN_COUNT = 2;
    private static final int DATA_POINTS = 3;
    private static final int LOG_RECORDS = 4;
    private static final int SEEN_AT = 5;
    // TARGET_UPSERT, TARGET_DELETE
    private static final int TARGET_ID = 1;
    private static final int TARGET_JSON = 2;
    // WATERMARK: the fields of ClockCodec.writeWatermark
    // The kind bytes before the stored format.
    private static final byte LEGACY_SLICE = 1;
    private static final byte LEGACY_UPSERT = 2;
    private static final byte LEGACY_DELETE = 3;
    private static final byte LEGACY_METRIC = 4;
    private static final byte LEGACY_UNATTRIBUTED = 5;

    @Override
    public Serializer<RequirementEvent> serializer() {
        return (topic, event) -> event == null ? null : encode(event);
    }

    @Override
    public Deserializer<RequirementEvent> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) return null;
            try {
                return decode(bytes);
            } catch (IllegalArgumentException e) {
                throw new SerializationException("cannot read requirement event from " + topic + ": " + e.getMessage(), e);
            }
        };
    }

    static byte[] encode(RequirementEvent event) {
        return StoredFormat.write(out -> event.applyTo(null, new Encoder(out), 0));
    }

    /** Writes each kind of event as its own field. */
    private record Encoder(FieldWriter out) implements RequirementEvent.Handler {
        @Override
        public void spans(String requirement, RequirementEvent.SlicePartial slice, long now) {
            out.message(SPANS, s -> s.int64(SLICE_START, slice.sliceStart())
                    .message(AGGREGATE, a -> SpanAggregateCodec.write(a, slice.spans())));
        }

        @Override
        public void metric(String requirement, RequirementEvent.MetricSlice metric, long now) {
            out.message(METRIC, m -> MetricCodec.write(m, metric.partial()));
        }

        @Override
        public void unattributed(RequirementEvent.Unattributed u, long now) {
            out.message(UNATTRIBUTED, m -> m.string(SERVICE, u.service()).int64(SPAN_COUNT, u.spans())
                    .int64(DATA_POINTS, u.dataPoints()).int64(LOG_RECORDS, u.logRecords()).int64(SEEN_AT, u.seenAtMs()));
        }

        @Override
        public void targetUpsert(RequirementEvent.TargetUpsert upsert, long now) {
            byte[] target;
            try {
                target = Json.MAPPER.writeValueAsBytes(upsert.target().toJson());
            } catch (Exception e) {
                throw new SerializationException("cannot write target " + upsert.targetId(), e);
            }
            out.message(TARGET_UPSERT, m -> m.string(TARGET_ID, upsert.targetId()).bytes(TARGET_JSON, target));
        }

        @Override
        public void targetDelete(RequirementEvent.TargetDelete delete, long now) {
            out.message(TARGET_DELETE, m -> m.string(TARGET_ID, delete.targetId()));
        }

        @Override
        public void watermark(RequirementEvent.SourceWatermark w, long now) {
            out.message(WATERMARK, m -> ClockCodec.writeWatermark(m, w));
        }
    }

    static RequirementEvent decode(byte[] bytes) {
        if (!StoredFormat.isTagged(bytes)) return decodeLegacy(bytes);
        return StoredFormat.read(bytes, "requirement event", in -> {
            RequirementEvent event = null;
            for (int field; (field = in.next()) != 0; ) {
                switch (field) {
                    case SPANS -> event = in.message("span partial", RequirementEventSerde::readSpans);
                    case METRIC -> event = new RequirementEvent.MetricSlice(in.message("metric partial", MetricCodec::read));
                    case UNATTRIBUTED -> event = in.message("unattributed counts", RequirementEventSerde::readUnattributed);
                    case TARGET_UPSERT -> event = in.message("target", RequirementEventSerde::readUpsert);
                    case TARGET_DELETE -> event = in.message("target delete", m -> {
                        String targetId = null;
                        for (int f; (f = m.next()) != 0; ) {
                            if (f == TARGET_ID) targetId = m.string();
                            else m.skip();
                        }
                        if (targetId == null) throw new IOException("target delete without a target id");
                        return new RequirementEvent.TargetDelete(targetId);
                    });
                    case WATERMARK -> event = in.message("source watermark", ClockCodec::readWatermark);
                    default -> in.skip();
                }
            }
            if (event == null) throw new IOException("no event of a kind this version knows");
            return event;
        });
    }

    private static RequirementEvent readSpans(FieldReader in) throws IOException {
        long sliceStart = 0;
        SpanAggregate spans = null;
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case SLICE_START -> sliceStart = in.int64();
                case AGGREGATE -> spans = in.message("span aggregate", SpanAggregateCodec::read);
                default -> in.skip();
            }
        }
        if (spans == null) throw new IOException("span partial without its spans");
        return new RequirementEvent.SlicePartial(sliceStart, spans);
    }

    private static RequirementEvent readUnattributed(FieldReader in) throws IOException {
        String service = null;
        long spans = 0;
        long points = 0;
        long logs = 0;
        long seenAt = 0;
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case SERVICE -> service = in.string();
                case SPAN_COUNT -> spans = in.int64();
                case DATA_POINTS -> points = in.int64();
                case LOG_RECORDS -> logs = in.int64();
                case SEEN_AT -> seenAt = in.int64();
                default -> in.skip();
            }
        }
        if (service == null) throw new IOException("unattributed counts without a service");
        return new RequirementEvent.Unattributed(service, spans, points, logs, seenAt);
    }

    private static RequirementEvent readUpsert(FieldReader in) throws IOException {
        String targetId = null;
        byte[] json = null;
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case TARGET_ID -> targetId = in.string();
                case TARGET_JSON -> json = in.bytes();
                default -> in.skip();
            }
        }
        if (targetId == null || json == null) throw new IOException("target upsert without a target id or target");
        return new RequirementEvent.TargetUpsert(targetId, parse(json));
    }

    private static Target parse(byte[] json) {
        try {
            return TargetParser.parse(json);
        } catch (InvalidTargetException e) {
            throw new SerializationException("stored target no longer parses: " + e.getMessage(), e);
        }
    }

    /** The format before the stored format: a kind byte, then each kind's fixed layout. Read, never written. */
    private static RequirementEvent decodeLegacy(byte[] bytes) {
        if (bytes.length == 0) throw StoredFormat.unknownFormat("requirement event", bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte tag = in.get();
        try {
            switch (tag) {
                case LEGACY_SLICE -> {
                    long sliceStart = in.getLong();
                    return new RequirementEvent.SlicePartial(sliceStart, SpanAggregateCodec.decodeLegacy(bytes, 9));
                }
                case LEGACY_UPSERT -> {
                    byte[] id = new byte[in.getInt()];
                    in.get(id);
                    byte[] target = Arrays.copyOfRange(bytes, in.position(), bytes.length);
                    return new RequirementEvent.TargetUpsert(new String(id, StandardCharsets.UTF_8), parse(target));
                }
                case LEGACY_METRIC -> {
                    return new RequirementEvent.MetricSlice(MetricCodec.decodeLegacyPartial(bytes, 1, bytes.length - 1));
                }
                case LEGACY_UNATTRIBUTED -> {
                    long spans = in.getLong();
                    long points = in.getLong();
                    long logs = in.getLong();
                    long seenAt = in.getLong();
                    String service = new String(bytes, in.position(), bytes.length - in.position(), StandardCharsets.UTF_8);
                    return new RequirementEvent.Unattributed(service, spans, points, logs, seenAt);
                }
                case LEGACY_DELETE -> {
                    return new RequirementEvent.TargetDelete(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8));
                }
                default -> throw StoredFormat.unknownFormat("requirement event", bytes);
            }
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new StoredFormat.UnreadableException("requirement event (format 1): truncated or corrupt record: " + e, e);
        }
    }
}

package io.homeostat.topology;

import io.homeostat.aggregate.MetricCodec;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.model.TargetParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary serde of {@link RequirementEvent}: a tag byte, then the event's own encoding. */
public final class RequirementEventSerde implements Serde<RequirementEvent> {
    private static final byte SLICE = 1;
    private static final byte UPSERT = 2;
    private static final byte DELETE = 3;
    private static final byte METRIC = 4;
    private static final byte UNATTRIBUTED = 5;

    @Override
    public Serializer<RequirementEvent> serializer() {
        return (topic, event) -> event == null ? null : encode(event);
    }

    @Override
    public Deserializer<RequirementEvent> deserializer() {
        return (topic, bytes) -> bytes == null ? null : decode(bytes);
    }

    static byte[] encode(RequirementEvent event) {
        if (event instanceof RequirementEvent.SlicePartial slice) {
            byte[] aggregate = SpanAggregateCodec.encode(slice.spans());
            return ByteBuffer.allocate(1 + 8 + aggregate.length).put(SLICE).putLong(slice.sliceStart()).put(aggregate).array();
        }
        if (event instanceof RequirementEvent.MetricSlice metric) {
            byte[] partial = MetricCodec.encode(metric.partial());
            return ByteBuffer.allocate(1 + partial.length).put(METRIC).put(partial).array();
        }
        if (event instanceof RequirementEvent.Unattributed u) {
            byte[] service = u.service().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(1 + 8 * 4 + service.length).put(UNATTRIBUTED).putLong(u.spans())
                    .putLong(u.dataPoints()).putLong(u.logRecords()).putLong(u.seenAtMs()).put(service).array();
        }
        if (event instanceof RequirementEvent.TargetUpsert upsert) {
            byte[] id = upsert.targetId().getBytes(StandardCharsets.UTF_8);
            byte[] target;
            try {
                target = Json.MAPPER.writeValueAsBytes(upsert.target().toJson());
            } catch (Exception e) {
                throw new SerializationException("cannot write target " + upsert.targetId(), e);
            }
            return ByteBuffer.allocate(1 + 4 + id.length + target.length).put(UPSERT).putInt(id.length).put(id).put(target).array();
        }
        RequirementEvent.TargetDelete delete = (RequirementEvent.TargetDelete) event;
        byte[] id = delete.targetId().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + id.length).put(DELETE).put(id).array();
    }

    static RequirementEvent decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte tag = in.get();
        switch (tag) {
            case SLICE -> {
                long sliceStart = in.getLong();
                return new RequirementEvent.SlicePartial(sliceStart, SpanAggregateCodec.decode(in.slice()));
            }
            case UPSERT -> {
                byte[] id = new byte[in.getInt()];
                in.get(id);
                byte[] target = Arrays.copyOfRange(bytes, in.position(), bytes.length);
                try {
                    return new RequirementEvent.TargetUpsert(new String(id, StandardCharsets.UTF_8), TargetParser.parse(target));
                } catch (InvalidTargetException e) {
                    throw new SerializationException("stored target no longer parses: " + e.getMessage(), e);
                }
            }
            case METRIC -> {
                return new RequirementEvent.MetricSlice(MetricCodec.decodePartial(bytes, 1, bytes.length - 1));
            }
            case UNATTRIBUTED -> {
                long spans = in.getLong();
                long points = in.getLong();
                long logs = in.getLong();
                long seenAt = in.getLong();
                String service = new String(bytes, in.position(), bytes.length - in.position(), StandardCharsets.UTF_8);
                return new RequirementEvent.Unattributed(service, spans, points, logs, seenAt);
            }
            case DELETE -> {
                return new RequirementEvent.TargetDelete(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8));
            }
            default -> throw new SerializationException("unknown requirement event tag " + tag);
        }
    }
}

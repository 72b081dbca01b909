package io.homeostat.topology;

import io.homeostat.issues.IssuePartial;
import io.homeostat.issues.TraceCodec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary serde of the issue partials on the issue repartition topic ({@link TraceCodec}). */
public final class IssuePartialSerde implements Serde<IssuePartial> {
    @Override
    public Serializer<IssuePartial> serializer() {
        return (topic, partial) -> partial == null ? null : TraceCodec.encode(partial);
    }

    @Override
    public Deserializer<IssuePartial> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) return null;
            try {
                return TraceCodec.decodePartial(bytes);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot read issue partial from " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}

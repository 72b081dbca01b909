package io.homeostat.topology;

import io.homeostat.issues.IssuePartial;
import io.homeostat.issues.IssueCodec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Binary serde of the issue partials on the issue repartition topic ({@link IssueCodec}). */
public final class IssuePartialSerde implements Serde<IssuePartial> {
    @Override
    public Serializer<IssuePartial> serializer() {
        return (topic, partial) -> partial == null ? null : IssueCodec.encode(partial);
    }

    @Override
    public Deserializer<IssuePartial> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) return null;
            try {
                return IssueCodec.decodePartial(bytes);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot read issue partial from " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}

package io.homeostat.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.homeostat.model.Json;
import io.homeostat.model.TargetStatus;
import io.homeostat.stored.StoredFormat;
import java.io.IOException;

/**
 * The stored form of a target's latest verdict (the {@code target-status} store, in memory and not
 * changelogged: the status API's and {@code /metrics}' live view), in the {@link StoredFormat}: field 1 is
 * the {@link TargetStatus} as the status topic carries it, so the API serves it as it is, fields added to the
 * status record included.
 */
public final class StatusCodec {
    private static final int STATUS_JSON = 1;

    private StatusCodec() {}

    public static byte[] encode(TargetStatus status) {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(status);
            return StoredFormat.write(out -> out.bytes(STATUS_JSON, json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the status of " + status.targetId(), e);
        }
    }

    /** The status record's JSON, as the status topic carries it. */
    public static byte[] decodeJson(byte[] bytes) {
        return StoredFormat.read(bytes, "target status", in -> {
            byte[] json = null;
            for (int field; (field = in.next()) != 0; ) {
                if (field == STATUS_JSON) json = in.bytes();
                else in.skip();
            }
            if (json == null) throw new IOException("no status document");
            return json;
        });
    }

    public static TargetStatus decode(byte[] bytes) {
        try {
            return Json.MAPPER.readValue(decodeJson(bytes), TargetStatus.class);
        } catch (IOException e) {
            throw new StoredFormat.UnreadableException("target status (JSON): " + e.getMessage(), e);
        }
    }
}

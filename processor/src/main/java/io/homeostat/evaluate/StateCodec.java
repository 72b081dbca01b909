package io.homeostat.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.homeostat.model.Alert;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.stored.StoredFormat;
import java.io.IOException;

/**
 * The stored forms of a requirement task's own state, in the {@link StoredFormat}: targets, alert episodes,
 * target activity (no-data) and unattributed counts. Records of the external contract inside them (a target
 * as its user wrote it, the last alert published) are their contract JSON, whose compatibility the contract
 * and {@code schemas/} govern. Reads the forms before the stored format (plain JSON) too.
 */
public final class StateCodec {
    // Target
    private static final int TARGET_JSON = 1;
    // Episode
    private static final int EPISODE_FINGERPRINT = 1;
    private static final int EPISODE_PHASE = 2;
    private static final int EPISODE_SINCE = 3;
    private static final int EPISODE_LAST_ALERT_JSON = 4;
    private static final int PHASE_PENDING = 1;
    private static final int PHASE_FIRING = 2;
    // TargetActivity.State
    private static final int ACTIVITY_APPLIED_AT = 1;
    private static final int ACTIVITY_LAST_SEEN = 2;
    // UnattributedStatus
    private static final int UNATTRIBUTED_SERVICE = 1;
    private static final int UNATTRIBUTED_SPANS = 2;
    private static final int UNATTRIBUTED_DATA_POINTS = 3;
    private static final int UNATTRIBUTED_LOG_RECORDS = 4;
    private static final int UNATTRIBUTED_LAST_SEEN = 5;

    private StateCodec() {}

    public static byte[] encode(Target target) {
        return StoredFormat.write(out -> out.bytes(TARGET_JSON, json(target.toJson())));
    }

    public static Target decodeTarget(byte[] bytes) {
        byte[] json = StoredFormat.isTagged(bytes) ? StoredFormat.read(bytes, "target", in -> {
            byte[] document = null;
            for (int field; (field = in.next()) != 0; ) {
                if (field == TARGET_JSON) document = in.bytes();
                else in.skip();
            }
            if (document == null) throw new IOException("no target document");
            return document;
        }) : bytes;
        try {
            return TargetParser.parse(json);
        } catch (InvalidTargetException e) {
            throw new StoredFormat.UnreadableException("stored target no longer parses: " + e.getMessage(), e);
        }
    }

    public static byte[] encode(Episode episode) {
        return StoredFormat.write(out -> {
            out.string(EPISODE_FINGERPRINT, episode.fingerprint())
                    .int32(EPISODE_PHASE, episode.phase() == Episode.Phase.FIRING ? PHASE_FIRING : PHASE_PENDING)
                    .int64(EPISODE_SINCE, episode.since());
            if (episode.lastAlert() != null) out.bytes(EPISODE_LAST_ALERT_JSON, json(episode.lastAlert()));
        });
    }

    public static Episode decodeEpisode(byte[] bytes) {
        if (!StoredFormat.isTagged(bytes)) return legacyJson(bytes, Episode.class, "alert episode");
        return StoredFormat.read(bytes, "alert episode", in -> {
            String fingerprint = null;
            Episode.Phase phase = null;
            long since = 0;
            Alert lastAlert = null;
            for (int field; (field = in.next()) != 0; ) {
                switch (field) {
                    case EPISODE_FINGERPRINT -> fingerprint = in.string();
                    case EPISODE_PHASE -> phase = switch (in.int32()) {
                        case PHASE_PENDING -> Episode.Phase.PENDING;
                        case PHASE_FIRING -> Episode.Phase.FIRING;
                        default -> throw new IOException("unknown episode phase");
                    };
                    case EPISODE_SINCE -> since = in.int64();
                    case EPISODE_LAST_ALERT_JSON -> lastAlert = Json.MAPPER.readValue(in.bytes(), Alert.class);
                    default -> in.skip();
                }
            }
            if (fingerprint == null || phase == null) throw new IOException("episode without fingerprint or phase");
            if (phase == Episode.Phase.FIRING && lastAlert == null) throw new IOException("firing episode without its alert");
            return new Episode(fingerprint, phase, since, lastAlert);
        });
    }

    public static byte[] encode(TargetActivity.State state) {
        return StoredFormat.write(out -> out.int64(ACTIVITY_APPLIED_AT, state.appliedAt())
                .int64(ACTIVITY_LAST_SEEN, state.lastSeen()));
    }

    public static TargetActivity.State decodeActivity(byte[] bytes) {
        if (!StoredFormat.isTagged(bytes)) return legacyJson(bytes, TargetActivity.State.class, "target activity");
        return StoredFormat.read(bytes, "target activity", in -> {
            long appliedAt = Long.MIN_VALUE;
            long lastSeen = Long.MIN_VALUE;
            for (int field; (field = in.next()) != 0; ) {
                switch (field) {
                    case ACTIVITY_APPLIED_AT -> appliedAt = in.int64();
                    case ACTIVITY_LAST_SEEN -> lastSeen = in.int64();
                    default -> in.skip();
                }
            }
            return new TargetActivity.State(appliedAt, lastSeen);
        });
    }

    public static byte[] encode(UnattributedStatus counts) {
        return StoredFormat.write(out -> out.string(UNATTRIBUTED_SERVICE, counts.service())
                .int64(UNATTRIBUTED_SPANS, counts.spans()).int64(UNATTRIBUTED_DATA_POINTS, counts.dataPoints())
                .int64(UNATTRIBUTED_LOG_RECORDS, counts.logRecords()).string(UNATTRIBUTED_LAST_SEEN, counts.lastSeen()));
    }

    public static UnattributedStatus decodeUnattributed(byte[] bytes) {
        if (!StoredFormat.isTagged(bytes)) return legacyJson(bytes, UnattributedStatus.class, "unattributed counts");
        return StoredFormat.read(bytes, "unattributed counts", in -> {
            String service = null;
            long spans = 0;
            long points = 0;
            long logs = 0;
            String lastSeen = null;
            for (int field; (field = in.next()) != 0; ) {
                switch (field) {
                    case UNATTRIBUTED_SERVICE -> service = in.string();
                    case UNATTRIBUTED_SPANS -> spans = in.int64();
                    case UNATTRIBUTED_DATA_POINTS -> points = in.int64();
                    case UNATTRIBUTED_LOG_RECORDS -> logs = in.int64();
                    case UNATTRIBUTED_LAST_SEEN -> lastSeen = in.string();
                    default -> in.skip();
                }
            }
            if (service == null || lastSeen == null) throw new IOException("unattributed counts without service or time");
            return new UnattributedStatus(UnattributedStatus.KIND, service, spans, points, logs, lastSeen);
        });
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Before the stored format these stores held the value's JSON. Read, never written. */
    private static <T> T legacyJson(byte[] bytes, Class<T> type, String what) {
        if (bytes.length == 0 || bytes[0] != '{') throw StoredFormat.unknownFormat(what, bytes);
        try {
            return Json.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw new StoredFormat.UnreadableException(what + " (JSON): " + e.getMessage(), e);
        }
    }
}

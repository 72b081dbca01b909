package io.homeostat.issues;

import io.homeostat.stored.FieldReader;
import io.homeostat.stored.FieldWriter;
import io.homeostat.stored.LegacyRecords;
import io.homeostat.stored.StoredFormat;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;

/**
 * The stored forms of {@link IssuePartial} (repartition topic), {@link IssueState} and
 * {@link AlertIntents.Mark} (state stores), in the {@link StoredFormat}; JSON is only for the user-facing
 * topics. A {@code null} string is an absent field; the user sketch is DataSketches' own compact HLL
 * serialization (absent when no user was seen). Reads the forms before the stored format too.
 */
public final class IssueCodec {
    // IssuePartial: strings 1-10, then
    private static final int FIRST_SEEN = 11;
    private static final int LAST_SEEN = 12;
    private static final int OCCURRENCES = 13;
    private static final int CRITICAL = 14;
    private static final int BUSINESS_RULE = 15;
    private static final int CONSTRAINT = 16;
    private static final int SAMPLE_TRACE_ID = 17;
    private static final int USERS = 18;
    // IssueState
    private static final int STATE_ISSUE = 1;
    private static final int STATE_OPEN = 2;
    private static final int STATE_REPORTED_LEVEL = 3;
    private static final int STATE_REPORTED_CRITICAL = 4;
    private static final int STATE_LAST_ARRIVAL = 5;
    private static final int STATE_RESOLVED_AT = 6;
    private static final int STATE_INTENT_CREATED_AT = 7;
    private static final int STATE_INTENT_PRIORITY = 8;
    /** The occurrences and wall time of the record last published (written when known: 0 is "not known"). */
    private static final int STATE_REPORTED_OCCURRENCES = 9;
    private static final int STATE_REPORTED_AT = 10;
    // AlertIntents.Mark
    private static final int MARK_ALERT_ID = 1;
    private static final int MARK_PRIORITY = 2;
    private static final int MARK_CREATED_AT = 3;

    private static final byte LEGACY_V1 = 1;

    private IssueCodec() {}

    public static byte[] encode(IssuePartial partial) {
        return StoredFormat.write(out -> writePartial(out, partial));
    }

    public static IssuePartial decodePartial(byte[] bytes) {
        if (StoredFormat.isTagged(bytes)) return StoredFormat.read(bytes, "issue partial", IssueCodec::readPartial);
        checkLegacy(bytes, "issue partial");
        return LegacyRecords.read(bytes, "issue partial", IssueCodec::readLegacyPartial);
    }

    public static byte[] encode(IssueState state) {
        return StoredFormat.write(out -> {
            out.message(STATE_ISSUE, p -> writePartial(p, state.issue))
                    .bool(STATE_OPEN, state.open).int32(STATE_REPORTED_LEVEL, state.reportedLevel)
                    .bool(STATE_REPORTED_CRITICAL, state.reportedCritical).int64(STATE_LAST_ARRIVAL, state.lastArrivalMs)
                    .int64(STATE_RESOLVED_AT, state.resolvedAtMs).int64(STATE_INTENT_CREATED_AT, state.intentCreatedAtMs)
                    .string(STATE_INTENT_PRIORITY, state.intentPriority);
            if (state.reportedOccurrences != 0) out.int64(STATE_REPORTED_OCCURRENCES, state.reportedOccurrences);
            if (state.reportedAtMs != 0) out.int64(STATE_REPORTED_AT, state.reportedAtMs);
        });
    }

    public static IssueState decodeState(byte[] bytes) {
        if (StoredFormat.isTagged(bytes)) {
            return StoredFormat.read(bytes, "issue state", in -> {
                IssuePartial issue = null;
                boolean open = false;
                boolean reportedCritical = false;
                int reportedLevel = 0;
                long lastArrival = 0;
                long resolvedAt = 0;
                long intentCreatedAt = 0;
                String intentPriority = null;
                long reportedOccurrences = 0;
                long reportedAt = 0;
                for (int field; (field = in.next()) != 0; ) {
                    switch (field) {
                        case STATE_REPORTED_OCCURRENCES -> reportedOccurrences = in.int64();
                        case STATE_REPORTED_AT -> reportedAt = in.int64();
                        case STATE_ISSUE -> issue = in.message("issue partial", IssueCodec::readPartial);
                        case STATE_OPEN -> open = in.bool();
                        case STATE_REPORTED_LEVEL -> reportedLevel = in.int32();
                        case STATE_REPORTED_CRITICAL -> reportedCritical = in.bool();
                        case STATE_LAST_ARRIVAL -> lastArrival = in.int64();
                        case STATE_RESOLVED_AT -> resolvedAt = in.int64();
                        case STATE_INTENT_CREATED_AT -> intentCreatedAt = in.int64();
                        case STATE_INTENT_PRIORITY -> intentPriority = in.string();
                        default -> in.skip();
                    }
                }
                if (issue == null) throw new IOException("issue state without its issue");
                IssueState state = new IssueState(issue, open, reportedLevel, reportedCritical, lastArrival, resolvedAt,
                        intentCreatedAt, intentPriority);
                state.reportedOccurrences = reportedOccurrences;
                state.reportedAtMs = reportedAt;
                return state;
            });
        }
        checkLegacy(bytes, "issue state");
        return LegacyRecords.read(bytes, "issue state", in -> {
            LegacyRecords.checkVersion(in.readByte(), LEGACY_V1, "issue state");
            return new IssueState(readLegacyPartial(in), in.readBoolean(), in.readInt(), in.readBoolean(), in.readLong(),
                    in.readLong(), in.readLong(), readLegacyString(in));
        });
    }

    public static byte[] encode(AlertIntents.Mark mark) {
        return StoredFormat.write(out -> out.string(MARK_ALERT_ID, mark.alertId()).string(MARK_PRIORITY, mark.priority())
                .int64(MARK_CREATED_AT, mark.createdAtMs()));
    }

    public static AlertIntents.Mark decodeMark(byte[] bytes) {
        if (StoredFormat.isTagged(bytes)) {
            return StoredFormat.read(bytes, "alert intent mark", in -> {
                String alertId = null;
                String priority = null;
                long createdAt = 0;
                for (int field; (field = in.next()) != 0; ) {
                    switch (field) {
                        case MARK_ALERT_ID -> alertId = in.string();
                        case MARK_PRIORITY -> priority = in.string();
                        case MARK_CREATED_AT -> createdAt = in.int64();
                        default -> in.skip();
                    }
                }
                return new AlertIntents.Mark(alertId, priority, createdAt);
            });
        }
        checkLegacy(bytes, "alert intent mark");
        return LegacyRecords.read(bytes, "alert intent mark", in -> {
            LegacyRecords.checkVersion(in.readByte(), LEGACY_V1, "alert intent mark");
            return new AlertIntents.Mark(readLegacyString(in), readLegacyString(in), in.readLong());
        });
    }

    private static void writePartial(FieldWriter out, IssuePartial p) {
        String[] strings = {p.issueId, p.requirement, p.errorType, p.normalizedMessage, p.topFrame, p.service,
            p.errorMessage, p.stackTrace, p.traceId, p.spanId};
        for (int i = 0; i < strings.length; i++) out.string(i + 1, strings[i]);
        out.int64(FIRST_SEEN, p.firstSeenMs).int64(LAST_SEEN, p.lastSeenMs).int64(OCCURRENCES, p.occurrences)
                .bool(CRITICAL, p.critical).strings(BUSINESS_RULE, p.businessRules).strings(CONSTRAINT, p.constraints)
                .strings(SAMPLE_TRACE_ID, p.sampleTraceIds)
                .bytes(USERS, p.users.isEmpty() ? null : p.users.toCompactByteArray());
    }

    private static IssuePartial readPartial(FieldReader in) throws IOException {
        String[] strings = new String[10];
        long firstSeen = 0;
        long lastSeen = 0;
        long occurrences = 0;
        boolean critical = false;
        List<String> businessRules = new ArrayList<>();
        List<String> constraints = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        byte[] sketch = null;
        for (int field; (field = in.next()) != 0; ) {
            if (field >= 1 && field <= strings.length) {
                strings[field - 1] = in.string();
                continue;
            }
            switch (field) {
                case FIRST_SEEN -> firstSeen = in.int64();
                case LAST_SEEN -> lastSeen = in.int64();
                case OCCURRENCES -> occurrences = in.int64();
                case CRITICAL -> critical = in.bool();
                case BUSINESS_RULE -> businessRules.add(in.string());
                case CONSTRAINT -> constraints.add(in.string());
                case SAMPLE_TRACE_ID -> samples.add(in.string());
                case USERS -> sketch = in.bytes();
                default -> in.skip();
            }
        }
        if (strings[0] == null) throw new IOException("issue partial without an issue id");
        return new IssuePartial(strings[0], strings[1], strings[2], strings[3], strings[4], strings[5], strings[6],
                strings[7], strings[8], strings[9], firstSeen, lastSeen, occurrences, critical, businessRules, constraints,
                samples, users(sketch));
    }

    private static HllSketch users(byte[] sketch) {
        return sketch == null || sketch.length == 0
                ? new HllSketch(IssuePartial.USERS_LG_K, IssuePartial.USERS_TYPE) : HllSketch.heapify(sketch);
    }

    private static void checkLegacy(byte[] bytes, String what) {
        if (bytes.length == 0 || bytes[0] != LEGACY_V1) throw StoredFormat.unknownFormat(what, bytes);
    }

    /** An issue partial in the format before the stored format: version byte 1, then a fixed layout. */
    private static IssuePartial readLegacyPartial(DataInputStream in) throws IOException {
        LegacyRecords.checkVersion(in.readByte(), LEGACY_V1, "issue partial");
        String[] strings = new String[10];
        for (int i = 0; i < strings.length; i++) strings[i] = readLegacyString(in);
        long firstSeen = in.readLong();
        long lastSeen = in.readLong();
        long occurrences = in.readLong();
        boolean critical = in.readBoolean();
        List<String> businessRules = readLegacyList(in);
        List<String> constraints = readLegacyList(in);
        List<String> samples = readLegacyList(in);
        byte[] sketch = new byte[in.readInt()];
        in.readFully(sketch);
        return new IssuePartial(strings[0], strings[1], strings[2], strings[3], strings[4], strings[5], strings[6],
                strings[7], strings[8], strings[9], firstSeen, lastSeen, occurrences, critical, businessRules, constraints,
                samples, users(sketch));
    }

    private static List<String> readLegacyList(DataInputStream in) throws IOException {
        int size = in.readShort();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) values.add(readLegacyString(in));
        return values;
    }

    private static String readLegacyString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }
}

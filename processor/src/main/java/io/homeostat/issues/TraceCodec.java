package io.homeostat.issues;

import io.homeostat.aggregate.BinaryRecords;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;

/**
 * Compact binary forms of {@link IssuePartial} (repartition topic), {@link IssueState} and
 * {@link AlertIntents.Mark} (state stores); JSON is only for the user-facing topics. Each starts with a
 * version byte. Strings are a length (-1 for null) and UTF-8; the user sketch is DataSketches' own compact
 * HLL serialization (absent when no user was seen).
 */
public final class TraceCodec {
    private static final byte PARTIAL_V1 = 1;
    private static final byte STATE_V1 = 1;
    private static final byte MARK_V1 = 1;

    private TraceCodec() {}

    public static byte[] encode(IssuePartial partial) {
        return BinaryRecords.write(out -> writePartial(out, partial));
    }

    public static IssuePartial decodePartial(byte[] bytes) {
        return BinaryRecords.read(bytes, TraceCodec::readPartial);
    }

    public static byte[] encode(IssueState state) {
        return BinaryRecords.write(out -> {
            out.writeByte(STATE_V1);
            writePartial(out, state.issue);
            out.writeBoolean(state.open);
            out.writeInt(state.reportedLevel);
            out.writeBoolean(state.reportedCritical);
            out.writeLong(state.lastArrivalMs);
            out.writeLong(state.resolvedAtMs);
            out.writeLong(state.intentCreatedAtMs);
            writeString(out, state.intentPriority);
        });
    }

    public static IssueState decodeState(byte[] bytes) {
        return BinaryRecords.read(bytes, in -> {
            checkVersion(in.readByte(), STATE_V1, "issue state");
            return new IssueState(readPartial(in), in.readBoolean(), in.readInt(), in.readBoolean(), in.readLong(),
                    in.readLong(), in.readLong(), readString(in));
        });
    }

    public static byte[] encode(AlertIntents.Mark mark) {
        return BinaryRecords.write(out -> {
            out.writeByte(MARK_V1);
            writeString(out, mark.alertId());
            writeString(out, mark.priority());
            out.writeLong(mark.createdAtMs());
        });
    }

    public static AlertIntents.Mark decodeMark(byte[] bytes) {
        return BinaryRecords.read(bytes, in -> {
            checkVersion(in.readByte(), MARK_V1, "alert intent mark");
            return new AlertIntents.Mark(readString(in), readString(in), in.readLong());
        });
    }

    private static void writePartial(DataOutputStream out, IssuePartial p) throws IOException {
        out.writeByte(PARTIAL_V1);
        for (String s : new String[] {p.issueId, p.requirement, p.errorType, p.normalizedMessage, p.topFrame,
                p.service, p.errorMessage, p.stackTrace, p.traceId, p.spanId}) {
            writeString(out, s);
        }
        out.writeLong(p.firstSeenMs);
        out.writeLong(p.lastSeenMs);
        out.writeLong(p.occurrences);
        out.writeBoolean(p.critical);
        writeList(out, p.businessRules);
        writeList(out, p.constraints);
        writeList(out, p.sampleTraceIds);
        byte[] sketch = p.users.isEmpty() ? new byte[0] : p.users.toCompactByteArray();
        out.writeInt(sketch.length);
        out.write(sketch);
    }

    private static IssuePartial readPartial(DataInputStream in) throws IOException {
        checkVersion(in.readByte(), PARTIAL_V1, "issue partial");
        String issueId = readString(in);
        String requirement = readString(in);
        String errorType = readString(in);
        String normalized = readString(in);
        String topFrame = readString(in);
        String service = readString(in);
        String message = readString(in);
        String stackTrace = readString(in);
        String traceId = readString(in);
        String spanId = readString(in);
        long firstSeen = in.readLong();
        long lastSeen = in.readLong();
        long occurrences = in.readLong();
        boolean critical = in.readBoolean();
        List<String> businessRules = readList(in);
        List<String> constraints = readList(in);
        List<String> samples = readList(in);
        byte[] sketch = new byte[in.readInt()];
        in.readFully(sketch);
        HllSketch users = sketch.length == 0
                ? new HllSketch(IssuePartial.USERS_LG_K, IssuePartial.USERS_TYPE) : HllSketch.heapify(sketch);
        return new IssuePartial(issueId, requirement, errorType, normalized, topFrame, service, message, stackTrace,
                traceId, spanId, firstSeen, lastSeen, occurrences, critical, businessRules, constraints, samples, users);
    }

    private static void writeList(DataOutputStream out, List<String> values) throws IOException {
        out.writeShort(values.size());
        for (String value : values) writeString(out, value);
    }

    private static List<String> readList(DataInputStream in) throws IOException {
        int size = in.readShort();
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) values.add(readString(in));
        return values;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) return null;
        byte[] utf8 = new byte[length];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static void checkVersion(byte actual, byte expected, String what) {
        BinaryRecords.checkVersion(actual, expected, what);
    }
}

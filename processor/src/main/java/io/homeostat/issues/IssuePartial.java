package io.homeostat.issues;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * The occurrences of one issue, folded: counts, first/last seen, a HyperLogLog sketch of the affected
 * users, a few sample trace ids, and one representative occurrence (the earliest) for the message, stack
 * trace, trace and span id. Mergeable: an OTLP batch folds into one of these per issue before anything
 * crosses the repartition topic, and the issue's state is the merge of all of them. Not thread-safe.
 */
public final class IssuePartial {
    /**
     * HyperLogLog with 2^12 buckets: relative standard error 1.6 % (about ±3.3 % at 95 %), exact while the
     * sketch is in its list/set mode (small counts), at most about 2.1 KB serialized in HLL_4.
     */
    public static final int USERS_LG_K = 12;
    public static final TgtHllType USERS_TYPE = TgtHllType.HLL_4;
    public static final int MAX_SAMPLES = 5;
    static final int MAX_KEYS = 16;
    static final int MAX_MESSAGE = 2_000;
    static final int MAX_STACK_TRACE = 8_000;

    final String issueId;
    final String requirement;
    final String errorType;
    final String normalizedMessage;
    final String topFrame;
    // The representative (earliest) occurrence.
    String service;
    String errorMessage;
    String stackTrace;
    String traceId;
    String spanId;
    long firstSeenMs;
    long lastSeenMs;
    long occurrences;
    boolean critical;
    final List<String> businessRules;
    final List<String> constraints;
    final List<String> sampleTraceIds;
    HllSketch users;

    IssuePartial(String issueId, String requirement, String errorType, String normalizedMessage, String topFrame,
                 String service, String errorMessage, String stackTrace, String traceId, String spanId,
                 long firstSeenMs, long lastSeenMs, long occurrences, boolean critical, List<String> businessRules,
                 List<String> constraints, List<String> sampleTraceIds, HllSketch users) {
        this.issueId = issueId;
        this.requirement = requirement;
        this.errorType = errorType;
        this.normalizedMessage = normalizedMessage;
        this.topFrame = topFrame;
        this.service = service;
        this.errorMessage = errorMessage;
        this.stackTrace = stackTrace;
        this.traceId = traceId;
        this.spanId = spanId;
        this.firstSeenMs = firstSeenMs;
        this.lastSeenMs = lastSeenMs;
        this.occurrences = occurrences;
        this.critical = critical;
        this.businessRules = businessRules;
        this.constraints = constraints;
        this.sampleTraceIds = sampleTraceIds;
        this.users = users;
    }

    /** What an occurrence is grouped by, and the issue id derived from it (the contract's grouping rule). */
    public record Key(String issueId, String normalizedMessage, String topFrame) {}

    public static Key keyOf(Occurrence occurrence) {
        String normalized = MessageNormalizer.normalize(occurrence.message(), occurrence.userId());
        String topFrame = StackFrames.top(occurrence.stackTrace());
        // An error without a requirement is its service's: UNKNOWN issues are per service.
        String owner = IssueExtractor.UNKNOWN_REQUIREMENT.equals(occurrence.requirement())
                ? IssueExtractor.UNKNOWN_REQUIREMENT + "@" + occurrence.service() : occurrence.requirement();
        return new Key(TraceIds.issueId(owner, occurrence.errorType(), normalized, topFrame), normalized, topFrame);
    }

    /** The issue id an occurrence belongs to. */
    public static String issueIdOf(Occurrence occurrence) {
        return keyOf(occurrence).issueId();
    }

    /** A partial holding one occurrence. */
    public static IssuePartial of(Occurrence occurrence) {
        return of(keyOf(occurrence), occurrence);
    }

    /** A partial holding one occurrence, whose key is already known. */
    static IssuePartial of(Key key, Occurrence occurrence) {
        IssuePartial partial = new IssuePartial(key.issueId(), occurrence.requirement(), occurrence.errorType(),
                key.normalizedMessage(), key.topFrame(), null, null, null, null, null, Long.MAX_VALUE, Long.MIN_VALUE, 0,
                false, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(MAX_SAMPLES),
                new HllSketch(USERS_LG_K, USERS_TYPE));
        partial.add(occurrence);
        return partial;
    }

    /** Adds an occurrence of this issue (same grouping key). */
    public void add(Occurrence o) {
        occurrences++;
        if (o.timeMs() < firstSeenMs) {
            firstSeenMs = o.timeMs();
            service = o.service();
            errorMessage = cut(o.message(), MAX_MESSAGE);
            stackTrace = cut(o.stackTrace(), MAX_STACK_TRACE);
            traceId = o.traceId();
            spanId = o.spanId();
        }
        lastSeenMs = Math.max(lastSeenMs, o.timeMs());
        critical |= o.critical();
        addAll(businessRules, o.businessRules(), MAX_KEYS);
        addAll(constraints, o.constraints(), MAX_KEYS);
        if (o.traceId() != null) addAll(sampleTraceIds, List.of(o.traceId()), MAX_SAMPLES);
        if (o.userId() != null) users.update(o.userId());
    }

    /** Folds another partial of the same issue into this one. */
    public void merge(IssuePartial other) {
        if (!issueId.equals(other.issueId)) {
            throw new IllegalArgumentException("cannot merge issue " + other.issueId + " into " + issueId);
        }
        occurrences += other.occurrences;
        if (other.firstSeenMs < firstSeenMs) {
            firstSeenMs = other.firstSeenMs;
            service = other.service;
            errorMessage = other.errorMessage;
            stackTrace = other.stackTrace;
            traceId = other.traceId;
            spanId = other.spanId;
        }
        lastSeenMs = Math.max(lastSeenMs, other.lastSeenMs);
        critical |= other.critical;
        addAll(businessRules, other.businessRules, MAX_KEYS);
        addAll(constraints, other.constraints, MAX_KEYS);
        addAll(sampleTraceIds, other.sampleTraceIds, MAX_SAMPLES);
        if (!other.users.isEmpty()) {
            Union union = new Union(USERS_LG_K);
            union.update(users);
            union.update(other.users);
            users = union.getResult(USERS_TYPE);
        }
    }

    private static void addAll(List<String> into, List<String> values, int max) {
        for (String value : values) {
            if (into.size() >= max) return;
            if (value != null && !into.contains(value)) into.add(value);
        }
    }

    private static String cut(String text, int max) {
        if (text == null) return "";
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }

    public String issueId() {
        return issueId;
    }

    public String requirement() {
        return requirement;
    }

    public String errorType() {
        return errorType;
    }

    public String normalizedMessage() {
        return normalizedMessage;
    }

    public String topFrame() {
        return topFrame;
    }

    public String service() {
        return service;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public String stackTrace() {
        return stackTrace;
    }

    public String traceId() {
        return traceId;
    }

    public String spanId() {
        return spanId;
    }

    public long firstSeenMs() {
        return firstSeenMs;
    }

    public long lastSeenMs() {
        return lastSeenMs;
    }

    public long occurrences() {
        return occurrences;
    }

    public boolean critical() {
        return critical;
    }

    public List<String> businessRules() {
        return Collections.unmodifiableList(businessRules);
    }

    public List<String> constraints() {
        return Collections.unmodifiableList(constraints);
    }

    public List<String> sampleTraceIds() {
        return Collections.unmodifiableList(sampleTraceIds);
    }

    /** Distinct users estimated by the sketch, rounded; {@code null} when no occurrence named its user. */
    public Long affectedUsers() {
        return users.isEmpty() ? null : Math.round(users.getEstimate());
    }

    /** Bounds of the distinct-user estimate at {@code numStdDev} standard deviations (1–3). */
    public double[] affectedUsersBounds(int numStdDev) {
        return new double[] {users.getLowerBound(numStdDev), users.getUpperBound(numStdDev)};
    }
}

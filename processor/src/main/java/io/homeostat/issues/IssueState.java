package io.homeostat.issues;

/**
 * What the issue task keeps per issue: the merged occurrences, whether the issue is open, what was last
 * reported (so only meaningful changes are published) and whether its feedback intent exists.
 */
public final class IssueState {
    final IssuePartial issue;
    boolean open;
    /** {@link IssueTracker#level(long)} of the occurrences last published. */
    int reportedLevel;
    boolean reportedCritical;
    /** Wall time the latest occurrence arrived; the quiet period counts from here. */
    long lastArrivalMs;
    /** Wall time the issue was last resolved; 0 while open. */
    long resolvedAtMs;
    /** Wall time the issue's intent was created; 0 when it has none. */
    long intentCreatedAtMs;
    /** Priority the intent was last published with; {@code null} when it has none. */
    String intentPriority;
    /** Occurrences of the record last published; 0 when not known (a state stored before it was kept). */
    long reportedOccurrences;
    /** Wall time the record was last published; 0 when not known. */
    long reportedAtMs;

    IssueState(IssuePartial issue, boolean open, int reportedLevel, boolean reportedCritical, long lastArrivalMs,
               long resolvedAtMs, long intentCreatedAtMs, String intentPriority) {
        this.issue = issue;
        this.open = open;
        this.reportedLevel = reportedLevel;
        this.reportedCritical = reportedCritical;
        this.lastArrivalMs = lastArrivalMs;
        this.resolvedAtMs = resolvedAtMs;
        this.intentCreatedAtMs = intentCreatedAtMs;
        this.intentPriority = intentPriority;
    }

    public IssuePartial issue() {
        return issue;
    }

    public boolean open() {
        return open;
    }

    public long lastArrivalMs() {
        return lastArrivalMs;
    }

    public long resolvedAtMs() {
        return resolvedAtMs;
    }

    /** Priority of the issue's feedback intent ({@code P0}, {@code P1}), {@code null} when it has none. */
    public String intentPriority() {
        return intentPriority;
    }

    public boolean hasIntent() {
        return intentCreatedAtMs != 0;
    }

    /** Whether the issue changed since its record was last published (an open issue whose counts grew). */
    public boolean changedSincePublished() {
        return open && reportedOccurrences != 0 && issue.occurrences != reportedOccurrences;
    }

    /** Wall time the record was last published; 0 when not known. */
    public long reportedAtMs() {
        return reportedAtMs;
    }
}

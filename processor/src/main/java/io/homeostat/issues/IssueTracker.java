package io.homeostat.issues;

import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import io.homeostat.model.Timestamps;
import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle of one production issue, plain Java. An issue record is published at once when the issue opens
 * (or reopens after it was resolved), when its severity changes, and when its occurrences cross 10, 100,
 * 1 000, … (a <em>milestone</em>, logged); in between, an issue whose counts changed is republished at most once
 * per refresh interval (not logged), so the topic's latest record is never more than that behind — never once
 * per occurrence. It resolves after a quiet period with no occurrence. Its feedback intent is created with the
 * first record, and published again (same id) only if its priority rises.
 */
// Implements: REQ-RUNTIME-003 (issue state, emission on meaningful change, feedback intents)
public final class IssueTracker {
    private IssueTracker() {}

    /**
     * @param state   the state to store next (never {@code null})
     * @param issues  issue records to publish, in order
     * @param intents intent records to publish, in order
     */
    public record Transition(IssueState state, List<ProductionIssue> issues, List<FeedbackIntent> intents,
                             boolean milestone) {
        public Transition(IssueState state, List<ProductionIssue> issues, List<FeedbackIntent> intents) {
            this(state, issues, intents, !issues.isEmpty());
        }
    }

    /** Order of magnitude of an occurrence count: 0 below 10, 1 from 10, 2 from 100, … */
    static int level(long occurrences) {
        int level = 0;
        for (long n = occurrences; n >= 10; n /= 10) level++;
        return level;
    }

    /**
     * New occurrences of an issue arrived.
     *
     * @param state   stored state, {@code null} for an issue never seen (or purged after its retention)
     * @param partial the occurrences, folded; the state takes ownership of it
     * @param intents whether feedback intents are generated
     */
    public static Transition occurred(IssueState state, IssuePartial partial, long now, boolean intents) {
        return occurred(state, partial, now, intents, Long.MAX_VALUE);
    }

    /**
     * @param refreshMs an issue whose counts changed is republished when its last record is at least this old
     *                  ({@link Long#MAX_VALUE}: only on milestones)
     */
    public static Transition occurred(IssueState state, IssuePartial partial, long now, boolean intents, long refreshMs) {
        boolean report;
        if (state == null) {
            state = new IssueState(partial, true, -1, false, now, 0, 0, null);
            report = true;
        } else {
            state.issue.merge(partial);
            state.lastArrivalMs = now;
            report = !state.open
                    || state.issue.critical != state.reportedCritical
                    || level(state.issue.occurrences) > state.reportedLevel;
            state.open = true;
            state.resolvedAtMs = 0;
        }
        if (!report) {
            if (state.reportedAtMs != 0 && now - state.reportedAtMs >= refreshMs) {
                return new Transition(state, List.of(record(state, now)), List.of(), false);
            }
            return new Transition(state, List.of(), List.of());
        }
        List<FeedbackIntent> newIntents = new ArrayList<>(1);
        if (intents) {
            String priority = SeverityRules.priority(severity(state));
            boolean escalated = state.intentPriority != null && !state.intentPriority.equals(priority)
                    && FeedbackIntent.P0.equals(priority);
            if (!state.hasIntent() || escalated) {
                if (!state.hasIntent()) state.intentCreatedAtMs = now;
                state.intentPriority = priority;
                newIntents.add(FeedbackIntents.forIssue(state.issue, severity(state), priority, state.intentCreatedAtMs, now));
            }
        }
        return new Transition(state, List.of(record(state, now)), newIntents);
    }

    /**
     * The refresh check, every {@code tickMs} of wall time: an issue whose counts changed since its last record is
     * republished once that record is {@code refreshMs} old, less one tick, so that the record on the topic is never
     * more than {@code refreshMs} behind the issue.
     */
    public static Transition refresh(IssueState state, long now, long refreshMs, long tickMs) {
        if (!state.changedSincePublished() || now - state.reportedAtMs < refreshMs - tickMs) {
            return new Transition(state, List.of(), List.of());
        }
        return new Transition(state, List.of(record(state, now)), List.of(), false);
    }

    /** The wall-clock check: an open issue with no occurrence for {@code quietMs} resolves. */
    public static Transition quiet(IssueState state, long now, long quietMs) {
        if (!state.open || now - state.lastArrivalMs < quietMs) return new Transition(state, List.of(), List.of());
        state.open = false;
        state.resolvedAtMs = now;
        return new Transition(state, List.of(record(state, now)), List.of());
    }

    private static String severity(IssueState state) {
        return SeverityRules.issueSeverity(state.issue.critical);
    }

    /** The issue as published; remembers what was reported. */
    private static ProductionIssue record(IssueState state, long now) {
        state.reportedLevel = level(state.issue.occurrences);
        state.reportedCritical = state.issue.critical;
        state.reportedOccurrences = state.issue.occurrences;
        state.reportedAtMs = now;
        return describe(state, now);
    }

    /** The issue record of a state as it is now, e.g. for the status API; changes nothing. */
    public static ProductionIssue describe(IssueState state, long now) {
        IssuePartial i = state.issue;
        Long users = i.affectedUsers();
        return new ProductionIssue(i.issueId, state.open ? ProductionIssue.OPEN : ProductionIssue.RESOLVED,
                i.requirement, List.copyOf(i.businessRules), List.copyOf(i.constraints), i.service, i.errorType,
                displayMessage(i), i.normalizedMessage, i.topFrame, i.stackTrace, i.traceId, i.spanId,
                List.copyOf(i.sampleTraceIds), Timestamps.format(i.firstSeenMs), Timestamps.format(i.lastSeenMs),
                i.occurrences, users, impact(users), severity(state),
                state.hasIntent() ? TraceIds.intentId(i.issueId) : null, Timestamps.format(now));
    }

    /** The message as recorded; an error that recorded none is named by its type. */
    static String displayMessage(IssuePartial issue) {
        return issue.errorMessage == null || issue.errorMessage.isBlank() ? issue.errorType : issue.errorMessage;
    }

    /** The seed's impact text, "N users affected". */
    static String impact(Long affectedUsers) {
        if (affectedUsers == null) return "affected users unknown (no enduser.id)";
        return affectedUsers == 1 ? "1 user affected" : affectedUsers + " users affected";
    }
}

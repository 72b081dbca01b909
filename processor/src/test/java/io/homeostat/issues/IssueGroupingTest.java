package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The contract's grouping rule: requirement + exception type + normalized message + top stack frame. */
class IssueGroupingTest {
    static final String AUTH = "REQ-F-AUTH-001";

    /** The same bug, wherever and for whomever it happens: one code location throws it. */
    static IllegalStateException sessionTimeout(String user, int ms) {
        return new IllegalStateException("Session store unavailable: timeout after " + ms + "ms for user " + user);
    }

    static IllegalArgumentException badPassword(String user) {
        return new IllegalArgumentException("Session store unavailable: timeout after 2000ms for user " + user);
    }

    static Occurrence occurrence(String requirement, Throwable error, String user, long timeMs) {
        return new Occurrence(requirement, "customer-portal", List.of("BR-001"), List.of("C-001"),
                error.getClass().getName(), error.getMessage(), stackTrace(error), "0af7651916cd43dd8448eb211c80319c",
                "b7ad6b7169203331", timeMs, user, false);
    }

    static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void theSameBugWithDifferentUserIdsIsOneIssue() {
        String first = IssuePartial.issueIdOf(occurrence(AUTH, sessionTimeout("user-17", 2000), "user-17", 1));
        String second = IssuePartial.issueIdOf(occurrence(AUTH, sessionTimeout("user-4242", 1500), "user-4242", 2));
        String alice = IssuePartial.issueIdOf(occurrence(AUTH, sessionTimeout("alice", 2000), "alice", 3));
        assertThat(second).isEqualTo(first);
        assertThat(alice).as("a user id without digits is masked as the occurrence's enduser.id").isEqualTo(first);
    }

    @Test
    void differentExceptionTypesAreTwoIssues() {
        String timeout = IssuePartial.issueIdOf(occurrence(AUTH, sessionTimeout("user-1", 2000), "user-1", 1));
        String password = IssuePartial.issueIdOf(occurrence(AUTH, badPassword("user-1"), "user-1", 1));
        assertThat(password).isNotEqualTo(timeout);
    }

    @Test
    void differentRequirementsOrTopFramesAreDifferentIssues() {
        Occurrence base = occurrence(AUTH, sessionTimeout("user-1", 2000), "user-1", 1);
        Occurrence otherRequirement = occurrence("REQ-NFR-PERF-001", sessionTimeout("user-1", 2000), "user-1", 1);
        IllegalStateException elsewhere = new IllegalStateException("Session store unavailable: timeout after 2000ms for user user-1");
        Occurrence otherFrame = occurrence(AUTH, elsewhere, "user-1", 1);
        assertThat(IssuePartial.issueIdOf(otherRequirement)).isNotEqualTo(IssuePartial.issueIdOf(base));
        assertThat(IssuePartial.issueIdOf(otherFrame)).isNotEqualTo(IssuePartial.issueIdOf(base));
    }

    @Test
    void issueIdsAreDeterministicAndNeverFromAClock() {
        String id = TraceIds.issueId(AUTH, "java.lang.IllegalStateException",
                "Session store unavailable: timeout after <n>ms for user <user>", "io.homeostat.demo.LoginTraffic.login(LoginTraffic.java)");
        assertThat(id).matches("ISSUE-[0-9a-f]{16}")
                .isEqualTo(TraceIds.issueId(AUTH, "java.lang.IllegalStateException",
                        "Session store unavailable: timeout after <n>ms for user <user>",
                        "io.homeostat.demo.LoginTraffic.login(LoginTraffic.java)"))
                // pinned: changing the id derivation would reopen every known issue under a new id
                .isEqualTo("ISSUE-" + io.homeostat.model.Fingerprints.sha256Hex(AUTH + "\njava.lang.IllegalStateException\n"
                        + "Session store unavailable: timeout after <n>ms for user <user>\n"
                        + "io.homeostat.demo.LoginTraffic.login(LoginTraffic.java)").substring(0, 16));
        assertThat(TraceIds.intentId(id)).matches("INT-FB-[0-9a-f]{16}").isEqualTo(TraceIds.intentId(id))
                .isNotEqualTo(TraceIds.intentId("60b0fb3d95adf088-1795637916024"));
    }

    @Test
    void occurrencesFoldIntoOnePartialWithCountsUsersAndTheEarliestAsRepresentative() {
        IssuePartial partial = IssuePartial.of(occurrence(AUTH, sessionTimeout("user-5", 2000), "user-5", 5_000));
        partial.add(occurrence(AUTH, sessionTimeout("user-1", 2000), "user-1", 1_000));
        partial.add(occurrence(AUTH, sessionTimeout("user-5", 2000), "user-5", 9_000));
        IssuePartial other = IssuePartial.of(occurrence(AUTH, sessionTimeout("user-9", 2000), "user-9", 500));
        partial.merge(other);

        assertThat(partial.occurrences()).isEqualTo(4);
        assertThat(partial.affectedUsers()).isEqualTo(3);
        assertThat(partial.firstSeenMs()).isEqualTo(500);
        assertThat(partial.lastSeenMs()).isEqualTo(9_000);
        assertThat(partial.errorMessage()).as("the earliest occurrence represents the issue").endsWith("user user-9");
        assertThat(partial.normalizedMessage()).isEqualTo("Session store unavailable: timeout after <n>ms for user <user>");
        assertThat(partial.topFrame()).startsWith("io.homeostat.issues.IssueGroupingTest.sessionTimeout(");
        assertThat(partial.businessRules()).containsExactly("BR-001");
    }

    @Test
    void distinctUsersAreEstimatedInBoundedSpace() {
        String stack = stackTrace(sessionTimeout("user-0", 2000));
        IssuePartial partial = IssuePartial.of(userOccurrence("user-0", stack));
        IssuePartial batch = null;
        for (int i = 1; i < 50_000; i++) {
            // as the processor sees them: folded per batch of 100, batches merged into the issue
            Occurrence o = userOccurrence("user-" + i, stack);
            if (batch == null) batch = IssuePartial.of(o);
            else batch.add(o);
            if (i % 100 == 0) {
                partial.merge(IssueCodec.decodePartial(IssueCodec.encode(batch)));
                batch = null;
            }
        }
        if (batch != null) partial.merge(batch);
        assertThat(partial.occurrences()).isEqualTo(50_000);
        double[] bounds = partial.affectedUsersBounds(3);
        assertThat(50_000.0).as("within the sketch's 3-sigma bounds").isBetween(bounds[0], bounds[1]);
        assertThat((double) partial.affectedUsers()).isBetween(50_000 * 0.95, 50_000 * 1.05);
        int withoutUsers = IssueCodec.encode(IssuePartial.of(userOccurrence(null, stack))).length;
        assertThat(IssueCodec.encode(partial).length - withoutUsers)
                .as("the users take a bounded sketch (HLL_4, 2^12 buckets), not a set that grows").isLessThan(2_200);
    }

    private static Occurrence userOccurrence(String user, String stack) {
        return new Occurrence(AUTH, "customer-portal", List.of(), List.of(), "java.lang.IllegalStateException",
                "Session store unavailable: timeout after 2000ms for user " + user, stack, null, null, 0, user, false);
    }

    @Test
    void noUserAttributeMeansAffectedUsersUnknown() {
        IssuePartial partial = IssuePartial.of(occurrence(AUTH, sessionTimeout("x", 2000), null, 0));
        assertThat(partial.affectedUsers()).isNull();
        assertThat(IssueTracker.impact(partial.affectedUsers())).contains("unknown");
        assertThat(IssueTracker.impact(1L)).isEqualTo("1 user affected");
        assertThat(IssueTracker.impact(300L)).isEqualTo("300 users affected");
    }
}

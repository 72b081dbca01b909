package io.homeostat.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verification must be able to fail: an observation built to match the oracle passes, and each way Homeostat
 * could go wrong under faults (an episode fired twice, a resolve lost, a flap across an outage, a window count off
 * by one, a late span, an issue short of occurrences, a doubled intent, a lost dead letter) makes it fail, naming
 * what differs.
 */
class VerificationTest {
    static final long START = OracleTest.START;

    Plan plan;
    Truth truth;
    Oracle oracle;
    Observed seen;

    @BeforeEach
    void matchingObservation() {
        plan = Plan.quick(110_000, 20_000, 70_000);
        truth = OracleTest.truthOf(plan, plan.durationMs);
        truth.planted("faults-planted-1");
        oracle = new Oracle(plan, truth, START + Plan.SLICE_MS, Plan.aligned(START + plan.durationMs));
        seen = new Observed();
        int n = 0;
        for (Oracle.Episode e : oracle.episodes()) {
            String id = "fp" + n++ + "-" + e.firedWindowEnd();
            seen.alerts.add(new Observed.Alert(id, "firing", e.kind(), e.targetId(), e.firedWindowEnd(), null, "critical",
                    e.firedWindowEnd() - Plan.WINDOW_MS, oracle.events(e.requirement(), e.firedWindowEnd() - Plan.WINDOW_MS,
                    e.firedWindowEnd())));
            if (e.resolvedWindowEnd() >= 0) {
                seen.alerts.add(new Observed.Alert(id, "resolved", e.kind(), e.targetId(), e.resolvedWindowEnd(),
                        e.resolvedReason(), "critical"));
            }
            seen.intents.add(new Observed.Intent("INT-" + id, e.kind(), id));
        }
        for (Plan.Requirement r : plan.requirements) {
            for (long end = oracle.firstWindowEnd(); end <= oracle.lastWindowEnd(); end += Plan.SLICE_MS) {
                seen.statuses.add(new Observed.Status(r.targetId(), end - Plan.WINDOW_MS, end,
                        oracle.events(r.id(), end - Plan.WINDOW_MS, end), 0, "live"));
            }
        }
        for (Truth.Issue i : truth.issues().values()) {
            String id = "ISSUE-" + i.errorType;
            seen.issues.add(new Observed.Issue(id, "open", i.requirement, i.errorType, 1, 1L));
            seen.issues.add(new Observed.Issue(id, "resolved", i.requirement, i.errorType, i.occurrences, (long) i.users.size()));
            seen.intents.add(new Observed.Intent("INT-" + id, "production_issue", id));
        }
        seen.deadLetterKeys.add("faults-planted-1");
    }

    Verification verify() {
        return new Verification(oracle, truth, seen);
    }

    @Test
    void anObservationThatMatchesTheOraclePasses() {
        Verification v = verify();
        assertThat(v.passed()).isTrue();
        assertThat(v.episodesSeen).isEqualTo(2);
        assertThat(v.statusRecordsChecked).isEqualTo(3 * 22);
        assertThat(v.countsChecked).isEqualTo(3 * 22 + 2); // and the two firing alerts' counts
        assertThat(v.issuesExpected).isEqualTo(5);
        assertThat(v.intentsExpected).isEqualTo(7);
    }

    @Test
    void aSecondFiringRecordOfOneEpisodeIsADuplicate() {
        seen.alerts.add(seen.alerts.get(0));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.duplicated).singleElement().asString().contains("2 firing records");
    }

    @Test
    void anEpisodeFiredUnderTwoAlertIdsOnOneWindowIsADuplicate() {
        Observed.Alert first = seen.alerts.get(0);
        seen.alerts.add(new Observed.Alert("another-id", "firing", first.kind(), first.targetId(), first.windowEnd(), null,
                "critical"));
        seen.intents.add(new Observed.Intent("INT-another", first.kind(), "another-id"));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.duplicated).singleElement().asString().contains("fired as 2 alerts");
    }

    @Test
    void aLostResolveIsMissing() {
        seen.alerts.removeIf(a -> a.status().equals("resolved"));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.missing).singleElement().asString().contains("its resolve");
    }

    @Test
    void aFlapAcrossABrokerOutageIsCaught() {
        // The reported bug: resolved as no_events while the broker was away, then a second episode.
        Observed.Alert firing = seen.alerts.get(0);
        seen.alerts.removeIf(a -> a.alertId().equals(firing.alertId()) && a.status().equals("resolved"));
        seen.alerts.add(new Observed.Alert(firing.alertId(), "resolved", firing.kind(), firing.targetId(),
                firing.windowEnd() + 10_000, "no_events", "critical"));
        seen.alerts.add(new Observed.Alert("second", "firing", firing.kind(), firing.targetId(), firing.windowEnd() + 25_000,
                null, "critical"));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.wrongResolve).singleElement().asString().contains("no_events");
        assertThat(v.unexpected).singleElement().asString().contains("[second");
    }

    @Test
    void aWindowCountOffByOneIsAMismatch() {
        Observed.Status s = seen.statuses.get(10);
        seen.statuses.set(10, new Observed.Status(s.targetId(), s.windowStart(), s.windowEnd(), s.events() - 1, 0, "live"));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.statusMismatchCount).isEqualTo(1);
    }

    @Test
    void anAlertPublishedOnAWindowWithAnotherCountIsAMismatch() {
        Observed.Alert a = seen.alerts.get(0);
        seen.alerts.set(0, new Observed.Alert(a.alertId(), a.status(), a.kind(), a.targetId(), a.windowEnd(), null,
                a.severity(), a.windowStart(), a.events() + 100));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.statusMismatches).singleElement().asString().startsWith("firing alert");
    }

    @Test
    void aSingleLateSpanFails() {
        Observed.Status s = seen.statuses.get(3);
        seen.statuses.set(3, new Observed.Status(s.targetId(), s.windowStart(), s.windowEnd(), s.events(), 1, "catching_up"));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.maxLateEvents).isEqualTo(1);
        assertThat(v.inputStates).containsKeys("live", "catching_up");
    }

    @Test
    void anIssueShortOfOccurrencesOrLeftOpenFails() {
        Observed.Issue last = seen.issues.get(1);
        seen.issues.set(1, new Observed.Issue(last.issueId(), "open", last.requirement(), last.errorType(),
                last.occurrences() - 1, last.users()));
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.issueMismatches).hasSize(2).anyMatch(m -> m.contains("occurrences")).anyMatch(m -> m.contains("open"));
    }

    @Test
    void aDoubledOrMissingIntentFails() {
        seen.intents.add(seen.intents.get(0));
        seen.intents.remove(seen.intents.size() - 2);
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.intentMismatches).hasSize(2).anyMatch(m -> m.contains("2 intents")).anyMatch(m -> m.contains("0 intents"));
    }

    @Test
    void deadLettersMustBeExactlyThePlantedRecords() {
        seen.deadLetterKeys.clear();
        seen.deadLetterKeys.add("a span that should have been processed");
        Verification v = verify();
        assertThat(v.passed()).isFalse();
        assertThat(v.deadLetterMismatches).hasSize(2);
    }

    @Test
    void aRunThatCheckedNothingDoesNotPass() {
        seen.statuses.clear();
        assertThat(verify().passed()).isFalse();
    }

    @Test
    void alertsAfterTrafficEndedAreNotCompared() {
        // REQ-FLT-002's episode is open when traffic ends; its resolve on a later, emptier window is fine
        Observed.Alert open = seen.alerts.stream().filter(a -> a.targetId().startsWith("REQ-FLT-002")).findFirst().orElseThrow();
        seen.alerts.add(new Observed.Alert(open.alertId(), "resolved", open.kind(), open.targetId(),
                oracle.lastWindowEnd() + 10_000, "target_met", "critical"));
        seen.alerts.add(new Observed.Alert("late-no-data", "firing", Oracle.NO_DATA, "REQ-FLT-003/span.success_rate",
                oracle.lastWindowEnd() + 30_000, null, "critical"));
        seen.intents.add(new Observed.Intent("INT-late", Oracle.NO_DATA, "late-no-data"));
        assertThat(verify().passed()).isTrue();
    }
}

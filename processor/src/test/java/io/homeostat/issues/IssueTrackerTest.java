package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IssueTrackerTest {
    static final long QUIET = 60_000;
    long now = 1_000_000;
    IssueState state;
    final List<ProductionIssue> issues = new ArrayList<>();
    final List<FeedbackIntent> intents = new ArrayList<>();

    static IssuePartial partial(int occurrences, String message) {
        IssuePartial partial = null;
        for (int i = 0; i < occurrences; i++) {
            Occurrence o = new Occurrence("REQ-F-AUTH-001", "customer-portal", List.of("BR-001"), List.of("C-001"),
                    "java.lang.IllegalStateException", message + " for user user-" + i, "", "0af7651916cd43dd8448eb211c80319c",
                    "b7ad6b7169203331", 1_000 + i, "user-" + i, SeverityRules.messageSaysCritical(message));
            if (partial == null) partial = IssuePartial.of(o);
            else partial.add(o);
        }
        return partial;
    }

    void occurred(int occurrences) {
        occurred(partial(occurrences, "Session store unavailable"), true);
    }

    void occurred(IssuePartial partial, boolean intentsOn) {
        apply(IssueTracker.occurred(state, partial, now, intentsOn));
    }

    void apply(IssueTracker.Transition t) {
        state = t.state();
        issues.addAll(t.issues());
        intents.addAll(t.intents());
    }

    @Test
    void countsThatChangedAreRepublishedOncePerRefreshIntervalAndSurviveTheStore() {
        long refresh = 60_000;
        long tick = 1_000;
        occurred(1);                                                         // opens: published at once
        now += 1_000;
        apply(IssueTracker.occurred(state, partial(3, "Session store unavailable"), now, true, refresh));
        assertThat(issues).as("4 occurrences: no milestone, the last record is 1 s old").hasSize(1);
        assertThat(state.changedSincePublished()).isTrue();
        // Stored and read back (a restart): still known to be behind.
        state = IssueCodec.decodeState(IssueCodec.encode(state));
        assertThat(state.changedSincePublished()).isTrue();
        now += refresh - tick - 1_000 - 1;
        IssueTracker.Transition early = IssueTracker.refresh(state, now, refresh, tick);
        assertThat(early.issues()).isEmpty();
        now += 1;                                                            // the last tick before the interval ends
        IssueTracker.Transition due = IssueTracker.refresh(state, now, refresh, tick);
        assertThat(due.milestone()).as("a refresh is not logged as news").isFalse();
        apply(due);
        assertThat(issues).extracting(ProductionIssue::occurrences).containsExactly(1L, 4L);
        assertThat(intents).as("no second intent").hasSize(1);
        assertThat(state.changedSincePublished()).isFalse();
        assertThat(IssueTracker.refresh(state, now + refresh, refresh, tick).issues()).as("nothing changed").isEmpty();
        // An occurrence after a quiet interval is published at once, counts refreshed.
        now += refresh;
        apply(IssueTracker.occurred(state, partial(1, "Session store unavailable"), now, true, refresh));
        assertThat(issues).extracting(ProductionIssue::occurrences).containsExactly(1L, 4L, 5L);
    }

    @Test
    void theFirstOccurrenceOpensTheIssueWithItsIntent() {
        occurred(1);
        assertThat(issues).singleElement().satisfies(i -> {
            assertThat(i.status()).isEqualTo("open");
            assertThat(i.occurrences()).isEqualTo(1);
            assertThat(i.severity()).isEqualTo("high");
            assertThat(i.impact()).isEqualTo("1 user affected");
            assertThat(i.intentId()).isEqualTo(TraceIds.intentId(i.issueId()));
        });
        assertThat(intents).singleElement().satisfies(intent -> {
            assertThat(intent.intentId()).isEqualTo(TraceIds.intentId(issues.get(0).issueId()));
            assertThat(intent.sourceKind()).isEqualTo("production_issue");
            assertThat(intent.sourceId()).isEqualTo(issues.get(0).issueId());
            assertThat(intent.priority()).isEqualTo("P1");
            assertThat(intent.description()).isEqualTo("Fix production issue: Session store unavailable for user user-0");
            assertThat(intent.evidence().occurrences()).isEqualTo(1);
            assertThat(intent.evidence().traceIds()).containsExactly("0af7651916cd43dd8448eb211c80319c");
        });
    }

    @Test
    void onlyCrossingTenHundredThousandIsPublishedNotEveryOccurrence() {
        occurred(1);                                    // open: 1
        for (int i = 0; i < 8; i++) occurred(1);        // 2..9: nothing
        assertThat(issues).hasSize(1);
        occurred(1);                                    // 10
        occurred(50);                                   // 60: nothing
        occurred(45);                                   // 105: crosses 100
        occurred(890);                                  // 995: nothing
        occurred(3_000);                                // 3995: crosses 1000
        assertThat(issues).extracting(ProductionIssue::occurrences).containsExactly(1L, 10L, 105L, 3_995L);
        assertThat(intents).as("one intent per issue").hasSize(1);
    }

    @Test
    void aSeverityChangeIsPublishedAndRaisesTheIntentToP0UnderTheSameId() {
        occurred(3);
        IssuePartial critical = partial(1, "Session store unavailable");
        critical.critical = true; // as when an occurrence carries severity=critical
        occurred(critical, true);
        occurred(1);
        assertThat(issues).extracting(ProductionIssue::severity).as("published on the change only")
                .containsExactly("high", "critical");
        assertThat(intents).extracting(FeedbackIntent::priority).containsExactly("P1", "P0");
        assertThat(intents).extracting(FeedbackIntent::intentId).containsOnly(intents.get(0).intentId());
        assertThat(intents).extracting(FeedbackIntent::createdAt).containsOnly(intents.get(0).createdAt());
    }

    @Test
    void aQuietIssueResolvesOnTheWallClockAndAReturnReopensItWithoutANewIntent() {
        occurred(5);
        now += QUIET - 1;
        apply(IssueTracker.quiet(state, now, QUIET));
        assertThat(issues).hasSize(1);
        now += 1;
        apply(IssueTracker.quiet(state, now, QUIET));
        assertThat(issues).extracting(ProductionIssue::status).containsExactly("open", "resolved");
        assertThat(issues.get(1).occurrences()).isEqualTo(5);
        apply(IssueTracker.quiet(state, now + QUIET, QUIET));
        assertThat(issues).as("resolved once").hasSize(2);

        now += 10_000;
        occurred(1);
        assertThat(issues).extracting(ProductionIssue::status).containsExactly("open", "resolved", "open");
        assertThat(issues.get(2).issueId()).isEqualTo(issues.get(0).issueId());
        assertThat(issues.get(2).occurrences()).isEqualTo(6);
        assertThat(intents).as("the same issue keeps its one intent").hasSize(1);
    }

    @Test
    void withIntentsOffIssuesArePublishedWithoutIntents() {
        occurred(partial(1, "Session store unavailable"), false);
        assertThat(issues).singleElement().satisfies(i -> assertThat(i.intentId()).isNull());
        assertThat(intents).isEmpty();
        occurred(partial(20, "Session store unavailable"), true);
        assertThat(intents).as("made once intents are on").hasSize(1);
        assertThat(issues.get(1).intentId()).isEqualTo(intents.get(0).intentId());
    }

    @Test
    void levelsAreOrdersOfMagnitude() {
        assertThat(IssueTracker.level(1)).isZero();
        assertThat(IssueTracker.level(9)).isZero();
        assertThat(IssueTracker.level(10)).isEqualTo(1);
        assertThat(IssueTracker.level(99)).isEqualTo(1);
        assertThat(IssueTracker.level(100)).isEqualTo(2);
        assertThat(IssueTracker.level(1_000_000)).isEqualTo(6);
    }
}

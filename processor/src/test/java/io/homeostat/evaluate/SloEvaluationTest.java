package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.Alert;
import io.homeostat.model.Fingerprints;
import io.homeostat.model.SloStatus;
import io.homeostat.model.Target;
import io.homeostat.model.TargetStatus;
import io.homeostat.testing.Schemas;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** An SLO target in a requirement task on maps: burn-rate alerts per tier, low traffic, the budget on the status. */
class SloEvaluationTest {
    static final long SLICE = EvaluationPartsTest.SLICE;
    static final long T = 1_800_000_000_000L;
    /** 99 % of logins succeed over an hour; page on 10 s and 1 m both burning 10× the budget, ticket on 1 m and 5 m at 2×. */
    static final String SUCCESS_SLO = """
            {"requirement": "REQ-A", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
             "alert_threshold": 0.98, "window": "10s", "labels": {"team": "identity"},
             "slo": {"period": "1h", "min_events": 10,
                     "tiers": {"page": [{"long_window": "1m", "short_window": "10s", "burn_rate": 10}],
                               "ticket": [{"long_window": "5m", "short_window": "1m", "burn_rate": 2}]}}}""";

    private final EvaluationPartsTest.Harness task = new EvaluationPartsTest.Harness();
    private long clock = T;

    /** Seconds of traffic: {@code perSecond} spans a second, {@code errorsEvery}-th one failing (0: none). */
    private void traffic(int seconds, int perSecond, int errorsPerSecond) {
        for (int s = 0; s < seconds; s++) {
            SpanAggregate spans = new SpanAggregate();
            for (int i = 0; i < perSecond; i++) {
                spans.record(100, i < errorsPerSecond, () -> "0af7651916cd43dd8448eb211c80319c");
            }
            if (perSecond > 0) task.evaluation.spans("REQ-A", new RequirementEvent.SlicePartial(clock, spans), clock);
            clock += SLICE;
            task.evaluation.judge(clock);
        }
    }

    private List<Alert> alerts(String kind, Predicate<Alert> which) {
        return task.alerts.stream().filter(a -> a.kind().equals(kind)).filter(which).toList();
    }

    private TargetStatus lastStatus() {
        for (int i = task.statuses.size() - 1; i >= 0; i--) {
            if (task.statuses.get(i) instanceof TargetStatus status) return status;
        }
        throw new AssertionError("no status");
    }

    @Test
    void aFastBurnPagesAndTicketsOnceAndResolvesWhenTheBurnStops() throws Exception {
        Target slo = Targets.parse(SUCCESS_SLO);
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/slo", slo), T);
        traffic(120, 20, 0);
        assertThat(task.alerts).as("healthy: nothing").isEmpty();
        traffic(60, 20, 10);   // half the logins fail: burning 50 times the budget
        List<Alert> pages = alerts(Alert.KIND_BURN_RATE, a -> "critical".equals(a.severity()));
        assertThat(pages).singleElement().satisfies(page -> {
            assertThat(page.firing()).isTrue();
            assertThat(page.slo().tier()).isEqualTo("page");
            assertThat(page.slo().longWindow()).isEqualTo("1m");
            assertThat(page.slo().shortWindow()).isEqualTo("10s");
            assertThat(page.slo().longBurnRate()).isGreaterThan(10);
            assertThat(page.slo().shortBurnRate()).isGreaterThan(10);
            assertThat(page.slo().burnRateThreshold()).isEqualTo(10);
            assertThat(page.slo().errorBudgetRemaining()).isLessThan(1);
            assertThat(page.slo().timeToExhaustion()).isNotNull();
            assertThat(page.fingerprint()).isEqualTo(Fingerprints.alert("REQ-A/slo", Map.of("team", "identity"), "burn_rate/page"));
            assertThat(page.labels()).containsEntry("team", "identity");
        });
        Alert ticket = alerts(Alert.KIND_BURN_RATE, a -> "warning".equals(a.severity())).get(0);
        assertThat(ticket.slo().tier()).isEqualTo("ticket");
        assertThat(ticket.fingerprint()).isNotEqualTo(pages.get(0).fingerprint());
        assertThat(alerts(Alert.KIND_DEVIATION, a -> true)).as("an SLO alerted on by burn rate raises no deviation alerts")
                .isEmpty();
        assertThat(lastStatus().state()).isEqualTo(TargetStatus.FIRING);
        assertThat(lastStatus().alertId()).isEqualTo(pages.get(0).alertId());

        traffic(400, 20, 0);
        List<Alert> pageRecords = alerts(Alert.KIND_BURN_RATE, a -> a.fingerprint().equals(pages.get(0).fingerprint()));
        assertThat(pageRecords).extracting(Alert::status).containsExactly(Alert.FIRING, Alert.RESOLVED);
        assertThat(pageRecords.get(1).resolvedReason()).isEqualTo(Alert.RESOLVED_BURN_RATE_OK);
        assertThat(pageRecords.get(1).alertId()).isEqualTo(pages.get(0).alertId());
        List<Alert> ticketRecords = alerts(Alert.KIND_BURN_RATE, a -> a.fingerprint().equals(ticket.fingerprint()));
        assertThat(ticketRecords).extracting(Alert::status).containsExactly(Alert.FIRING, Alert.RESOLVED);
        assertThat(task.episodes.written).isEmpty();
        for (Alert alert : task.alerts) Schemas.assertValid("alert.schema.json", io.homeostat.model.Json.MAPPER.valueToTree(alert));

        TargetStatus status = lastStatus();
        Schemas.assertValid("status.schema.json", io.homeostat.model.Json.MAPPER.valueToTree(status));
        SloStatus budget = status.slo();
        assertThat(budget.objective()).isEqualTo(0.99);
        assertThat(budget.period()).isEqualTo("1h");
        // Everything sent up to the status' window: 20 logins a second, 600 of them failed.
        long seconds = (io.homeostat.model.Timestamps.parse(status.windowEnd()) - T) / SLICE;
        assertThat(budget.total()).isEqualTo(20 * seconds);
        assertThat(budget.total() - budget.good()).isEqualTo(600);
        assertThat(budget.errorBudgetRemaining()).isCloseTo(1 - 600 / (0.01 * budget.total()), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(budget.errorBudgetRemainingEvents()).isCloseTo(0.01 * budget.total() - 600, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(budget.burnRates()).containsOnlyKeys("10s", "1m", "5m").containsEntry("10s", 0.0);
        assertThat(budget.tiers()).extracting(SloStatus.Tier::state).containsExactly("ok", "ok");
    }

    @Test
    void lowTrafficSuppressesATierAndSaysWhy() {
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/slo", Targets.parse(SUCCESS_SLO)), T);
        traffic(120, 20, 0);
        // A failing request every second: 10 in the 10 s window would be enough; fewer are not.
        for (int s = 0; s < 100; s++) traffic(1, s % 2, s % 2);
        assertThat(alerts(Alert.KIND_BURN_RATE, a -> "critical".equals(a.severity()))).as("no page on 5 requests").isEmpty();
        SloStatus.Tier page = lastStatus().slo().tiers().get(0);
        assertThat(page.tier()).isEqualTo("page");
        assertThat(page.state()).isEqualTo("suppressed");
        assertThat(page.windows()).singleElement().satisfies(w -> {
            assertThat(w.state()).isEqualTo("low_traffic");
            assertThat(w.shortWindowEvents()).isLessThan(10);
            assertThat(w.reason()).startsWith("low traffic: ").contains("fewer than min_events 10").contains("not alerted");
        });
    }

    @Test
    void aDeletedSloResolvesItsBurnRateAlertsAndForgetsItsCounts() {
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/slo", Targets.parse(SUCCESS_SLO)), T);
        traffic(60, 20, 0);
        traffic(30, 20, 20);
        assertThat(alerts(Alert.KIND_BURN_RATE, Alert::firing)).hasSize(2);
        task.evaluation.targetDelete(new RequirementEvent.TargetDelete("REQ-A/slo"), clock);
        assertThat(alerts(Alert.KIND_BURN_RATE, a -> !a.firing())).hasSize(2)
                .allSatisfy(a -> assertThat(a.resolvedReason()).isEqualTo(Alert.RESOLVED_TARGET_DELETED));
        assertThat(task.episodes.written).isEmpty();
    }

    @Test
    void anSloAlertedOnItsWindowRaisesDeviationAlertsAndReportsItsBudget() {
        Target windowed = Targets.parse("""
                {"requirement": "REQ-A", "metric": "span.error_rate", "target": 0.01, "operator": "lte", "window": "10s",
                 "slo": {"period": "1h", "alerting": "window"}}""");
        assertThat(windowed.slo().objective()).as("lte 0.01 errors: 99 % good").isEqualTo(0.99);
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/err", windowed), T);
        traffic(30, 20, 0);
        traffic(30, 20, 10);
        assertThat(alerts(Alert.KIND_DEVIATION, Alert::firing)).hasSize(1);
        assertThat(alerts(Alert.KIND_BURN_RATE, a -> true)).isEmpty();
        SloStatus budget = lastStatus().slo();
        assertThat(budget.alerting()).isEqualTo("window");
        assertThat(budget.errorBudgetRemaining()).isNegative();
        assertThat(budget.tiers()).extracting(SloStatus.Tier::state).contains("burning");
    }

    @Test
    void turningAnSloIntoAPlainTargetResolvesItsTiersAndStartsItsBudgetOver() {
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/slo", Targets.parse(SUCCESS_SLO)), T);
        traffic(60, 20, 0);
        traffic(30, 20, 20);
        assertThat(alerts(Alert.KIND_BURN_RATE, Alert::firing)).hasSize(2);
        Target plain = Targets.parse("""
                {"requirement": "REQ-A", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "window": "10s", "labels": {"team": "identity"}}""");
        task.evaluation.targetUpsert(new RequirementEvent.TargetUpsert("REQ-A/slo", plain), clock);
        traffic(1, 20, 20);
        assertThat(alerts(Alert.KIND_BURN_RATE, a -> !a.firing())).hasSize(2)
                .allSatisfy(a -> assertThat(a.resolvedReason()).isEqualTo(Alert.RESOLVED_TARGET_CHANGED));
        assertThat(alerts(Alert.KIND_DEVIATION, Alert::firing)).hasSize(1);
        assertThat(lastStatus().slo()).isNull();
    }
}

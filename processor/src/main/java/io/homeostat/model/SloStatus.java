package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The error budget of an SLO target, on the status topic (the {@code slo} object of a target's status): the
 * objective and period, good and total events over the period, the budget left (as a share and in events), the
 * burn rate of every window its tiers use, and each tier's state.
 *
 * @param sli                        good / total over the period (null without events)
 * @param errorBudgetRemaining       the share of the period's budget left: 1 − bad / ((1 − objective) · total);
 *                                   below 0 once overspent
 * @param errorBudgetRemainingEvents bad events the period can still take: (1 − objective) · total − bad
 * @param burnRates                  window → (bad / total) / (1 − objective) over it, null without events
 * @param problem                    why good events cannot be counted for this target (e.g. its metric is a
 *                                   gauge); null when they are
 */
@JsonPropertyOrder({"objective", "period", "alerting", "good", "total", "sli", "error_budget_remaining",
    "error_budget_remaining_events", "burn_rates", "tiers", "problem"})
public record SloStatus(
        double objective,
        String period,
        String alerting,
        long good,
        long total,
        Double sli,
        double errorBudgetRemaining,
        double errorBudgetRemainingEvents,
        Map<String, Double> burnRates,
        List<Tier> tiers,
        String problem) {

    public SloStatus {
        tiers = tiers == null ? List.of() : List.copyOf(tiers);
    }

    /**
     * A tier's state: {@code firing}, {@code ok}, {@code suppressed} (a pair would burn but has too few events),
     * {@code no_events}.
     */
    @JsonPropertyOrder({"tier", "severity", "state", "alert_id", "windows"})
    public record Tier(String tier, String severity, String state, String alertId, List<SloAlert.Window> windows) {}
}

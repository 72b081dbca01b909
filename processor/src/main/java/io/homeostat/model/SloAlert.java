package io.homeostat.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a burn-rate alert ({@code kind: burn_rate}) says about its SLO: the tier, the window pair that burns
 * (both windows and their burn rates), every pair of the tier (and why one is not judged), the error budget left
 * and how long it lasts at the current burn. The {@code slo} object of the alert record.
 *
 * @param timeToExhaustion how long the remaining budget lasts at the short window's burn rate ({@code 2d1h12m});
 *                         {@code 0s} once it is spent
 * @param exhaustsAt       when that is (RFC 3339); null when nothing burns
 */
@JsonPropertyOrder({"tier", "objective", "period", "long_window", "long_burn_rate", "short_window", "short_burn_rate",
    "burn_rate_threshold", "error_budget_remaining", "time_to_exhaustion", "exhausts_at", "windows"})
public record SloAlert(
        String tier,
        double objective,
        String period,
        String longWindow,
        Double longBurnRate,
        String shortWindow,
        Double shortBurnRate,
        double burnRateThreshold,
        double errorBudgetRemaining,
        String timeToExhaustion,
        String exhaustsAt,
        List<Window> windows) {

    public SloAlert {
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    /**
     * One window pair of a tier, judged.
     *
     * @param state  {@code burning}, {@code ok}, {@code low_traffic} (fewer short-window events than min_events: not
     *               judged) or {@code no_events}
     * @param reason why a pair is not judged, for people; null otherwise
     */
    @JsonPropertyOrder({"long_window", "short_window", "burn_rate_threshold", "long_burn_rate", "short_burn_rate",
        "long_window_events", "short_window_events", "state", "reason"})
    public record Window(String longWindow, String shortWindow, double burnRateThreshold, Double longBurnRate,
                         Double shortBurnRate, long longWindowEvents, long shortWindowEvents, String state, String reason) {}
}

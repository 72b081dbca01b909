package io.homeostat.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The SLO form of a target whose verdict is a good/total share: the {@code objective} (the share of good
 * events, e.g. 0.999) over a rolling {@code period}, alerted on by how fast the error budget burns
 * (multiwindow, multi-burn-rate alerts, the SRE Workbook's "Alerting on SLOs"), or on the plain window.
 *
 * <p>What a target writes: {@code objective} (optional, see {@link #defaultObjective}) and
 * {@code slo: {period, alerting, min_events, tiers}}. A target is an SLO when it carries either.
 *
 * @param objective share of good events the period must hold, in (0, 1)
 * @param period    the rolling period the error budget is counted over (default 30d)
 * @param alerting  {@link #BURN_RATE} (the default) or {@link #WINDOW} (today's plain-window alerts; the error
 *                  budget is still reported on the status topic)
 * @param minEvents a burn-rate window pair whose short window holds fewer events is not judged (low traffic)
 * @param tiers     explicit tiers by name ({@code page}, {@code ticket}), used as written; {@code null}: the
 *                  SRE Workbook's tiers scaled to the period
 */
public record SloSpec(double objective, Duration period, String alerting, long minEvents,
                      Map<String, List<BurnWindow>> tiers) {
    public static final String BURN_RATE = "burn_rate";
    public static final String WINDOW = "window";
    public static final String PAGE = "page";
    public static final String TICKET = "ticket";
    public static final Duration DEFAULT_PERIOD = Duration.ofDays(30);
    public static final long DEFAULT_MIN_EVENTS = 10;
    /** Fields of {@code slo}. */
    static final List<String> FIELDS = List.of("period", "alerting", "min_events", "tiers");
    private static final List<String> WINDOW_FIELDS = List.of("long_window", "short_window", "burn_rate");

    /**
     * One multiwindow condition of a tier: both windows burn the budget faster than {@code burnRate}.
     *
     * @param burnRate how many times faster than the period allows: (bad/total) / (1 − objective)
     */
    public record BurnWindow(Duration longWindow, Duration shortWindow, double burnRate) {}

    public SloSpec {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(alerting, "alerting");
        if (tiers != null) {
            Map<String, List<BurnWindow>> copy = new LinkedHashMap<>();
            tiers.forEach((name, windows) -> copy.put(name, List.copyOf(windows)));
            tiers = java.util.Collections.unmodifiableMap(copy);
        }
    }

    public boolean burnRateAlerting() {
        return BURN_RATE.equals(alerting);
    }

    /** The severity of a tier's alerts: a page is critical, a ticket a warning (as Alertmanager routes them). */
    public static String severity(String tier) {
        return PAGE.equals(tier) ? "critical" : "warning";
    }

    /**
     * The share a target already states, when it states one: a distribution's share {@code alert_threshold}
     * ("95 % of logins under 500 ms"), a success ratio's target (gte 0.99), an error ratio's complement (lte 0.01
     * is 0.99 good), a ratio's target (or its complement when the ratio counts the bad events: lte).
     *
     * @return the share, or empty with nothing to say when the target states none
     */
    public static Optional<Double> defaultObjective(String metric, Operator operator, double target, Double alertThreshold,
                                                    boolean ratio) {
        boolean upper = operator == Operator.LT || operator == Operator.LTE;
        if (ratio || metric.equals(SpanSli.SUCCESS_RATE.metric()) || metric.equals(SpanSli.ERROR_RATE.metric())) {
            if (operator == Operator.EQ) return Optional.empty();
            return Optional.of(upper ? 1 - target : target);
        }
        if (alertThreshold != null && alertThreshold > 0 && alertThreshold < 1) return Optional.of(alertThreshold);
        return Optional.empty();
    }

    /**
     * Why a target cannot be an SLO, or empty when it can: its verdict must be a share of good events. The
     * metric's kind is only known for span SLIs and ratios here; an OTLP metric must turn out to be a histogram
     * (the evaluation says so on the status topic when it is not).
     */
    static Optional<String> notAShare(String metric, Operator operator, boolean ratio) {
        Optional<SpanSli> span = SpanSli.of(metric);
        if (operator == Operator.EQ) {
            return Optional.of("an SLO counts good events against a bound; eq has none");
        }
        if (span.isPresent() && !ratio) {
            return switch (span.get()) {
                case COUNT, RATE -> Optional.of(metric + " is not a share of good events (use span.success_rate, "
                        + "span.error_rate, or span.duration_ms with a share)");
                case SUCCESS_RATE -> operator == Operator.GT || operator == Operator.GTE ? Optional.empty()
                        : Optional.of("span.success_rate as an SLO must be a lower bound (gte), the good share");
                case ERROR_RATE -> operator == Operator.LT || operator == Operator.LTE ? Optional.empty()
                        : Optional.of("span.error_rate as an SLO must be an upper bound (lte), the bad share");
                case DURATION_MS -> Optional.empty();
            };
        }
        return Optional.empty();
    }

    /**
     * Reads {@code objective} and {@code slo} of a target ({@code null}, {@code null}: not an SLO), adding every
     * problem to {@code problems}.
     */
    static SloSpec parse(JsonNode objectiveNode, JsonNode sloNode, String metric, Operator operator, Double target,
                         Double alertThreshold, boolean ratio, List<String> problems) {
        boolean hasObjective = objectiveNode != null && !objectiveNode.isNull();
        boolean hasSlo = sloNode != null && !sloNode.isNull();
        if (!hasObjective && !hasSlo) return null;
        int before = problems.size();
        Double objective = null;
        if (hasObjective) {
            if (!objectiveNode.isNumber() || !Double.isFinite(objectiveNode.asDouble())
                    || objectiveNode.asDouble() <= 0 || objectiveNode.asDouble() >= 1) {
                problems.add("'objective' must be a number between 0 and 1 (exclusive), the share of good events, e.g. 0.999");
            } else {
                objective = objectiveNode.asDouble();
            }
        }
        Duration period = DEFAULT_PERIOD;
        String alerting = BURN_RATE;
        long minEvents = DEFAULT_MIN_EVENTS;
        Map<String, List<BurnWindow>> tiers = null;
        if (hasSlo) {
            if (!sloNode.isObject()) {
                problems.add("'slo' must be an object {period, alerting, min_events, tiers}");
            } else {
                sloNode.fieldNames().forEachRemaining(name -> {
                    if (!FIELDS.contains(name)) {
                        problems.add("unknown field 'slo." + name + "'" + Suggestions.closest(name, FIELDS)
                                .map(s -> " (did you mean 'slo." + s + "'?)").orElse(""));
                    }
                });
                period = duration(sloNode.get("period"), "slo.period", DEFAULT_PERIOD, problems);
                if (period != null && period.toMillis() < 60_000) problems.add("'slo.period' must be at least 1m");
                JsonNode alertingNode = sloNode.get("alerting");
                if (alertingNode != null && !alertingNode.isNull()) {
                    if (!alertingNode.isTextual() || !(alertingNode.asText().equals(BURN_RATE) || alertingNode.asText().equals(WINDOW))) {
                        problems.add("'slo.alerting' must be burn_rate (alert on how fast the error budget burns) or window "
                                + "(alert on the plain window, report the budget)");
                    } else {
                        alerting = alertingNode.asText();
                    }
                }
                JsonNode minNode = sloNode.get("min_events");
                if (minNode != null && !minNode.isNull()) {
                    if (!minNode.isNumber() || minNode.asDouble() < 1 || minNode.asDouble() != Math.rint(minNode.asDouble())) {
                        problems.add("'slo.min_events' must be a whole number of at least 1");
                    } else {
                        minEvents = minNode.asLong();
                    }
                }
                tiers = tiers(sloNode.get("tiers"), period, problems);
            }
        }
        if (metric != null && operator != null) {
            notAShare(metric, operator, ratio).ifPresent(why -> problems.add("cannot be an SLO: " + why));
            if (objective == null && target != null && problems.size() == before) {
                objective = defaultObjective(metric, operator, target, alertThreshold, ratio).orElse(null);
                if (objective == null) {
                    problems.add("'objective' is needed: " + metric + " states no share of good events (give a share "
                            + "alert_threshold in (0, 1), e.g. 0.95 for \"95 % of events " + operator.code() + " " + target
                            + "\", or objective)");
                } else if (objective <= 0 || objective >= 1) {
                    problems.add("the objective " + objective + " this target states (from its target " + target
                            + ") must lie between 0 and 1; give 'objective'");
                    objective = null;
                }
            }
        }
        if (problems.size() > before || objective == null || period == null) return null;
        return new SloSpec(objective, period, alerting, minEvents, tiers);
    }

    private static Map<String, List<BurnWindow>> tiers(JsonNode node, Duration period, List<String> problems) {
        if (node == null || node.isNull()) return null;
        if (!node.isObject()) {
            problems.add("'slo.tiers' must be an object {page: [...], ticket: [...]} of window pairs");
            return null;
        }
        Map<String, List<BurnWindow>> tiers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> tier = fields.next();
            String path = "slo.tiers." + tier.getKey();
            if (!tier.getKey().equals(PAGE) && !tier.getKey().equals(TICKET)) {
                problems.add("unknown tier '" + tier.getKey() + "' in 'slo.tiers': use page (critical) or ticket (warning)");
                continue;
            }
            if (!tier.getValue().isArray()) {
                problems.add("'" + path + "' must be a list of {long_window, short_window, burn_rate}");
                continue;
            }
            List<BurnWindow> windows = new ArrayList<>();
            for (int i = 0; i < tier.getValue().size(); i++) {
                JsonNode w = tier.getValue().get(i);
                String item = path + "[" + i + "]";
                if (!w.isObject()) {
                    problems.add("'" + item + "' must be {long_window, short_window, burn_rate}");
                    continue;
                }
                w.fieldNames().forEachRemaining(name -> {
                    if (!WINDOW_FIELDS.contains(name)) problems.add("unknown field '" + item + "." + name + "'");
                });
                Duration longWindow = duration(w.get("long_window"), item + ".long_window", null, problems);
                Duration shortWindow = duration(w.get("short_window"), item + ".short_window", null, problems);
                JsonNode rate = w.get("burn_rate");
                if (longWindow == null || shortWindow == null) {
                    if (w.get("long_window") == null || w.get("short_window") == null) {
                        problems.add("'" + item + "' needs long_window and short_window");
                    }
                    continue;
                }
                if (rate == null || !rate.isNumber() || !(rate.asDouble() > 0) || !Double.isFinite(rate.asDouble())) {
                    problems.add("'" + item + ".burn_rate' must be a number above 0 (how many times faster than the period allows)");
                    continue;
                }
                if (shortWindow.toMillis() <= 0 || shortWindow.compareTo(longWindow) >= 0) {
                    problems.add("'" + item + "': short_window must be longer than 0 and shorter than long_window");
                    continue;
                }
                if (period != null && longWindow.compareTo(period) > 0) {
                    problems.add("'" + item + "': long_window " + Durations.format(longWindow) + " is longer than the period "
                            + Durations.format(period));
                    continue;
                }
                windows.add(new BurnWindow(longWindow, shortWindow, rate.asDouble()));
            }
            tiers.put(tier.getKey(), windows);
        }
        return tiers;
    }

    private static Duration duration(JsonNode value, String field, Duration defaultValue, List<String> problems) {
        if (value == null || value.isNull()) return defaultValue;
        if (!value.isTextual()) {
            problems.add("'" + field + "' must be a duration string such as 5m, 1h, 30d");
            return null;
        }
        try {
            Duration d = Durations.parse(value.asText());
            if (d.isNegative()) {
                problems.add("'" + field + "' must not be negative");
                return null;
            }
            return d;
        } catch (IllegalArgumentException e) {
            problems.add("'" + field + "': " + e.getMessage());
            return null;
        }
    }

    /** Writes {@code objective} and {@code slo} into a target's JSON, every default spelled out but the tiers. */
    void writeTo(ObjectNode target) {
        target.put("objective", objective);
        ObjectNode slo = target.putObject("slo");
        slo.put("period", Durations.format(period));
        slo.put("alerting", alerting);
        slo.put("min_events", minEvents);
        if (tiers != null) {
            ObjectNode tiersNode = slo.putObject("tiers");
            tiers.forEach((name, windows) -> {
                var list = tiersNode.putArray(name);
                for (BurnWindow w : windows) {
                    ObjectNode item = list.addObject();
                    item.put("long_window", Durations.format(w.longWindow()));
                    item.put("short_window", Durations.format(w.shortWindow()));
                    item.put("burn_rate", w.burnRate());
                }
            });
        }
    }
}

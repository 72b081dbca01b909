package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.aggregate.ExplicitHistogram;
import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.evaluate.Evaluator;
import io.homeostat.evaluate.Measurement;
import io.homeostat.evaluate.MetricMeasurer;
import io.homeostat.evaluate.Verdict;
import io.homeostat.model.Aggregation;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import io.homeostat.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prometheus rules and Datadog monitors exported from the seed's file and from the extended example,
 * checked against golden files in src/test/resources/golden/rules/. After an intended change, refresh with
 * {@code ./mvnw -pl processor test -Dtest=RulesExportTest -Dhomeostat.writeGolden=true} and review the diff.
 */
class RulesExportTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    static final Map<String, String> ENV = Map.of("ENV", "production", "VERSION", "1.4.2");

    static TargetFiles.Loaded load(String relative) throws Exception {
        return TargetFiles.load(List.of(new TargetFiles.Source(relative, Files.readString(RepoFiles.resolve(relative)))),
                new Variables(ENV));
    }

    @Test
    void prometheusRulesOfTheSeedFile() throws Exception {
        String rules = PrometheusRules.export(load("config/observability.yml"), "config/observability.yml");
        golden("prometheus-seed.yml", rules);
        List<JsonNode> alerts = YAML.readTree(rules).path("groups").get(0).path("rules").findParents("alert");
        assertThat(alerts).extracting(r -> r.path("labels").path("severity").asText() + " " + condition(r.path("expr").asText()).trim())
                .containsExactly(
                        "warning histogram_quantile(0.95, sum by (le) (rate(login_latency_ms_bucket{requirement=\"REQ-NFR-PERF-001\"}[1m]))) > 500 <= 600",
                        "critical histogram_quantile(0.95, sum by (le) (rate(login_latency_ms_bucket{requirement=\"REQ-NFR-PERF-001\"}[1m]))) > 600",
                        "warning (sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\", status_code!=\"STATUS_CODE_ERROR\"}[1m])) or vector(0))\n"
                                + "  / sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\"}[1m])) < 0.98 >= 0.792",
                        "critical (sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\", status_code!=\"STATUS_CODE_ERROR\"}[1m])) or vector(0))\n"
                                + "  / sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\"}[1m])) < 0.792");
        assertThat(alerts).allSatisfy(rule -> {
            assertThat(rule.path("alert").asText()).isEqualTo("HomeostasisDeviation");
            assertThat(rule.path("labels").path("requirement").asText()).startsWith("REQ-");
            assertThat(rule.path("labels").path("target_id").asText()).contains("/");
        });
        assertThat(alerts.get(0).path("labels").path("constraint").asText()).isEqualTo("C-001");
    }

    @Test
    void datadogMonitorsOfTheSeedFileHaveTheSeedsAlertFields() throws Exception {
        String monitors = DatadogMonitors.exportStream(load("config/observability.yml"), "config/observability.yml");
        golden("datadog-seed.yml", monitors);
        List<JsonNode> documents = documents(monitors);
        assertThat(documents).hasSize(2);
        for (JsonNode monitor : documents) {
            assertThat(monitor.fieldNames()).toIterable().contains("name", "type", "query", "message", "tags", "priority",
                    "notify_no_data");
            assertThat(monitor.path("type").asText()).isEqualTo("metric alert");
            assertThat(monitor.path("message").asText()).contains("**Requirement**", "**Traceability**");
        }
        JsonNode latency = documents.get(0);
        assertThat(latency.path("query").asText().trim())
                .isEqualTo("percentile(last_1m):p95:login_latency_ms{requirement:REQ-NFR-PERF-001} > 600");
        assertThat(latency.path("message").asText()).contains("**Constraint**: C-001");
        assertThat(latency.path("tags")).extracting(JsonNode::asText)
                .contains("requirement:REQ-NFR-PERF-001", "constraint:C-001", "service:customer-portal", "env:production");
        assertThat(latency.path("priority").asInt()).isEqualTo(1);
        assertThat(latency.path("notify_no_data").asBoolean()).isFalse();
        assertThat(latency.path("options").path("thresholds").path("warning").asDouble()).isEqualTo(500);
        assertThat(latency.path("options").path("thresholds").path("critical").asDouble()).isEqualTo(600);
        assertThat(documents.get(1).path("query").asText()).contains("traces.span.metrics.calls{requirement:REQ-F-AUTH-001,!status.code:STATUS_CODE_ERROR}");
    }

    @Test
    void everyKindOfMetricExportsFromTheExtendedExample() throws Exception {
        TargetFiles.Loaded loaded = load("schemas/examples/observability-extended.yml");
        String rules = PrometheusRules.export(loaded, "schemas/examples/observability-extended.yml");
        golden("prometheus-extended.yml", rules);
        String monitors = DatadogMonitors.exportStream(loaded, "schemas/examples/observability-extended.yml");
        golden("datadog-extended.yml", monitors);

        assertThat(rules).contains("HomeostasisNoData", "absent_over_time(login_latency_ms_milliseconds_count{requirement=\"REQ-NFR-PERF-001\"}[10m])",
                "for: 10m",
                "histogram_quantile(0.99, sum(rate(token_issue_ms_milliseconds{requirement=\"REQ-F-TOKEN-001\"}[1m]))) > 60",
                "min(min_over_time(session_store_free_ratio{requirement=\"REQ-NFR-CAP-001\"}[1m])) <= 0.1");
        assertThat(rules).as("a counter is judged by its increase over the window, not its rate")
                .contains("sum(increase(account_lockouts_total{requirement=\"REQ-F-AUTH-001\"}[1m])) > 6")
                .doesNotContain("rate(account_lockouts_total");
        assertThat(rules).as("where as label matchers, aggregation rate").contains(
                "sum(rate(login_attempts_total{requirement=\"REQ-F-AUTH-001\", status=\"failure\"}[5m])) > 2.4");
        assertThat(exprs(rules)).as("the ratio: good / total by their increase, a missing good is 0; min_events on the total").contains(
                "(sum(increase(login_attempts_total{requirement=\"REQ-F-AUTH-001\", status=\"success\"}[5m])) or vector(0))\n"
                        + "  / sum(increase(login_attempts_total{requirement=\"REQ-F-AUTH-001\", status=~\"success|failure\"}[5m])) < 0.792\n"
                        + "and on () sum(increase(login_attempts_total{requirement=\"REQ-F-AUTH-001\", status=~\"success|failure\"}[5m])) >= 50\n");
        assertThat(rules).as("eq: the distance from the target").contains(
                "abs(sum(increase(scheduler_ticks_total{requirement=\"REQ-F-SCHED-001\"}[1h])) - 60) > 2 <= 12");
        assertThat(monitors).as("the time aggregation stays in front of abs(); .as_count() sums before the arithmetic")
                .contains("sum(last_1h):abs(sum:scheduler_ticks{requirement:REQ-F-SCHED-001}.as_count() - 60) > 12");
        assertThat(monitors).as("the ratio, several allowed values as IN").contains("sum(last_5m):sum:login_attempts{requirement:"
                + "REQ-F-AUTH-001,status:success}.as_count() / sum:login_attempts{requirement:REQ-F-AUTH-001 AND status IN "
                + "(success,failure)}.as_count() < 0.792");
        List<JsonNode> docs = documents(monitors);
        assertThat(docs).hasSize(loaded.targets().size());
        JsonNode latency = docs.get(0);
        assertThat(latency.path("notify_no_data").asBoolean()).isTrue();
        assertThat(latency.path("options").path("no_data_timeframe").asInt()).isEqualTo(10);
        assertThat(latency.path("message").asText()).contains("- Design: ADR-001 (Session Storage)",
                "- Code: src/auth/authentication.py", "@pagerduty-critical");
        assertThat(docs.get(2).path("priority").asInt()).as("annotations.priority P2").isEqualTo(2);
        assertThat(DatadogMonitors.export(loaded, "x").keySet()).contains("login_latency_ms_alert.yml", "login_success_rate_alert.yml");
    }

    @Test
    void severityLevelsFollowTheProcessorsRules() throws Exception {
        List<ResolvedTarget> seed = load("config/observability.yml").targets();
        RuleSemantics.Levels latency = RuleSemantics.levels(seed.get(0));
        assertThat(latency.warning()).as("fewer than 95 % below 500 is p95 > 500 (strictly)")
                .isEqualTo(new RuleSemantics.Comparison(">", 500, false));
        assertThat(latency.warningUpTo()).isEqualTo(new RuleSemantics.Comparison("<=", 600, false));
        assertThat(latency.critical()).isEqualTo(new RuleSemantics.Comparison(">", 600, false));
        RuleSemantics.Levels success = RuleSemantics.levels(seed.get(1));
        assertThat(success.warning()).isEqualTo(new RuleSemantics.Comparison("<", 0.98, false));
        assertThat(success.critical().comparator()).isEqualTo("<");
        assertThat(RuleSemantics.number(success.critical().threshold())).isEqualTo("0.792");
    }

    @Test
    void aMetricOfUnknownTypeCannotBeExported() throws Exception {
        TargetFiles.Loaded plain = TargetFiles.load(List.of(new TargetFiles.Source("t.yaml", """
                requirement: REQ-F-AUTH-001
                metric: login_attempts
                target: 1
                operator: gte
                """)), new Variables(Map.of()));
        assertThatThrownBy(() -> PrometheusRules.export(plain, "t.yaml")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems().get(0).message()).contains("its type is unknown", "telemetry.metrics"));
    }

    // ---------------------------------------------------------------- the processor's values, kind by kind

    /** A config/observability.yml declaring a metric of every kind, with the given entries under REQ-1. */
    static TargetFiles.Loaded kinds(String... entries) throws ConfigException {
        StringBuilder file = new StringBuilder("""
                telemetry:
                  service_name: shop
                  metrics:
                    - {name: logins, type: counter}
                    - {name: pool.size, type: gauge}
                    - {name: sessions, type: up_down_counter}
                    - {name: latency_ms, type: histogram}
                    - {name: issue_ms, type: exponential_histogram}
                    - {name: gc_ms, type: summary}
                  homeostasis:
                    REQ-1:
                """);
        for (int i = 0; i < entries.length; i++) file.append("      - {id: t").append(i).append(", ").append(entries[i]).append("}\n");
        return TargetFiles.load(List.of(new TargetFiles.Source("kinds.yml", file.toString())), new Variables(Map.of()));
    }

    static ResolvedTarget kind(String entry) throws ConfigException {
        return kinds(entry).targets().get(0);
    }

    /** The PromQL value of the entry, or "! <why not>". */
    static String promql(String entry) throws Exception {
        ResolvedTarget t = kind(entry);
        try {
            return PrometheusRules.value(RuleSemantics.sli(t), t.target());
        } catch (RuleSemantics.Inexpressible e) {
            return "! " + e.getMessage();
        }
    }

    /** The Datadog query of the entry (without comparison), or "! <why not>". */
    static String datadog(String entry) throws Exception {
        ResolvedTarget t = kind(entry);
        try {
            DatadogMonitors.Query q = DatadogMonitors.query(RuleSemantics.sli(t), t.target());
            return q.timeAggregation() + ":" + q.expression();
        } catch (RuleSemantics.Inexpressible e) {
            return "! " + e.getMessage();
        }
    }

    @Test
    void everyAggregationOfEveryKindIsTheProcessorsValue() throws Exception {
        String w = ", target: 1, operator: gte, window: 5m";
        String[][] cases = {
                // entry, PromQL, Datadog (or "!" and why not)
                {"metric: logins", "sum(increase(logins_total{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):sum:logins{requirement:REQ-1}.as_count()"},
                {"metric: logins, aggregation: increase", "sum(increase(logins_total{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):sum:logins{requirement:REQ-1}.as_count()"},
                {"metric: logins, aggregation: rate", "sum(rate(logins_total{requirement=\"REQ-1\"}[5m]))",
                        "avg(last_5m):sum:logins{requirement:REQ-1}.as_rate()"},
                {"metric: logins, aggregation: count", "sum(count_over_time(logins_total{requirement=\"REQ-1\"}[5m]))",
                        "! aggregation count is the number of points"},
                {"metric: logins, aggregation: max", "sum(increase(logins_total{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):sum:logins{requirement:REQ-1}.as_count()"},
                {"metric: pool.size", "avg(last_over_time(pool_size{requirement=\"REQ-1\"}[5m]))",
                        "! pool.size is judged by its last value in the window"},
                {"metric: pool.size, aggregation: last", "avg(last_over_time(pool_size{requirement=\"REQ-1\"}[5m]))",
                        "! pool.size is judged by its last value in the window"},
                {"metric: pool.size, aggregation: rate", "avg(last_over_time(pool_size{requirement=\"REQ-1\"}[5m]))",
                        "! pool.size is judged by its last value in the window"},
                {"metric: pool.size, aggregation: avg", "sum(sum_over_time(pool_size{requirement=\"REQ-1\"}[5m]))\n"
                        + "  / sum(count_over_time(pool_size{requirement=\"REQ-1\"}[5m]))",
                        "avg(last_5m):avg:pool.size{requirement:REQ-1}"},
                {"metric: pool.size, aggregation: min", "min(min_over_time(pool_size{requirement=\"REQ-1\"}[5m]))",
                        "min(last_5m):min:pool.size{requirement:REQ-1}"},
                {"metric: pool.size, aggregation: max", "max(max_over_time(pool_size{requirement=\"REQ-1\"}[5m]))",
                        "max(last_5m):max:pool.size{requirement:REQ-1}"},
                {"metric: pool.size, aggregation: count", "sum(count_over_time(pool_size{requirement=\"REQ-1\"}[5m]))",
                        "! aggregation count is the number of points"},
                {"metric: sessions", "avg(last_over_time(sessions{requirement=\"REQ-1\"}[5m]))",
                        "! sessions is judged by its last value in the window"},
                {"metric: sessions, aggregation: max", "max(max_over_time(sessions{requirement=\"REQ-1\"}[5m]))",
                        "max(last_5m):max:sessions{requirement:REQ-1}"},
                {"metric: latency_ms", "sum(rate(latency_ms_sum{requirement=\"REQ-1\"}[5m]))\n"
                        + "  / sum(rate(latency_ms_count{requirement=\"REQ-1\"}[5m]))",
                        "avg(last_5m):avg:latency_ms{requirement:REQ-1}"},
                {"metric: latency_ms, aggregation: count", "sum(increase(latency_ms_count{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):count:latency_ms{requirement:REQ-1}"},
                {"metric: latency_ms, aggregation: min", "! aggregation min of a histogram is its smallest observation",
                        "! aggregation min of a histogram is its smallest observation"},
                {"metric: latency_ms, aggregation: max", "! aggregation max of a histogram is its largest observation",
                        "! aggregation max of a histogram is its largest observation"},
                {"metric: latency_ms, alert_threshold: 0.95",
                        "histogram_quantile(0.05, sum by (le) (rate(latency_ms_bucket{requirement=\"REQ-1\"}[5m])))",
                        "percentile(last_5m):p5:latency_ms{requirement:REQ-1}"},
                {"metric: latency_ms, alert_threshold: 0.95, aggregation: count",
                        "histogram_quantile(0.05, sum by (le) (rate(latency_ms_bucket{requirement=\"REQ-1\"}[5m])))",
                        "percentile(last_5m):p5:latency_ms{requirement:REQ-1}"},
                {"metric: issue_ms", "histogram_avg(sum(rate(issue_ms{requirement=\"REQ-1\"}[5m])))",
                        "avg(last_5m):avg:issue_ms{requirement:REQ-1}"},
                {"metric: issue_ms, aggregation: count", "histogram_count(sum(increase(issue_ms{requirement=\"REQ-1\"}[5m])))",
                        "sum(last_5m):count:issue_ms{requirement:REQ-1}"},
                {"metric: issue_ms, alert_threshold: 0.9", "histogram_quantile(0.1, sum(rate(issue_ms{requirement=\"REQ-1\"}[5m])))",
                        "percentile(last_5m):p10:issue_ms{requirement:REQ-1}"},
                {"metric: gc_ms", "sum(rate(gc_ms_sum{requirement=\"REQ-1\"}[5m]))\n  / sum(rate(gc_ms_count{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):sum:gc_ms.sum{requirement:REQ-1}.as_count() / sum:gc_ms.count{requirement:REQ-1}.as_count()"},
                {"metric: gc_ms, aggregation: max", "sum(rate(gc_ms_sum{requirement=\"REQ-1\"}[5m]))\n  / sum(rate(gc_ms_count{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):sum:gc_ms.sum{requirement:REQ-1}.as_count() / sum:gc_ms.count{requirement:REQ-1}.as_count()"},
                {"metric: gc_ms, aggregation: count", "sum(increase(gc_ms_count{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):sum:gc_ms.count{requirement:REQ-1}.as_count()"},
                {"metric: gc_ms, alert_threshold: 0.9", "avg(last_over_time(gc_ms{requirement=\"REQ-1\", quantile=\"0.1\"}[5m]))",
                        "! a summary's quantile is its latest reported value"},
                {"metric: span.count, where: {status: ok}, aggregation: rate",
                        "sum(increase(traces_span_metrics_calls_total{requirement=\"REQ-1\"}[5m]))",
                        "sum(last_5m):sum:traces.span.metrics.calls{requirement:REQ-1}.as_count()"},
        };
        for (String[] c : cases) {
            String entry = c[0] + w;
            if (c[1].startsWith("!")) assertThat(promql(entry)).as(entry).startsWith(c[1]);
            else assertThat(promql(entry)).as(entry).isEqualTo(c[1]);
            if (c[2].startsWith("!")) assertThat(datadog(entry)).as(entry).startsWith(c[2]);
            else assertThat(datadog(entry)).as(entry).isEqualTo(c[2]);
        }
    }

    @Test
    void theRulesValueIsWhatMetricMeasurerComputesForEveryKindAndAggregation() throws Exception {
        Duration minute = Duration.ofMinutes(1);
        MetricAggregate sum = new MetricAggregate.Sum(120, 7);
        MetricAggregate gauge = new MetricAggregate.Gauge(5, 5, 30, 4, 1, 11);
        MetricAggregate.Histogram histogram = MetricAggregate.Histogram.explicit(
                new ExplicitHistogram(new double[] {10, 20, 40}, new long[] {2, 3, 4, 1}), 210, 3, 55);
        MetricAggregate.Summary summary = new MetricAggregate.Summary(10, 50, 5, new double[] {0.1, 0.5, 0.9}, new double[] {2, 4, 9});
        List<Aggregation> aggregations = new ArrayList<>(Arrays.asList(Aggregation.values()));
        aggregations.add(null);
        int checked = 0;
        for (MetricType type : MetricType.values()) {
            // A cumulative up-down counter reaches the processor as a gauge (MetricBatchAggregator).
            MetricAggregate aggregate = switch (type.shape()) {
                case MONOTONIC_SUM -> sum;
                case GAUGE, SUM -> gauge;
                case DISTRIBUTION -> type == MetricType.SUMMARY ? summary : histogram;
            };
            for (Aggregation aggregation : aggregations) {
                for (String threshold : List.of("", ", \"alert_threshold\": 0.9")) {
                    for (String operator : List.of("lt", "gte")) {
                        Target target = TargetParser.parse("{\"requirement\": \"REQ-1\", \"metric\": \"m\", \"target\": 5, "
                                + "\"operator\": \"" + operator + "\"" + threshold
                                + (aggregation == null ? "" : ", \"aggregation\": \"" + aggregation.code() + "\"") + "}");
                        boolean share = Target.thresholdIsShare(target.alertThreshold(),
                                type.shape() == MetricType.Shape.DISTRIBUTION);
                        RuleSemantics.Value value = RuleSemantics.metricValue(type, aggregation, share);
                        double expected = switch (value) {
                            case SUM_INCREASE -> 120;
                            case SUM_RATE -> 2;
                            case SUM_POINTS -> 7;
                            case LEVEL_LAST -> 5;
                            case LEVEL_AVG -> 7.5;
                            case LEVEL_MIN -> 1;
                            case LEVEL_MAX -> 11;
                            case LEVEL_POINTS -> 4;
                            case MEAN -> type == MetricType.SUMMARY ? 5 : 21;
                            case DISTRIBUTION_COUNT -> 10;
                            case DISTRIBUTION_MIN -> 3;
                            case DISTRIBUTION_MAX -> 55;
                            case QUANTILE -> type == MetricType.SUMMARY ? summary.quantile(target.shareQuantile())
                                    : histogram.quantile(target.shareQuantile());
                            default -> throw new AssertionError(value);
                        };
                        assertThat(MetricMeasurer.measure(target, aggregate, minute).actual())
                                .as("%s, aggregation %s%s, %s: %s", type, aggregation, threshold, operator, value)
                                .isEqualTo(expected);
                        checked++;
                    }
                }
            }
            double operand = switch (RuleSemantics.operandValue(type)) {
                case SUM_INCREASE -> 120;
                case LEVEL_LAST -> 5;
                case DISTRIBUTION_COUNT -> 10;
                default -> throw new AssertionError();
            };
            assertThat(MetricMeasurer.ratio(aggregate, new MetricAggregate.Sum(1, 1)).actual()).as("%s as a ratio operand", type)
                    .isEqualTo(operand);
        }
        assertThat(checked).isEqualTo(MetricType.values().length * 8 * 2 * 2);
    }

    @Test
    void aShareIsJudgedStrictlyWhereTheProcessorCountsAndByTheOperatorOnASummary() throws Exception {
        ResolvedTarget histogram = load("config/observability.yml").targets().get(0);
        RuleSemantics.Levels levels = RuleSemantics.levels(histogram);
        assertThat(levels.warning()).isEqualTo(new RuleSemantics.Comparison(">", 500, false));
        double[] seedBuckets = {50, 100, 200, 500, 1000, 2000};
        var exactly95 = MetricAggregate.Histogram.explicit(new ExplicitHistogram(seedBuckets, new long[] {0, 0, 0, 95, 5, 0, 0}),
                40_000, Double.NaN, Double.NaN);
        Measurement atTheBound = MetricMeasurer.measure(histogram.target(), exactly95, Duration.ofMinutes(1));
        assertThat(atTheBound.actual()).as("p95 exactly at 500").isEqualTo(500.0);
        assertThat(Evaluator.judge(histogram.target(), atTheBound, 0, 60_000).state())
                .as("95 %% below 500 meets the target, so p95 = 500 must not fire").isEqualTo(Verdict.State.OK);
        var only94 = MetricAggregate.Histogram.explicit(new ExplicitHistogram(seedBuckets, new long[] {0, 0, 0, 94, 6, 0, 0}),
                40_000, Double.NaN, Double.NaN);
        Measurement beyond = MetricMeasurer.measure(histogram.target(), only94, Duration.ofMinutes(1));
        Verdict verdict = Evaluator.judge(histogram.target(), beyond, 0, 60_000);
        assertThat(verdict.state()).isEqualTo(Verdict.State.VIOLATED);
        assertThat(verdict.severity()).isEqualTo(Evaluator.WARNING);
        assertThat(beyond.actual()).isGreaterThan(levels.warning().threshold()).isLessThanOrEqualTo(levels.warningUpTo().threshold());

        ResolvedTarget summary = kind("metric: gc_ms, target: 50, operator: lt, alert_threshold: 0.9");
        assertThat(RuleSemantics.levels(summary).warning()).as("a summary's quantile is judged by lt itself")
                .isEqualTo(new RuleSemantics.Comparison(">=", 50, false));
        Measurement reported = MetricMeasurer.measure(summary.target(),
                new MetricAggregate.Summary(10, 300, 1, new double[] {0.9}, new double[] {50}), Duration.ofMinutes(1));
        assertThat(Evaluator.judge(summary.target(), reported, 0, 60_000).state()).isEqualTo(Verdict.State.VIOLATED);

        for (String operator : List.of("lt", "lte", "gt", "gte")) {
            ResolvedTarget t = kind("metric: latency_ms, target: 300, operator: " + operator + ", alert_threshold: 0.9");
            assertThat(RuleSemantics.sli(t).quantile()).as("the processor's own share quantile for %s", operator)
                    .isEqualTo(t.target().shareQuantile());
        }
    }

    @Test
    void whereBecomesLabelMatchersAndTagFilters() throws Exception {
        String entry = "metric: logins, where: {http.method: [GET, \"a.b|c\"], status: failure, service.name: checkout},"
                + " aggregation: rate, target: 1, operator: lt, window: 5m";
        assertThat(promql(entry)).isEqualTo("sum(rate(logins_total{requirement=\"REQ-1\", http_method=~\"GET|a\\\\.b\\\\|c\", "
                + "job=\"checkout\", status=\"failure\"}[5m]))");
        assertThat(datadog("metric: logins, where: {status: failure, service.name: checkout}, target: 1, operator: lt"))
                .isEqualTo("sum(last_1m):sum:logins{requirement:REQ-1,service:checkout,status:failure}.as_count()");
        assertThat(datadog("metric: logins, where: {status: [failure, locked], reason: bot}, target: 1, operator: lt"))
                .as("several values: IN, and then AND throughout (the two syntaxes do not mix)")
                .isEqualTo("sum(last_1m):sum:logins{requirement:REQ-1 AND reason:bot AND status IN (failure,locked)}.as_count()");
        assertThat(datadog("metric: logins, where: {reason: \"wrong password\"}, target: 1, operator: lt"))
                .startsWith("! where reason 'wrong password' holds characters");
        assertThat(exprs(PrometheusRules.export(kinds("metric: pool.size, where: {pool: primary}, aggregation: max, target: 10,"
                + " operator: lte, min_events: 3, notify_no_data: true"), "kinds.yml")))
                .as("the guard and the no-data rule filter as the value does").containsExactly(
                        "max(max_over_time(pool_size{requirement=\"REQ-1\", pool=\"primary\"}[1m])) > 10 <= 12\n"
                                + "and on () sum(count_over_time(pool_size{requirement=\"REQ-1\", pool=\"primary\"}[1m])) >= 3\n",
                        "max(max_over_time(pool_size{requirement=\"REQ-1\", pool=\"primary\"}[1m])) > 12\n"
                                + "and on () sum(count_over_time(pool_size{requirement=\"REQ-1\", pool=\"primary\"}[1m])) >= 3\n",
                        "absent_over_time(pool_size{requirement=\"REQ-1\", pool=\"primary\"}[1m])\n");
    }

    @Test
    void aRatioIsGoodOverTotalEachByItsKind() throws Exception {
        String ratio = "metric: login_success, ratio: {good: {metric: logins, where: {status: success}}, "
                + "total: {metric: logins, where: {status: [success, failure]}}}, target: 0.99, operator: gte, "
                + "alert_threshold: 0.98, window: 5m, min_events: 50, notify_no_data: true";
        TargetFiles.Loaded loaded = kinds(ratio);
        assertThat(exprs(PrometheusRules.export(loaded, "kinds.yml"))).containsExactly(
                "(sum(increase(logins_total{requirement=\"REQ-1\", status=\"success\"}[5m])) or vector(0))\n"
                        + "  / sum(increase(logins_total{requirement=\"REQ-1\", status=~\"success|failure\"}[5m])) < 0.98 >= 0.792\n"
                        + "and on () sum(increase(logins_total{requirement=\"REQ-1\", status=~\"success|failure\"}[5m])) >= 50\n",
                "(sum(increase(logins_total{requirement=\"REQ-1\", status=\"success\"}[5m])) or vector(0))\n"
                        + "  / sum(increase(logins_total{requirement=\"REQ-1\", status=~\"success|failure\"}[5m])) < 0.792\n"
                        + "and on () sum(increase(logins_total{requirement=\"REQ-1\", status=~\"success|failure\"}[5m])) >= 50\n",
                "absent_over_time(logins_total{requirement=\"REQ-1\", status=~\"success|failure\"}[5m])\n");
        JsonNode monitor = documents(DatadogMonitors.exportStream(loaded, "kinds.yml")).get(0);
        assertThat(monitor.path("query").asText().trim()).isEqualTo("sum(last_5m):sum:logins{requirement:REQ-1,status:success}"
                + ".as_count() / sum:logins{requirement:REQ-1 AND status IN (success,failure)}.as_count() < 0.792");
        assertThat(monitor.path("options").path("thresholds").path("warning").asDouble()).isEqualTo(0.98);

        String mixed = "metric: pool_share, ratio: {good: {metric: pool.size}, total: {metric: issue_ms}}, target: 0.5, operator: gte";
        assertThat(promql(mixed)).as("a gauge by its last value, a distribution by its observations").isEqualTo(
                "(avg(last_over_time(pool_size{requirement=\"REQ-1\"}[1m])) or vector(0))\n"
                        + "  / histogram_count(sum(increase(issue_ms{requirement=\"REQ-1\"}[1m])))");
        assertThat(datadog(mixed)).startsWith("! ratio operand pool.size is a gauge, judged by its last value");
        assertThat(datadog("metric: gc_share, ratio: {good: {metric: gc_ms}, total: {metric: logins}}, target: 0.5, operator: lt"))
                .isEqualTo("sum(last_1m):sum:gc_ms.count{requirement:REQ-1}.as_count() / sum:logins{requirement:REQ-1}.as_count()");

        TargetFiles.Loaded plain = TargetFiles.load(List.of(new TargetFiles.Source("t.yaml", """
                requirement: REQ-1
                metric: login_success
                ratio: {good: {metric: logins, where: {status: success}}, total: {metric: logins}}
                target: 0.99
                operator: gte
                """)), new Variables(Map.of()));
        assertThatThrownBy(() -> PrometheusRules.export(plain, "t.yaml")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems().get(0).message()).contains("the type of its operands is unknown", "declare logins"));
    }

    @Test
    void whatARuleSystemCannotJudgeAsTheProcessorDoesFailsNamingEveryTargetAndWhy() throws Exception {
        TargetFiles.Loaded loaded = kinds(
                "metric: logins, target: 60, operator: eq, tolerance: 2",
                "metric: pool.size, aggregation: avg, target: 16, operator: eq, tolerance: 2",
                "metric: latency_ms, target: 300, operator: eq, tolerance: 50, alert_threshold: 0.9",
                "metric: pool.size, target: 1, operator: gte");
        assertThat(documents(DatadogMonitors.exportStream(kinds("metric: logins, target: 60, operator: eq, tolerance: 2"), "x"))
                .get(0).path("query").asText()).as("eq on a count: as_count() aggregates before abs()")
                .startsWith("sum(last_1m):abs(sum:logins{requirement:REQ-1}.as_count() - 60) > 12");
        assertThatThrownBy(() -> DatadogMonitors.export(loaded, "kinds.yml")).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("t1", "t2", "t3");
            assertThat(e.problems()).allSatisfy(p -> {
                assertThat(p.source()).isEqualTo("kinds.yml");
                assertThat(p.line()).isPositive();
                assertThat(p.message()).startsWith("cannot export to Datadog: ");
            });
            assertThat(e.problems().get(0).message()).contains("Datadog applies abs() to each point");
            assertThat(e.problems().get(1).message()).contains("share of observations within the tolerance");
            assertThat(e.problems().get(2).message()).contains("judged by its last value", "set aggregation avg, min or max");
            assertThat(e.problems().get(0).toString()).startsWith("kinds.yml:" + e.problems().get(0).line() + ": t1: cannot export");
        });
        assertThatThrownBy(() -> PrometheusRules.export(loaded, "kinds.yml")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                    assertThat(p.path()).isEqualTo("t2");
                    assertThat(p.message()).startsWith("cannot export to Prometheus: eq with a share alert_threshold");
                }));
        assertThat(promql("metric: pool.size, aggregation: avg, target: 16, operator: eq, tolerance: 2")).as("PromQL says it")
                .startsWith("sum(sum_over_time(pool_size");
    }

    @Test
    void minEventsCountsWhatTheProcessorCounts() throws Exception {
        assertThat(exprs(PrometheusRules.export(kinds(
                "metric: logins, target: 5, operator: lte, min_events: 10",
                "metric: issue_ms, aggregation: count, target: 5, operator: gte, min_events: 4"), "kinds.yml")))
                .contains("sum(increase(logins_total{requirement=\"REQ-1\"}[1m])) > 6\n"
                                + "and on () sum(count_over_time(logins_total{requirement=\"REQ-1\"}[1m])) >= 10\n",
                        "histogram_count(sum(increase(issue_ms{requirement=\"REQ-1\"}[1m]))) < 4\n"
                                + "and on () histogram_count(sum(increase(issue_ms{requirement=\"REQ-1\"}[1m]))) >= 4\n");
    }

    @Test
    void holdsKeepingAFiringAlertAsTheProcessorDoes() throws Exception {
        List<String> seed = YAML.readTree(PrometheusRules.export(load("config/observability.yml"), "x")).path("groups").get(0)
                .path("rules").findValuesAsText("expr");
        assertThat(seed.get(0)).as("a share has no band between target and alert level: no hold").isEqualTo(exprs(
                PrometheusRules.export(load("config/observability.yml"), "x")).get(0));
        assertThat(seed.get(2)).as("success rate recovering to 0.985 stays firing until it meets 0.99 (DEVIATING)")
                .contains("/ sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\"}[1m])) < 0.99 >= 0.98\n"
                        + "  )\n  and on () ALERTS{alertname=\"HomeostasisDeviation\", target_id=\"REQ-F-AUTH-001/span.success_rate\", "
                        + "severity=\"warning\", alertstate=\"firing\"}\n)")
                .doesNotContain("unless");
        assertThat(seed.get(3)).contains("severity=\"critical\", alertstate=\"firing\"}");

        List<String> kinds = YAML.readTree(PrometheusRules.export(kinds("metric: logins, target: 5, operator: lte, min_events: 10",
                "metric: pool.size, target: 10, operator: lte, for: 5m"), "kinds.yml")).path("groups").get(0).path("rules")
                .findValuesAsText("expr");
        assertThat(kinds.get(0)).as("fewer events than min_events: no verdict, the alert stays")
                .contains("or on () (\n  (\n    sum(count_over_time(logins_total{requirement=\"REQ-1\"}[1m])) < 10 > 0\n  )\n"
                        + "  and on () ALERTS{alertname=\"HomeostasisDeviation\", target_id=\"t0\", severity=\"warning\", alertstate=\"firing\"}");
        assertThat(kinds.get(2)).as("with for, the old severity holds while the new one waits")
                .contains("avg(last_over_time(pool_size{requirement=\"REQ-1\"}[1m])) > 12\n  )\n"
                        + "  and on () ALERTS{alertname=\"HomeostasisDeviation\", target_id=\"t1\", severity=\"warning\", alertstate=\"firing\"}\n"
                        + "  unless on () ALERTS{alertname=\"HomeostasisDeviation\", target_id=\"t1\", severity=\"critical\", alertstate=\"firing\"}");
    }

    /** Every rule's condition: its expr without what keeps a firing alert firing ({@link #holdsKeepingAFiringAlertAsTheProcessorDoes}). */
    static List<String> exprs(String rules) throws IOException {
        return YAML.readTree(rules).path("groups").get(0).path("rules").findValuesAsText("expr").stream()
                .map(RulesExportTest::condition).toList();
    }

    /** {@code (\n  C\n)\nor on () (...)} → {@code C}; an expr without a hold is its condition. */
    static String condition(String expr) {
        if (!expr.startsWith("(\n  ")) return expr;
        String inner = expr.substring(2, expr.indexOf("\n)\nor on () ("));
        return inner.replace("\n  ", "\n").substring(2) + "\n";
    }

    static List<JsonNode> documents(String yamlStream) throws IOException {
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yamlStream)) {
            return it.readAll();
        }
    }

    static void golden(String name, String actual) throws IOException {
        Path file = RepoFiles.resolve("processor/src/test/resources/golden/rules/" + name);
        if (Boolean.getBoolean("homeostat.writeGolden")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file %s (create or refresh it with -Dhomeostat.writeGolden=true)", name).exists();
        assertThat(actual).as("export differs from golden/rules/%s", name).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}

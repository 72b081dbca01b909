package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        assertThat(alerts).extracting(r -> r.path("labels").path("severity").asText() + " " + r.path("expr").asText().trim())
                .containsExactly(
                        "warning histogram_quantile(0.95, sum by (le) (rate(login_latency_ms_bucket{requirement=\"REQ-NFR-PERF-001\"}[1m]))) >= 500 <= 600",
                        "critical histogram_quantile(0.95, sum by (le) (rate(login_latency_ms_bucket{requirement=\"REQ-NFR-PERF-001\"}[1m]))) > 600",
                        "warning sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\", status_code!=\"STATUS_CODE_ERROR\"}[1m]))\n"
                                + "  / sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\"}[1m])) < 0.98 >= 0.792",
                        "critical sum(rate(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\", status_code!=\"STATUS_CODE_ERROR\"}[1m]))\n"
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

        assertThat(rules).contains("HomeostasisNoData", "absent_over_time(login_latency_ms_count{requirement=\"REQ-NFR-PERF-001\"}[10m])",
                "sum(rate(account_lockouts_total{requirement=\"REQ-F-AUTH-001\"}[1m])) > 6", "for: 10m",
                "histogram_quantile(0.99, sum(rate(token_issue_ms{requirement=\"REQ-F-TOKEN-001\"}[1m]))) > 60",
                "avg(avg_over_time(session_store_free_ratio{requirement=\"REQ-NFR-CAP-001\"}[1m])) <= 0.1",
                "and on () sum(increase(traces_span_metrics_calls_total{requirement=\"REQ-F-AUTH-001\"}[5m])) >= 50");
        assertThat(rules).as("eq: the distance from the target").contains(
                "abs(avg(avg_over_time(worker_pool_size{requirement=\"REQ-NFR-CAP-002\"}[1m])) - 16) > 2 <= 3.2");
        assertThat(monitors).as("the time aggregation stays in front of abs()")
                .contains("avg(last_1m):abs(avg:worker_pool.size{requirement:REQ-NFR-CAP-002} - 16) > 3.2");
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
        assertThat(latency.warning()).isEqualTo(new RuleSemantics.Comparison(">=", 500, false));
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

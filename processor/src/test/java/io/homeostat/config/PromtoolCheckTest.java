package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.testing.ExternalTools;
import io.homeostat.testing.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every exported rule set passes Prometheus' own {@code promtool check rules} (Debian's prometheus package). */
class PromtoolCheckTest {
    @TempDir Path dir;

    void passes(String name, String rules) throws Exception {
        Path file = Files.writeString(dir.resolve(name), rules);
        Promtool.Result result = Promtool.require().checkRules(file);
        int count = new YAMLMapper().readTree(rules).path("groups").get(0).path("rules").size();
        assertThat(result.ok()).as("promtool check rules %s:%n%s", name, result.output()).isTrue();
        assertThat(result.output()).contains("SUCCESS: " + count + " rules found");
        assertThat(count).isPositive();
    }

    @Test
    void theSeedsAndTheExtendedExamplesRulesPass() throws Exception {
        passes("seed.yml", PrometheusRules.export(RulesExportTest.load("config/observability.yml"), "seed"));
        TargetFiles.Loaded extended = RulesExportTest.load("schemas/examples/observability-extended.yml");
        passes("extended.yml", PrometheusRules.export(extended, "extended"));
        passes("extended-raw.yml", PrometheusRules.export(extended, "extended",
                new PrometheusRules.Options(Duration.ofSeconds(15), PrometheusNames.Style.RAW)).rules());
    }

    @Test
    void everyKindAndAggregationThatExportsPasses() throws Exception {
        passes("kinds.yml", PrometheusRules.export(RulesExportTest.kinds(
                "metric: logins, target: 5, operator: lte, min_events: 10, for: 5m",
                "metric: logins, aggregation: rate, target: 1, operator: lt, alert_threshold: 2",
                "metric: logins, aggregation: count, target: 3, operator: gte, notify_no_data: true",
                "metric: pool.size, where: {pool: primary, http.method: [GET, \"a.b|c\"]}, aggregation: max, target: 10, operator: lte",
                "metric: pool.size, aggregation: avg, target: 16, operator: eq, tolerance: 2, alert_threshold: 20",
                "metric: pool.size, aggregation: min, target: 0.2, operator: gt, alert_threshold: 0.1, min_events: 3",
                "metric: sessions, target: 100, operator: lt",
                "metric: latency_ms, target: 300, operator: lt, alert_threshold: 0.9, notify_no_data: true",
                "metric: latency_ms, aggregation: count, target: 10, operator: gte",
                "metric: latency_ms, target: 250, operator: lte",
                "metric: issue_ms, target: 50, operator: gt, alert_threshold: 0.99",
                "metric: issue_ms, aggregation: count, target: 5, operator: gte, min_events: 4",
                "metric: gc_ms, target: 50, operator: lt, alert_threshold: 0.9",
                "metric: gc_ms, target: 20, operator: lt",
                "metric: span.duration_ms, target: 800, operator: lte, for: 2m",
                "metric: span.error_rate, target: 0.01, operator: lt, alert_threshold: 0.05",
                "metric: span.count, target: 10, operator: gte, notify_no_data: true",
                "metric: span.rate, target: 1, operator: gt",
                "metric: login_success, ratio: {good: {metric: logins, where: {status: success}}, total: {metric: logins}}, "
                        + "target: 0.99, operator: gte, alert_threshold: 0.98, min_events: 50, notify_no_data: true"),
                "kinds.yml"));
    }

    @Test
    void promtoolRejectsABrokenRuleSoThisCheckCanFail() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: HomeostasisDeviation
                        expr: sum(rate(login_attempts_total[5m]) > 1
                """);
        Promtool.Result result = Promtool.require().checkRules(broken);
        assertThat(result.ok()).isFalse();
        assertThat(result.output()).contains("FAILED");
        assertThat(ExternalTools.find("no-such-tool")).as("an unknown tool is not found, and nothing is installed").isEmpty();
    }
}

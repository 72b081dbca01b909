package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.config.PrometheusNames.Style;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' OTLP names: the cases of prometheus/otlptranslator's own tests ({@code metric_namer_test.go},
 * {@code label_namer_test.go} at 51da773) that apply without a namespace and with escaping, plus the seed's metrics.
 */
class PrometheusNamesTest {
    @Test
    void metricNamesWithSuffixesAsPrometheusOtlpReceiverMakesThem() {
        String[][] cases = {
                // name, unit, type, expected (UnderscoreEscapingWithSuffixes)
                {"requests", "", "counter", "requests_total"},
                {"cpu_usage", "1", "gauge", "cpu_usage_ratio"},
                {"items", "1", "counter", "items_total"},
                {"response_time", "ms", "gauge", "response_time_milliseconds"},
                {"memory_usage", "By", "gauge", "memory_usage_bytes"},
                {"requests", "1/s", "gauge", "requests_per_second"},
                {"throughput", "By/s", "gauge", "throughput_bytes_per_second"},
                {"custom_metric", "custom_unit", "gauge", "custom_metric_custom_unit"},
                {"custom_metric", "{custom}", "gauge", "custom_metric"},
                {"custom_metric", "By/{custom}", "gauge", "custom_metric_bytes"},
                {"requests_total", "", "counter", "requests_total"},
                {"cpu_usage_ratio", "1", "gauge", "cpu_usage_ratio"},
                {"response_time_seconds", "s", "gauge", "response_time_seconds"},
                {"metric__with__multiple__underscores", "unit__multiple__underscores", "gauge",
                        "metric_with_multiple_underscores_unit_multiple_underscores"},
                {"http.server.duration", "s", "histogram", "http_server_duration_seconds"},
                {"requests.count", "1", "counter", "requests_count_total"},
                {"memory.usage", "By", "gauge", "memory_usage_bytes"},
                // The seed's and the extended example's instruments.
                {"login_latency_ms", "ms", "histogram", "login_latency_ms_milliseconds"},
                {"login_attempts", "1", "counter", "login_attempts_total"},
                {"session_store.free_ratio", "1", "gauge", "session_store_free_ratio"},
                {"active_sessions", "{session}", "up_down_counter", "active_sessions"},
                {"traces.span.metrics.calls", null, "counter", "traces_span_metrics_calls_total"},
                {"traces.span.metrics.duration", "ms", "histogram", "traces_span_metrics_duration_milliseconds"},
                {"total.logins.total", null, "counter", "logins_total"},
                {"2fa_checks", null, "counter", "_2fa_checks_total"},
        };
        for (String[] c : cases) {
            assertThat(PrometheusNames.metric(c[0], c[1], MetricType.of(c[2]).orElseThrow(), Style.OTLP))
                    .as("%s [%s] %s", c[0], c[1], c[2]).isEqualTo(c[3]);
        }
    }

    @Test
    void rawNamesOnlyEscape() {
        assertThat(PrometheusNames.metric("metric@with#special$chars", "", MetricType.GAUGE, Style.RAW))
                .isEqualTo("metric_with_special_chars");
        assertThat(PrometheusNames.metric("123metric", "", MetricType.GAUGE, Style.RAW)).isEqualTo("_123metric");
        assertThat(PrometheusNames.metric("metric@@##$$name", "", MetricType.GAUGE, Style.RAW)).isEqualTo("metric_name");
        assertThat(PrometheusNames.metric("login_latency_ms", "ms", MetricType.HISTOGRAM, Style.RAW)).isEqualTo("login_latency_ms");
        assertThat(PrometheusNames.metric("login_attempts", null, MetricType.COUNTER, Style.RAW)).isEqualTo("login_attempts");
    }

    @Test
    void labelNames() {
        assertThat(PrometheusNames.label("http.method")).isEqualTo("http_method");
        assertThat(PrometheusNames.label("status")).isEqualTo("status");
        assertThat(PrometheusNames.label("label@with#special")).isEqualTo("label_with_special");
        assertThat(PrometheusNames.label("label__with__underscores")).isEqualTo("label_with_underscores");
        assertThat(PrometheusNames.label("123label")).isEqualTo("key_123label");
        assertThat(PrometheusNames.label("service.name")).isEqualTo("job");
    }

    @Test
    void theExportFollowsTheNamesAndWarnsOfShortWindows() throws Exception {
        TargetFiles.Loaded loaded = RulesExportTest.load("schemas/examples/observability-extended.yml");
        PrometheusRules.Export otlp = PrometheusRules.export(loaded, "x", PrometheusRules.Options.DEFAULTS);
        assertThat(otlp.rules()).contains("login_latency_ms_milliseconds_bucket", "login_attempts_total",
                "traces_span_metrics_calls_total");
        assertThat(otlp.warnings()).as("1m windows at the SDKs' default 60 s export interval").hasSize(7)
                .allSatisfy(w -> assertThat(w).contains("window 1m is under 4 sample intervals of 1m", "--scrape-interval"));
        assertThat(otlp.warnings()).anySatisfy(w -> assertThat(w).startsWith("REQ-F-AUTH-001/lockouts: "));

        PrometheusRules.Export raw = PrometheusRules.export(loaded, "x",
                new PrometheusRules.Options(Duration.ofSeconds(15), Style.RAW));
        assertThat(raw.warnings()).as("every window is at least 4 x 15s").isEmpty();
        assertThat(raw.rules()).contains("login_latency_ms_bucket{", "rate(login_attempts{", "traces_span_metrics_calls{")
                .doesNotContain("_total", "_milliseconds", "WARNING");

        PrometheusRules.Export minute = PrometheusRules.export(loaded, "x",
                new PrometheusRules.Options(Duration.ofSeconds(30), Style.OTLP));
        assertThat(minute.warnings()).hasSize(7).allSatisfy(w -> assertThat(w).contains("see about 2 sample(s)"));
        assertThat(minute.rules()).contains("# WARNING: REQ-F-AUTH-001/lockouts: window 1m is under 4 sample intervals of 30s");
    }
}

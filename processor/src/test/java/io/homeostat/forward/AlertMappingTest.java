package io.homeostat.forward;

import static io.homeostat.forward.BridgeFixture.firing;
import static io.homeostat.forward.BridgeFixture.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import io.homeostat.testing.Schemas;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How a Homeostat alert looks to Alertmanager and in a webhook message; no network. */
class AlertMappingTest {

    @Test
    void alertmanagersFingerprintOfALabelSet() {
        // Read off Alertmanager 0.25 (Debian) for these label sets: POST /api/v2/alerts, then GET /api/v2/alerts.
        assertThat(AlertmanagerAlert.fingerprint(Map.of("alertname", "HomeostasisDeviation", "requirement", "REQ-1",
                "severity", "warning"))).isEqualTo("7ae5cded570a2aca");
        assertThat(AlertmanagerAlert.fingerprint(Map.of("alertname", "Ok"))).isEqualTo("171f93434eb7de12");
    }

    @Test
    void labelsAreTheIdentityAnnotationsTheContext() throws Exception {
        Alert alert = Json.MAPPER.readValue(Files.readAllBytes(io.homeostat.testing.RepoFiles.resolve(
                "schemas/examples/alert-firing.json")), Alert.class);
        AlertmanagerAlert am = new AlertMapping(Map.of("cluster", "eu-1", "team", "ignored: the target says"), null)
                .toAlertmanager(alert);
        assertThat(am.labels()).containsExactlyInAnyOrderEntriesOf(new TreeMap<>(Map.of("alertname", "HomeostasisDeviation",
                "requirement", "REQ-NFR-PERF-001", "metric", "span.duration_ms", "target_id",
                "REQ-NFR-PERF-001/span.duration_ms", "severity", "critical", "service", "customer-portal",
                "team", "identity", "cluster", "eu-1")));
        assertThat(am.annotations()).containsEntry("summary", "REQ-NFR-PERF-001: span.duration_ms lt 500 violated, "
                        + "actual 831.96 (89.6% of events good, need 95%), 66.4% off target")
                .containsEntry("description", "Login response time < 500ms")
                .containsEntry("constraint", "C-001")
                .containsEntry("sample_trace_ids", "c8ec07a6c3b4605d2ce8c35ccdc091cb")
                .containsEntry("runbook_url", "https://example.invalid/runbooks/login-latency")
                .containsEntry("runbook", "https://example.invalid/runbooks/login-latency")
                .containsEntry("target", "lt 500")
                .containsEntry("alert_id", alert.alertId())
                .containsEntry("homeostat_fingerprint", alert.fingerprint())
                .doesNotContainKey("business_rules"); // none in the example
        assertThat(am.startsAt()).isEqualTo(alert.startsAt());
        assertThat(am.endsAt()).as("firing: Alertmanager's resolve_timeout applies").isNull();
        assertThat(am.generatorUrl()).isNull();
        assertThat(HttpPoster.JSON.writeValueAsString(am)).startsWith("{\"labels\":{").contains("\"startsAt\":")
                .doesNotContain("endsAt", "generatorURL");
    }

    @Test
    void aResolvedAlertEndsAtItsEndAndKeepsItsLabels() {
        Alert fired = firing("REQ-1/latency", "REQ-1", "warning", 1_800_000_000_000L);
        Alert ended = resolved(fired, 1_800_000_060_000L);
        AlertmanagerAlert firing = AlertMapping.plain().toAlertmanager(fired);
        AlertmanagerAlert done = AlertMapping.plain().toAlertmanager(ended);
        assertThat(done.endsAt()).isEqualTo("2027-01-15T08:01:00.000Z");
        assertThat(done.labels()).isEqualTo(firing.labels());
        assertThat(done.fingerprint()).as("the same alert to Alertmanager").isEqualTo(firing.fingerprint());
        assertThat(done.annotations()).containsEntry("resolved_reason", "target_met");
    }

    @Test
    void alertnamesByKindAndLabelNamesAsPrometheusTakesThem() {
        assertThat(AlertMapping.alertname("deviation")).isEqualTo("HomeostasisDeviation");
        assertThat(AlertMapping.alertname("no_data")).isEqualTo("HomeostasisNoData");
        assertThat(AlertMapping.alertname("burn_rate")).isEqualTo("HomeostasisBurnRate");
        assertThat(AlertMapping.labelName("team")).isEqualTo("team");
        assertThat(AlertMapping.labelName("k8s.namespace.name")).isEqualTo("k8s_namespace_name");
        assertThat(AlertMapping.labelName("2fa-method")).isEqualTo("key_2fa_method");
        Alert noData = new Alert("0123456789abcdef", "0123456789abcdef-1", Alert.FIRING, Alert.KIND_NO_DATA, "REQ-1/m", "REQ-1",
                "m", "lt", 5, null, null, null, null, "warning", 0, "2026-11-24T10:00:00.000Z", "2026-11-24T10:10:00.000Z",
                "2026-11-24T10:10:00.000Z", null, "2026-11-24T10:10:00.000Z", null, null, null, List.of(),
                Map.of("app.kubernetes.io/name", "auth"), Map.of(), List.of());
        AlertmanagerAlert am = AlertMapping.plain().toAlertmanager(noData);
        assertThat(am.labels()).containsEntry("alertname", "HomeostasisNoData").containsEntry("app_kubernetes_io_name", "auth");
        assertThat(am.annotations().get("summary")).isEqualTo("REQ-1: no m data since 2026-11-24T10:00:00.000Z");
        assertThat(am.annotations()).doesNotContainKeys("actual", "good_ratio", "sample_trace_ids");
    }

    @Test
    void theGeneratorUrlLinksBackWithEncodedPlaceholders() {
        Alert alert = firing("REQ-1/span.duration_ms", "REQ-1", "warning", 1_800_000_000_000L);
        AlertMapping mapping = new AlertMapping(Map.of(), "http://homeostat:8080/status/{target_id}?req={requirement}&fp={fingerprint}");
        assertThat(mapping.toAlertmanager(alert).generatorUrl()).isEqualTo("http://homeostat:8080/status/REQ-1%2Fspan.duration_ms"
                + "?req=REQ-1&fp=" + alert.fingerprint());
    }

    @Test
    void aWebhookMessagePerRequirementAsAlertmanagerWritesIt() throws Exception {
        Alert a = firing("REQ-1/latency", "REQ-1", "critical", 1_800_000_000_000L);
        Alert b = resolved(firing("REQ-1/errors", "REQ-1", "warning", 1_800_000_000_000L), 1_800_000_060_000L);
        Alert c = firing("REQ-2/latency", "REQ-2", "warning", 1_800_000_000_000L);
        AlertMapping mapping = AlertMapping.plain();
        List<WebhookMessage> messages = WebhookMessage.group(List.of(mapping.toAlertmanager(a), mapping.toAlertmanager(b),
                mapping.toAlertmanager(c)), "homeostat", "");
        assertThat(messages).hasSize(2);
        WebhookMessage first = messages.get(0);
        assertThat(first.groupKey()).isEqualTo("{}:{requirement=\"REQ-1\"}");
        assertThat(first.status()).isEqualTo("firing");
        assertThat(first.commonLabels()).containsEntry("requirement", "REQ-1").containsEntry("alertname", "HomeostasisDeviation")
                .doesNotContainKeys("severity", "target_id");
        assertThat(first.alerts()).extracting(WebhookMessage.Entry::status).containsExactly("firing", "resolved");
        assertThat(first.alerts().get(1).endsAt()).isEqualTo("2027-01-15T08:01:00.000Z");
        String json = HttpPoster.JSON.writeValueAsString(first);
        assertThat(json).startsWith("{\"version\":\"4\",\"groupKey\":").contains("\"externalURL\":\"\"", "\"generatorURL\":\"\"",
                "\"truncatedAlerts\":0");
    }

    @Test
    void alertmanagersResolveTimeoutReadOffItsConfiguration() {
        assertThat(AlertmanagerReceiver.resolveTimeout("global:\n  resolve_timeout: 2m\nroute: {}\n")).contains(Duration.ofMinutes(2));
        assertThat(AlertmanagerReceiver.resolveTimeout("route: {}\n")).isEmpty();
        assertThat(AlertmanagerReceiver.resolveTimeout("")).isEmpty();
    }

    @Test
    void urlsAreCheckedWithAReasonAndACluster() {
        assertThat(AlertmanagerReceiver.bases(List.of("http://am-0:9093", "http://am-1:9093/", "http://am-0:9093/")))
                .extracting(Object::toString).containsExactly("http://am-0:9093/", "http://am-1:9093/");
        assertThat(AlertmanagerReceiver.bases(List.of("https://proxy/alertmanager")).get(0).resolve("api/v2/alerts"))
                .hasToString("https://proxy/alertmanager/api/v2/alerts");
        assertThatThrownBy(() -> Receivers.check(List.of("am:9093"), "--alertmanager"))
                .hasMessage("--alertmanager 'am:9093' must start with http:// or https://");
        assertThatThrownBy(() -> Receivers.check(List.of("http://user:pw@am:9093"), "--alertmanager"))
                .hasMessageContaining("use --header Authorization=");
        assertThatThrownBy(() -> Receivers.check(List.of(), "--webhook")).hasMessage("--webhook needs at least one URL");
    }

    @Test
    void stateRecordsAreVersioned() throws Exception {
        Alert alert = firing("REQ-1/latency", "REQ-1", "critical", 1_800_000_000_000L);
        byte[] stored = FiringView.encode(new FiringView.Entry(alert, 42));
        assertThat(Json.MAPPER.readTree(stored).path("format").asInt()).isEqualTo(1);
        Schemas.assertValid("alert.schema.json", Json.MAPPER.readTree(stored).path("alert"));
        assertThat(FiringView.decode(stored)).isEqualTo(new FiringView.Entry(alert, 42));
        byte[] newer = new String(stored, java.nio.charset.StandardCharsets.UTF_8).replace("\"format\":1", "\"format\":2")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FiringView.decode(newer)).hasMessageContaining("newer than this Homeostat reads");
    }
}

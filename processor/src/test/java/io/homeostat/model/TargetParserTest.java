package io.homeostat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TargetParserTest {

    @Test
    void minimalTargetGetsTheContractDefaults() throws Exception {
        Target t = TargetParser.parse("""
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte"}""");
        assertThat(t.requirement()).isEqualTo("REQ-F-AUTH-001");
        assertThat(t.operator()).isEqualTo(Operator.GTE);
        assertThat(t.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(t.minEvents()).isEqualTo(1);
        assertThat(t.forDuration()).isZero();
        assertThat(t.notifyNoData()).isFalse();
        assertThat(t.criticalDeviationPercent()).isEqualTo(20.0);
        assertThat(t.tolerance()).isZero();
        assertThat(t.alertThreshold()).isNull();
        assertThat(t.businessRules()).isEmpty();
        assertThat(t.defaultId()).isEqualTo("REQ-F-AUTH-001/span.success_rate");
    }

    @Test
    void contractExampleParsesCompletely() throws Exception {
        Target t = TargetParser.parse("""
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "description": "Login response time < 500ms", "window": "5m",
                 "min_events": 20, "for": "0s", "notify_no_data": true, "no_data_after": "2m",
                 "critical_deviation_percent": 20, "constraint": "C-001", "business_rules": ["BR-003"],
                 "labels": {"team": "identity"}, "annotations": {"runbook": "https://example.invalid/runbooks/login"}}""");
        assertThat(t.window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.minEvents()).isEqualTo(20);
        assertThat(t.notifyNoData()).isTrue();
        assertThat(t.noDataAfter()).isEqualTo(Duration.ofMinutes(2));
        assertThat(t.constraint()).isEqualTo("C-001");
        assertThat(t.businessRules()).containsExactly("BR-003");
        assertThat(t.labels()).containsEntry("team", "identity");
        assertThat(t.annotations()).containsKey("runbook");
    }

    @Test
    void businessRulesAcceptACommaSeparatedString() throws Exception {
        Target t = TargetParser.parse("""
                {"requirement": "R", "metric": "span.count", "target": 1, "operator": "gt", "business_rules": "BR-001, BR-002"}""");
        assertThat(t.businessRules()).containsExactly("BR-001", "BR-002");
    }

    @Test
    void everyProblemIsNamed() {
        assertThatThrownBy(() -> TargetParser.parse("""
                {"metric": "span.count", "target": "fast", "operator": "below", "window": "soon", "alert_treshold": 0.9}"""))
                .isInstanceOf(InvalidTargetException.class)
                .satisfies(e -> assertThat(((InvalidTargetException) e).problems()).containsExactlyInAnyOrder(
                        "unknown field 'alert_treshold' (did you mean 'alert_threshold'?)",
                        "missing required field 'requirement'",
                        "'target' must be a number, not string \"fast\"",
                        "'operator': unknown operator 'below'; use one of lt, lte, gt, gte, eq",
                        "'window': 'soon' is not a duration; use e.g. 500ms, 10s, 5m, 1h"));
    }

    @Test
    void notJsonIsReportedAsSuch() {
        assertThatThrownBy(() -> TargetParser.parse("{not json"))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> TargetParser.parse("[1,2]"))
                .hasMessageContaining("must be a JSON object");
    }

    @Test
    void alertLevelOnTheGoodSideOfTheTargetIsRejected() {
        // "target 0.99, alert if it drops below 0.98" is fine; an alert level above a >= target is not.
        assertThatThrownBy(() -> TargetParser.parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.5, "operator": "gte", "alert_threshold": 2}"""))
                .hasMessageContaining("'alert_threshold' 2.0 lies inside the target");
    }

    @Test
    void minEventsMustBeAWholePositiveNumber() {
        assertThatThrownBy(() -> TargetParser.parse("""
                {"requirement": "R", "metric": "span.count", "target": 1, "operator": "gt", "min_events": 0.5}"""))
                .hasMessageContaining("'min_events' must be a whole number of at least 1");
    }

    @Test
    void toJsonRoundTrips() throws Exception {
        Target t = TargetParser.parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 250, "operator": "lte", "alert_threshold": 0.9,
                 "window": "90s", "for": "30s", "labels": {"b": "2", "a": "1"}, "business_rules": ["BR-9"], "tolerance": 0.5}""");
        assertThat(TargetParser.parse(t.toJson())).isEqualTo(t);
    }
}

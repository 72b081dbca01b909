package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.model.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static Measurement value(double actual, long events) {
        return new Measurement(actual, null, false, events, List.of());
    }

    private static Verdict judge(Target target, Measurement m) {
        return Evaluator.judge(target, m, 0, 60_000);
    }

    @Test
    void seedExample750msAgainstBelow500IsFiftyPercentAndCritical() {
        // The seed: monitor.check_deviation("REQ-NFR-PERF-001", 750) → 50 % deviation, critical (> 20 %).
        Target latency = Targets.parse("""
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt"}""");
        Verdict v = judge(latency, value(750, 100));
        assertThat(v.state()).isEqualTo(Verdict.State.VIOLATED);
        assertThat(v.deviationPercent()).isCloseTo(50.0, within(1e-9));
        assertThat(v.severity()).isEqualTo("critical");
    }

    @Test
    void smallDeviationIsAWarning() {
        Target latency = Targets.parse("""
                {"requirement": "R", "metric": "m", "target": 500, "operator": "lt"}""");
        Verdict v = judge(latency, value(550, 100));
        assertThat(v.deviationPercent()).isCloseTo(10.0, within(1e-9));
        assertThat(v.severity()).isEqualTo("warning");
        assertThat(judge(latency, value(499, 100)).state()).isEqualTo(Verdict.State.OK);
    }

    @Test
    void alertThresholdAsAlertLevelSeparatesDeviatingFromFiring() {
        Target success = Targets.loginSuccess();
        assertThat(judge(success, value(0.995, 1000)).state()).isEqualTo(Verdict.State.OK);
        Verdict deviating = judge(success, value(0.985, 1000));
        assertThat(deviating.state()).isEqualTo(Verdict.State.DEVIATING);
        assertThat(deviating.severity()).isEqualTo("warning");
        Verdict violated = judge(success, value(0.97, 1000));
        assertThat(violated.state()).isEqualTo(Verdict.State.VIOLATED);
        assertThat(violated.deviationPercent()).isCloseTo(2.0202, within(1e-3));
        assertThat(violated.severity()).isEqualTo("warning");
        assertThat(judge(success, value(0.5, 1000)).severity()).isEqualTo("critical");
    }

    @Test
    void alertThresholdOnADistributionIsTheShareOfGoodEvents() {
        Target latency = Targets.loginLatency();
        // p95 = 480 ms, 96 % under 500 ms: met.
        Verdict met = judge(latency, new Measurement(480, 0.96, true, 1000, List.of()));
        assertThat(met.state()).isEqualTo(Verdict.State.OK);
        // p95 = 750 ms, only 41 % under 500 ms: violated, with actual the p95 and good_ratio carried.
        Verdict violated = judge(latency, new Measurement(750, 0.41, true, 1000, List.of("abc")));
        assertThat(violated.state()).isEqualTo(Verdict.State.VIOLATED);
        assertThat(violated.actual()).isEqualTo(750);
        assertThat(violated.goodRatio()).isEqualTo(0.41);
        assertThat(violated.deviationPercent()).isCloseTo(50.0, within(1e-9));
        assertThat(violated.severity()).isEqualTo("critical");
        assertThat(violated.sampleTraceIds()).containsExactly("abc");
    }

    @Test
    void thresholdIsAShareOnlyOnDistributionsAndOnlyInsideZeroToOne() {
        assertThat(Target.thresholdIsShare(0.95, true)).isTrue();
        assertThat(Target.thresholdIsShare(0.95, false)).isFalse();
        assertThat(Target.thresholdIsShare(800.0, true)).isFalse();
        assertThat(Target.thresholdIsShare(null, true)).isFalse();
    }

    @Test
    void belowMinEventsThereIsNoVerdict() {
        Target t = Targets.parse("""
                {"requirement": "R", "metric": "span.error_rate", "target": 0.01, "operator": "lte", "min_events": 20}""");
        assertThat(judge(t, value(0.5, 19)).state()).isEqualTo(Verdict.State.INSUFFICIENT_DATA);
        assertThat(judge(t, value(0.5, 20)).state()).isEqualTo(Verdict.State.VIOLATED);
        assertThat(judge(t, value(Double.NaN, 0)).state()).isEqualTo(Verdict.State.NO_EVENTS);
    }

    @Test
    void eqUsesToleranceAndItsAlertLevelIsADistance() {
        Target t = Targets.parse("""
                {"requirement": "R", "metric": "queue_depth", "target": 100, "operator": "eq", "tolerance": 5,
                 "alert_threshold": 120}""");
        assertThat(judge(t, value(104, 10)).state()).isEqualTo(Verdict.State.OK);
        assertThat(judge(t, value(110, 10)).state()).isEqualTo(Verdict.State.DEVIATING);
        assertThat(judge(t, value(79, 10)).state()).isEqualTo(Verdict.State.VIOLATED);
    }

    @Test
    void aTargetOfZeroHasNoRelativeDeviationAndAnyMissIsCritical() {
        Target t = Targets.parse("""
                {"requirement": "R", "metric": "span.error_rate", "target": 0, "operator": "lte"}""");
        Verdict v = judge(t, value(0.001, 1000));
        assertThat(v.state()).isEqualTo(Verdict.State.VIOLATED);
        assertThat(v.deviationPercent()).isNull();
        assertThat(v.severity()).isEqualTo("critical");
    }

    @Test
    void criticalDeviationPercentIsConfigurable() {
        Target t = Targets.parse("""
                {"requirement": "R", "metric": "m", "target": 100, "operator": "lt", "critical_deviation_percent": 60}""");
        assertThat(judge(t, value(150, 10)).severity()).isEqualTo("warning");
        assertThat(judge(t, value(161, 10)).severity()).isEqualTo("critical");
    }
}

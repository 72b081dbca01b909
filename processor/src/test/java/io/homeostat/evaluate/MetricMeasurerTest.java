package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.aggregate.ExplicitHistogram;
import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.model.MetricRef;
import io.homeostat.model.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricMeasurerTest {
    static final double[] SEED = {50, 100, 200, 500, 1000, 2000};

    static Verdict judge(Target target, Measurement m) {
        return Evaluator.judge(target, m, 0, 60_000);
    }

    @Test
    void seedLatencyTargetOnTheHistogramUsesTheShareMeaning() {
        // REQ-NFR-PERF-001: login_latency_ms < 500 for 95 % ("alert if > 5 % exceed target")
        Target target = Targets.parse("""
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95}""");
        var healthy = MetricAggregate.Histogram.explicit(new ExplicitHistogram(SEED, new long[] {10, 40, 30, 16, 4, 0, 0}),
                18_000, Double.NaN, Double.NaN);
        Measurement ok = MetricMeasurer.measure(target, healthy, Duration.ofMinutes(1));
        assertThat(ok.goodRatio()).isEqualTo(0.96);
        assertThat(judge(target, ok).state()).isEqualTo(Verdict.State.OK);

        var degraded = MetricAggregate.Histogram.explicit(new ExplicitHistogram(SEED, new long[] {0, 10, 20, 30, 30, 10, 0}),
                60_000, Double.NaN, Double.NaN);
        Measurement bad = MetricMeasurer.measure(target, degraded, Duration.ofMinutes(1));
        assertThat(bad.goodRatio()).isEqualTo(0.60);
        assertThat(bad.actual()).as("p95, inside (1000, 2000]").isCloseTo(1500, within(1e-9));
        Verdict v = judge(target, bad);
        assertThat(v.state()).isEqualTo(Verdict.State.VIOLATED);
        assertThat(v.severity()).isEqualTo("critical");
        assertThat(v.events()).isEqualTo(100);
    }

    @Test
    void seedSuccessRateAsARatioOfCountersUsesTheAlertLevelMeaning() {
        // REQ-F-AUTH-001: success rate >= 0.99, "alert if drops below 98 %"
        Target target = Targets.parse("""
                {"requirement": "REQ-F-AUTH-001", "metric": "login_success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "min_events": 50,
                 "ratio": {"good": {"metric": "login_attempts", "where": {"status": "success"}},
                           "total": {"metric": "login_attempts", "where": {"status": ["success", "failure"]}}}}""");
        Measurement deviating = MetricMeasurer.ratio(new MetricAggregate.Sum(197, 2), new MetricAggregate.Sum(200, 4));
        assertThat(deviating.actual()).isEqualTo(0.985);
        assertThat(deviating.events()).isEqualTo(200);
        assertThat(judge(target, deviating).state()).isEqualTo(Verdict.State.DEVIATING);
        Measurement firing = MetricMeasurer.ratio(new MetricAggregate.Sum(97, 2), new MetricAggregate.Sum(100, 4));
        assertThat(judge(target, firing).state()).isEqualTo(Verdict.State.VIOLATED);
        Measurement tooFew = MetricMeasurer.ratio(new MetricAggregate.Sum(9, 1), new MetricAggregate.Sum(10, 1));
        assertThat(judge(target, tooFew).state()).isEqualTo(Verdict.State.INSUFFICIENT_DATA);
        assertThat(MetricMeasurer.ratio(null, null).events()).isZero();
    }

    @Test
    void sumsAreIncreaseByDefaultOrRateOrCount() {
        var sum = new MetricAggregate.Sum(120, 4);
        assertThat(MetricMeasurer.measure(Targets.parse(metric("account_lockouts", null)), sum, Duration.ofMinutes(2)).actual())
                .isEqualTo(120);
        assertThat(MetricMeasurer.measure(Targets.parse(metric("account_lockouts", "rate")), sum, Duration.ofMinutes(2)).actual())
                .isEqualTo(1.0);
        assertThat(MetricMeasurer.measure(Targets.parse(metric("account_lockouts", "count")), sum, Duration.ofMinutes(2)).actual())
                .isEqualTo(4);
    }

    @Test
    void gaugesAreLastByDefaultOrAvgMinMax() {
        var gauge = (MetricAggregate.Gauge) MetricAggregate.Gauge.of(2, 30).merge(MetricAggregate.Gauge.of(1, 10))
                .merge(MetricAggregate.Gauge.of(3, 20));
        assertThat(measure("connections", null, gauge)).isEqualTo(20); // the latest point, by time
        assertThat(measure("connections", "avg", gauge)).isEqualTo(20);
        assertThat(measure("connections", "min", gauge)).isEqualTo(10);
        assertThat(measure("connections", "max", gauge)).isEqualTo(30);
        assertThat(gauge.events()).isEqualTo(3);
    }

    @Test
    void whereMatchesAValueOrAnyOfAList() {
        MetricRef ref = new MetricRef("login_attempts", Map.of("status", List.of("success", "failure")));
        assertThat(ref.matches(Map.of("status", "success", "reason", "x"))).isTrue();
        assertThat(ref.matches(Map.of("status", "attempt"))).isFalse();
        assertThat(ref.matches(Map.of())).isFalse();
        assertThat(new MetricRef("m", Map.of()).matches(Map.of("anything", "goes"))).isTrue();
    }

    private static double measure(String metric, String aggregation, MetricAggregate window) {
        return MetricMeasurer.measure(Targets.parse(metric(metric, aggregation)), window, Duration.ofMinutes(1)).actual();
    }

    private static String metric(String name, String aggregation) {
        return "{\"requirement\": \"R\", \"metric\": \"" + name + "\", \"target\": 1, \"operator\": \"gte\""
                + (aggregation == null ? "" : ", \"aggregation\": \"" + aggregation + "\"") + "}";
    }
}

package io.homeostat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.slo.BurnTiers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SLO form of a target: objective defaults from the share a target states, slo settings, what is refused. */
class SloTargetParserTest {

    static Target parse(String json) throws InvalidTargetException {
        return TargetParser.parse(json);
    }

    static List<String> problems(String json) {
        try {
            TargetParser.parse(json);
        } catch (InvalidTargetException e) {
            return e.problems();
        }
        throw new AssertionError("parsed: " + json);
    }

    @Test
    void theObjectiveDefaultsToTheShareTheTargetStates() throws Exception {
        assertThat(parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 500, "operator": "lt", "alert_threshold": 0.95,
                 "slo": {}}""").slo().objective()).isEqualTo(0.95);
        assertThat(parse("""
                {"requirement": "R", "metric": "login_latency_ms", "target": 500, "operator": "lt", "alert_threshold": 0.95,
                 "slo": {"period": "28d"}}""").slo().objective()).isEqualTo(0.95);
        assertThat(parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.999, "operator": "gte", "slo": {}}""")
                .slo().objective()).isEqualTo(0.999);
        assertThat(parse("""
                {"requirement": "R", "metric": "span.error_rate", "target": 0.01, "operator": "lte", "slo": {}}""")
                .slo().objective()).isCloseTo(0.99, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(parse("""
                {"requirement": "R", "metric": "login_success", "target": 0.99, "operator": "gte", "slo": {},
                 "ratio": {"good": {"metric": "logins", "where": {"status": "ok"}}, "total": {"metric": "logins"}}}""")
                .slo().objective()).isEqualTo(0.99);
        assertThat(parse("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 300, "operator": "lte", "objective": 0.999}""")
                .slo().objective()).as("objective alone makes an SLO").isEqualTo(0.999);
    }

    @Test
    void defaultsAreThirtyDaysBurnRateAlertingAndTenEvents() throws Exception {
        Target t = parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "gte", "objective": 0.995}""");
        assertThat(t.isSlo()).isTrue();
        assertThat(t.burnRateAlerting()).isTrue();
        assertThat(t.slo().period()).isEqualTo(Duration.ofDays(30));
        assertThat(t.slo().minEvents()).isEqualTo(10);
        assertThat(t.slo().tiers()).isNull();
        // Written back with every default, and read again to the same target.
        assertThat(TargetParser.parse(t.toJson())).isEqualTo(t);
        assertThat(t.toJson().get("slo").toString()).isEqualTo("{\"period\":\"30d\",\"alerting\":\"burn_rate\",\"min_events\":10}");
        Target plain = parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "gte"}""");
        assertThat(plain.isSlo()).isFalse();
        assertThat(plain.toJson().has("slo")).isFalse();
    }

    @Test
    void theWorkbookTiersScaleWithThePeriod() throws Exception {
        List<BurnTiers.Tier> thirty = BurnTiers.of(parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "gte", "slo": {}}""").slo());
        assertThat(thirty).extracting(BurnTiers.Tier::name).containsExactly("page", "ticket");
        assertThat(thirty.get(0).windows()).containsExactly(
                new SloSpec.BurnWindow(Duration.ofHours(1), Duration.ofMinutes(5), 14.4),
                new SloSpec.BurnWindow(Duration.ofHours(6), Duration.ofMinutes(30), 6));
        assertThat(thirty.get(1).windows()).containsExactly(
                new SloSpec.BurnWindow(Duration.ofDays(1), Duration.ofHours(2), 3),
                new SloSpec.BurnWindow(Duration.ofDays(3), Duration.ofHours(6), 1));
        List<BurnTiers.Tier> twentyEight = BurnTiers.of(parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "gte", "slo": {"period": "28d"}}""").slo());
        assertThat(twentyEight.get(0).windows().get(0)).isEqualTo(
                new SloSpec.BurnWindow(Duration.ofMinutes(56), Duration.ofMinutes(5), 14.4));
        assertThat(twentyEight.get(1).windows().get(1)).isEqualTo(
                new SloSpec.BurnWindow(Duration.ofMinutes(4032), Duration.ofMinutes(336), 1));
        List<BurnTiers.Tier> seven = BurnTiers.of(parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "gte", "slo": {"period": "7d"}}""").slo());
        assertThat(seven.get(0).windows().get(0)).isEqualTo(
                new SloSpec.BurnWindow(Duration.ofMinutes(14), Duration.ofMinutes(1), 14.4));
        assertThat(seven.get(1).windows().get(1)).isEqualTo(
                new SloSpec.BurnWindow(Duration.ofMinutes(1008), Duration.ofMinutes(84), 1));
        List<BurnTiers.Tier> demo = BurnTiers.of(parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "gte", "slo": {"period": "2h"}}""").slo());
        assertThat(demo.get(0).windows().get(0)).as("below a minute: seconds").isEqualTo(
                new SloSpec.BurnWindow(Duration.ofSeconds(10), Duration.ofSeconds(1), 14.4));
    }

    @Test
    void tiersCanBeWrittenPerTarget() throws Exception {
        Target t = parse("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.999, "operator": "gte",
                 "slo": {"period": "7d", "min_events": 50, "tiers": {"page": [{"long_window": "1h", "short_window": "5m", "burn_rate": 10}]}}}""");
        List<BurnTiers.Tier> tiers = BurnTiers.of(t.slo());
        assertThat(tiers).singleElement().satisfies(page -> {
            assertThat(page.severity()).isEqualTo("critical");
            assertThat(page.windows()).containsExactly(new SloSpec.BurnWindow(Duration.ofHours(1), Duration.ofMinutes(5), 10));
        });
        assertThat(TargetParser.parse(t.toJson())).isEqualTo(t);
    }

    @Test
    void whatIsNoShareOrNoValidSloIsRefusedWithItsReason() {
        assertThat(problems("""
                {"requirement": "R", "metric": "span.count", "target": 10, "operator": "gte", "slo": {}}"""))
                .singleElement().asString().contains("span.count is not a share of good events");
        assertThat(problems("""
                {"requirement": "R", "metric": "span.duration_ms", "target": 500, "operator": "lt", "slo": {}}"""))
                .singleElement().asString().startsWith("'objective' is needed");
        assertThat(problems("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "eq", "slo": {}}"""))
                .singleElement().asString().contains("eq has none");
        assertThat(problems("""
                {"requirement": "R", "metric": "span.success_rate", "target": 0.99, "operator": "gte", "objective": 1.5,
                 "slo": {"period": "soon", "alerting": "loudly", "min_events": 0, "perod": "7d",
                         "tiers": {"urgent": [], "page": [{"long_window": "5m", "short_window": "1h", "burn_rate": 2}]}}}"""))
                .anySatisfy(p -> assertThat(p).startsWith("'objective' must be a number between 0 and 1"))
                .anySatisfy(p -> assertThat(p).startsWith("'slo.period': "))
                .anySatisfy(p -> assertThat(p).startsWith("'slo.alerting' must be burn_rate"))
                .anySatisfy(p -> assertThat(p).isEqualTo("'slo.min_events' must be a whole number of at least 1"))
                .anySatisfy(p -> assertThat(p).isEqualTo("unknown field 'slo.perod' (did you mean 'slo.period'?)"))
                .anySatisfy(p -> assertThat(p).startsWith("unknown tier 'urgent'"))
                .anySatisfy(p -> assertThat(p).contains("short_window must be longer than 0 and shorter than long_window"));
    }
}

package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.model.Operator;
import io.homeostat.testing.SeedFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading config/observability.yml and plain target files: resolution, ids, and every problem with its line. */
class TargetFilesTest {
    static final Map<String, String> SEED_ENV = SeedFiles.ENV;

    static String seed() {
        return SeedFiles.observabilityYml();
    }

    static TargetFiles.Loaded load(String text, Map<String, String> env) throws ConfigException {
        return TargetFiles.load(List.of(new TargetFiles.Source("config/observability.yml", text)), new Variables(env));
    }

    static List<ConfigProblem> problems(String text, Map<String, String> env) {
        try {
            load(text, env);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + text);
    }

    static int lineOf(String text, String needle) {
        return SeedFiles.lineOf(text, needle);
    }

    @Test
    void theSeedFileResolvesAsTheContractSays() throws Exception {
        TargetFiles.Loaded loaded = load(seed(), SEED_ENV);

        assertThat(loaded.targets()).extracting(ResolvedTarget::id)
                .containsExactly("REQ-NFR-PERF-001/login_latency_ms", "REQ-F-AUTH-001/span.success_rate");

        ResolvedTarget latency = loaded.targets().get(0);
        assertThat(latency.target().metric()).isEqualTo("login_latency_ms");
        assertThat(latency.resolution().kind()).isEqualTo(MetricResolution.Kind.DECLARED_METRIC);
        assertThat(latency.resolution().declaration().type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(latency.resolution().distribution()).isTrue();
        assertThat(latency.resolution().thresholdMeaning(latency.target())).isEqualTo(MetricResolution.ThresholdMeaning.SHARE);
        assertThat(latency.target().target()).isEqualTo(500.0);
        assertThat(latency.target().operator()).isEqualTo(Operator.LT);
        assertThat(latency.target().alertThreshold()).isEqualTo(0.95);
        assertThat(latency.target().constraint()).as("inherited from the metric's declaration").isEqualTo("C-001");
        assertThat(latency.line()).isEqualTo(lineOf(seed(), "REQ-NFR-PERF-001:"));
        assertThat(latency.resolution().explain(latency.target()))
                .contains("OTLP histogram", "a distribution", "share of events that must be lt 500", "p95");

        ResolvedTarget success = loaded.targets().get(1);
        assertThat(success.target().metric()).isEqualTo("span.success_rate");
        assertThat(success.resolution().written()).isEqualTo("login_success_rate");
        assertThat(success.resolution().kind()).isEqualTo(MetricResolution.Kind.SPAN_RATIO_BY_NAME);
        assertThat(success.resolution().distribution()).isFalse();
        assertThat(success.resolution().thresholdMeaning(success.target()))
                .isEqualTo(MetricResolution.ThresholdMeaning.ALERT_LEVEL);
        assertThat(success.target().target()).isEqualTo(0.99);
        assertThat(success.target().operator()).isEqualTo(Operator.GTE);
        assertThat(success.target().alertThreshold()).isEqualTo(0.98);
        assertThat(success.resolution().explain(success.target()))
                .contains("login_success_rate -> span.success_rate", "not declared in telemetry.metrics", "alert level");

        assertThat(loaded.config().serviceName()).isEqualTo("customer-portal");
        assertThat(loaded.config().environment()).isEqualTo("production");
        assertThat(loaded.config().globalTags()).containsEntry("version", "1.4.2");
        assertThat(loaded.config().metrics()).containsOnlyKeys("login_attempts", "login_latency_ms", "account_lockouts");
    }

    @Test
    void aRatioEntryKeepsItsNameAndItsDeclaredOperandsAreExplained() throws Exception {
        String file = SeedFiles.withRatio("login_attempts");
        TargetFiles.Loaded loaded = load(file, SEED_ENV);
        ResolvedTarget ratio = loaded.targets().get(1);
        assertThat(ratio.id()).isEqualTo("REQ-F-AUTH-001/login_success_rate");
        assertThat(ratio.target().metric()).as("the ratio's name, not span.success_rate").isEqualTo("login_success_rate");
        assertThat(ratio.json().path("metric").asText()).isEqualTo("login_success_rate");
        assertThat(ratio.target().ratio().good().where()).containsEntry("status", List.of("success"));
        assertThat(ratio.target().ratio().total().where()).containsEntry("status", List.of("success", "failure"));
        assertThat(ratio.resolution().kind()).isEqualTo(MetricResolution.Kind.RATIO);
        assertThat(ratio.resolution().ratio().total().type()).isEqualTo(MetricType.COUNTER);
        assertThat(ratio.resolution().distribution()).isFalse();
        assertThat(ratio.resolution().thresholdMeaning(ratio.target()))
                .as("0.98 on a ratio is an alert level, never a share").isEqualTo(MetricResolution.ThresholdMeaning.ALERT_LEVEL);
        assertThat(ratio.resolution().explainMetric(ratio.target())).isEqualTo("login_success_rate: ratio good / total over "
                + "the window, good = login_attempts where status=success (OTLP counter, line " + lineOf(file, "- name: \"login_attempts\"")
                + ": its increase), total = login_attempts where status in (success, failure) (OTLP counter, line "
                + lineOf(file, "- name: \"login_attempts\"") + ": its increase); events are the total's");
        assertThat(ratio.resolution().explainThreshold(ratio.target()))
                .isEqualTo("alert_threshold 0.98 is the alert level: deviating below 0.99, alerting below 0.98");
        assertThat(ratio.notes()).as("a ratio inherits nothing from its operands' declarations").isEmpty();
    }

    @Test
    void aRatioOperandThatNothingDeclaresIsAProblemOnItsLine() {
        String file = SeedFiles.withRatio("login_attempt");
        assertThat(problems(file, SEED_ENV)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(lineOf(file, "total: {metric: \"login_attempt\""));
            assertThat(p.column()).isPositive();
            assertThat(p.path()).isEqualTo("telemetry.homeostasis.REQ-F-AUTH-001");
            assertThat(p.message()).contains("'ratio.total.metric': unknown metric 'login_attempt' (did you mean 'login_attempts'?)",
                    "declare it in telemetry.metrics");
        });
    }

    @Test
    void explanationsSayHowTheProcessorAggregatesEachKind() throws Exception {
        String file = """
                telemetry:
                  metrics:
                    - {name: logins, type: counter}
                    - {name: pool, type: gauge}
                    - {name: sessions, type: up_down_counter}
                    - {name: latency_ms, type: histogram}
                    - {name: gc_ms, type: summary}
                  homeostasis:
                    REQ-1:
                      - {metric: logins, target: 5, operator: lte}
                      - {id: rate, metric: logins, aggregation: rate, where: {status: [failure, locked]}, target: 1, operator: lt}
                      - {id: avg-of-a-counter, metric: logins, aggregation: avg, target: 5, operator: lte}
                      - {metric: pool, target: 2, operator: gte}
                      - {metric: sessions, target: 2, operator: gte}
                      - {metric: latency_ms, target: 300, operator: gte, alert_threshold: 0.9}
                      - {id: count, metric: latency_ms, target: 300, operator: lte, aggregation: count, alert_threshold: 0.9}
                      - {metric: gc_ms, aggregation: max, target: 50, operator: lt}
                      - {metric: span.count, where: {status: ok}, target: 1, operator: gte}
                """;
        List<String> explained = load(file, Map.of()).targets().stream()
                .map(t -> t.resolution().explain(t.target())).toList();
        assertThat(explained.get(0)).contains("judged by its increase over the window").doesNotContain("rate");
        assertThat(explained.get(1)).contains("judged by its rate (increase per second over the window)",
                "of its points where status in (failure, locked)");
        assertThat(explained.get(2)).contains("judged by its increase", "aggregation avg does not apply to a counter");
        assertThat(explained.get(3)).contains("judged by its last value in the window");
        assertThat(explained.get(4)).contains("judged by its last value in the window", "cumulative");
        assertThat(explained.get(5)).as("a share of a lower bound is the low quantile, Target.shareQuantile")
                .contains("a distribution", "share of events that must be gte 300 (actual = p10)");
        assertThat(explained.get(6)).contains("aggregation count is not used: a share alert_threshold judges a quantile",
                "(actual = p90)");
        assertThat(explained.get(7)).contains("judged by its mean", "aggregation max does not apply to a summary");
        assertThat(explained.get(8)).contains("where does not apply to span SLIs: ignored");
    }

    @Test
    void theSeedFileLoadsWithoutItsVariablesAndWarnsOnTheLinesThatUseThem() throws Exception {
        // ${ENV} and ${VERSION} stand only where Homeostat reads nothing a target is made of.
        TargetFiles.Loaded loaded = load(seed(), Map.of("VERSION", "1.4.2"));
        assertThat(loaded.targets()).hasSize(2);
        assertThat(loaded.warnings()).isNotEmpty().allSatisfy(w -> assertThat(w.message())
                .contains("ENV is not set", "not read by Homeostat"));
        assertThat(loaded.warnings()).extracting(ConfigProblem::line)
                .containsExactly(lineOf(seed(), "environment: \"${ENV}\""), lineOf(seed(), "    environment: \"${ENV}\""));
        assertThat(loaded.warnings().get(0).toString())
                .startsWith("config/observability.yml:" + lineOf(seed(), "environment: \"${ENV}\"") + ":");
        assertThat(loaded.config().environment()).as("left out, never the text ${ENV}").isNull();
        assertThat(loaded.config().globalTags()).containsEntry("version", "1.4.2").doesNotContainKey("environment");
    }

    @Test
    void aVariableNotSetWhereATargetIsMadeOfIsStillAnError() {
        String file = """
                telemetry:
                  environment: "${ENV}"
                  traces:
                    sample_rate: ${SAMPLE_RATE}
                  homeostasis:
                    REQ-F-AUTH-001:
                      metric: span.error_rate
                      target: ${ERROR_BUDGET}
                      operator: lte
                """;
        assertThat(problems(file, Map.of())).extracting(ConfigProblem::message)
                .noneMatch(m -> m.contains("ENV is not set"))
                .contains("environment variable SAMPLE_RATE is not set (referenced as ${SAMPLE_RATE}; set it, or write ${SAMPLE_RATE:-default})",
                        "environment variable ERROR_BUDGET is not set (referenced as ${ERROR_BUDGET}; set it, or write ${ERROR_BUDGET:-default})");
        // In a plain target file every value is read.
        assertThat(problems("{requirement: R, metric: span.count, target: 1, operator: gte, description: \"${WHO}\"}", Map.of()))
                .extracting(ConfigProblem::message).singleElement().asString().contains("WHO is not set");
    }

    @Test
    void theSeedsTraceSamplingWeighsItsSpanTargetsOnly() throws Exception {
        TargetFiles.Loaded loaded = load(seed(), SEED_ENV);
        assertThat(loaded.config().traces()).isEqualTo(new io.homeostat.model.Sampling(0.1, true));
        ResolvedTarget successRate = loaded.targets().stream().filter(t -> t.target().metric().equals("span.success_rate"))
                .findFirst().orElseThrow();
        assertThat(successRate.target().sampling()).isEqualTo(new io.homeostat.model.Sampling(0.1, true));
        assertThat(successRate.notes()).anySatisfy(n -> assertThat(n).contains("sampling 0.1, errors always kept from telemetry.traces"));
        ResolvedTarget latency = loaded.targets().stream().filter(t -> t.target().metric().equals("login_latency_ms"))
                .findFirst().orElseThrow();
        assertThat(latency.target().sampling()).as("an OTLP histogram is not sampled").isNull();
        // An entry's own sampling wins over the file's.
        String own = seed().replace("      metric: \"login_success_rate\"",
                "      metric: \"login_success_rate\"\n      sampling: {sample_rate: 0.5}");
        assertThat(own).isNotEqualTo(seed());
        assertThat(load(own, SEED_ENV).targets().stream().filter(t -> t.target().metric().equals("span.success_rate"))
                .findFirst().orElseThrow().target().sampling()).isEqualTo(new io.homeostat.model.Sampling(0.5, false));
    }

    @Test
    void aBrokenFileNamesEveryProblemWithItsLineAndField() throws Exception {
        String broken = SeedFiles.broken();
        List<ConfigProblem> problems = problems(broken, SEED_ENV);
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                .startsWith("config/observability.yml:" + lineOf(broken, "operator: \"below\"") + ":")
                .contains("telemetry.homeostasis.REQ-NFR-PERF-001", "'operator'", "unknown operator 'below'"));
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                .startsWith("config/observability.yml:" + lineOf(broken, "alert_treshold") + ":")
                .contains("unknown field 'alert_treshold' (did you mean 'alert_threshold'?)"));
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                .startsWith("config/observability.yml:" + lineOf(broken, "target: \"high\"") + ":")
                .contains("'target' must be a number"));
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                .startsWith("config/observability.yml:" + lineOf(broken, "login_sucess_count") + ":")
                .contains("unknown metric 'login_sucess_count'", "declare it in telemetry.metrics"));
        assertThat(problems).extracting(ConfigProblem::toString).anySatisfy(p -> assertThat(p)
                .startsWith("config/observability.yml:" + lineOf(broken, "REQ-F-AUTH-002:") + ":")
                .contains("missing required field 'metric'"));
        assertThat(problems).hasSize(5);
    }

    @Test
    void anUnquotedVariableIsTypedAfterExpansionAQuotedOneStaysText() {
        String file = """
                telemetry:
                  homeostasis:
                    REQ-NFR-PERF-001:
                      metric: span.duration_ms
                      target: ${LATENCY_MS:-500}
                      operator: lt
                      window: ${WINDOW:-5m}
                    REQ-F-AUTH-001:
                      metric: span.success_rate
                      target: "${SUCCESS:-0.99}"
                      operator: gte
                """;
        List<ConfigProblem> problems = problems(file, Map.of());
        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(10);
            assertThat(p.message()).contains("'target' must be a number, not string \"0.99\"");
        });
    }

    @Test
    void variablesTakeTheirValuesFromTheEnvironment() throws Exception {
        String file = """
                telemetry:
                  homeostasis:
                    REQ-NFR-PERF-001:
                      metric: span.duration_ms
                      target: ${LATENCY_MS:-500}
                      operator: lt
                """;
        assertThat(load(file, Map.of()).targets().get(0).target().target()).isEqualTo(500.0);
        assertThat(load(file, Map.of("LATENCY_MS", "250")).targets().get(0).target().target()).isEqualTo(250.0);
    }

    @Test
    void severalTargetsPerRequirementAndChosenIds() throws Exception {
        String file = """
                telemetry:
                  metrics:
                    - name: account_lockouts
                      type: counter
                      business_rule: BR-003
                  homeostasis:
                    REQ-F-AUTH-001:
                      - metric: login_success_rate
                        target: 0.99
                        operator: gte
                      - id: auth/lockouts
                        metric: account_lockouts
                        target: 5
                        operator: lte
                      - metric: checkout_error_rate
                        target: 0.01
                        operator: lt
                """;
        List<ResolvedTarget> targets = load(file, Map.of()).targets();
        assertThat(targets).extracting(ResolvedTarget::id)
                .containsExactly("REQ-F-AUTH-001/span.success_rate", "auth/lockouts", "REQ-F-AUTH-001/span.error_rate");
        assertThat(targets.get(1).target().businessRules()).containsExactly("BR-003");
        assertThat(targets.get(1).notes()).singleElement().asString().contains("BR-003");
        assertThat(targets.get(1).line()).isEqualTo(11);
    }

    @Test
    void twoTargetsWithOneIdAreAProblem() {
        String file = """
                telemetry:
                  homeostasis:
                    REQ-F-AUTH-001:
                      - metric: login_success_rate
                        target: 0.99
                        operator: gte
                      - metric: span.success_rate
                        target: 0.95
                        operator: gte
                """;
        assertThat(problems(file, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(7);
            assertThat(p.message()).contains("target id 'REQ-F-AUTH-001/span.success_rate' is also defined at config/observability.yml:4");
        });
    }

    @Test
    void aRequirementFieldMustMatchItsKey() {
        String file = """
                telemetry:
                  homeostasis:
                    REQ-F-AUTH-001:
                      requirement: REQ-F-AUTH-002
                      metric: span.success_rate
                      target: 0.99
                      operator: gte
                """;
        assertThat(problems(file, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("is under REQ-F-AUTH-001");
        });
    }

    @Test
    void unknownMetricTypesAndDuplicateKeysAreNamed() {
        String file = """
                telemetry:
                  metrics:
                    - name: login_latency_ms
                      type: histgram
                  homeostasis:
                    REQ-F-AUTH-001:
                      metric: span.success_rate
                      target: 0.99
                      target: 0.98
                      operator: gte
                """;
        List<ConfigProblem> problems = problems(file, Map.of());
        assertThat(problems).extracting(ConfigProblem::line).containsExactly(4, 9);
        assertThat(problems.get(0).message()).contains("unknown metric type 'histgram'", "histogram");
        assertThat(problems.get(1).message()).contains("duplicate key 'target' (first at line 8)");
    }

    @Test
    void notValidYamlIsAProblemWithItsLine() {
        String file = """
                telemetry:
                  homeostasis:
                    REQ-F-AUTH-001:
                      metric: [span.success_rate
                      target: 0.99
                """;
        assertThat(problems(file, Map.of())).singleElement().satisfies(p -> {
            assertThat(p.line()).isGreaterThanOrEqualTo(4);
            assertThat(p.message()).startsWith("not valid YAML");
        });
    }

    @Test
    void plainTargetDocumentsUseTheirIdOrRequirementAndMetric() throws Exception {
        String yaml = """
                id: latency
                requirement: REQ-NFR-PERF-001
                metric: span.duration_ms
                target: 500
                operator: lt
                alert_threshold: 0.95
                ---
                - requirement: REQ-F-AUTH-001
                  metric: span.success_rate
                  target: 0.99
                  operator: gte
                - requirement: REQ-F-AUTH-001
                  metric: login_success_rate
                  target: 0.99
                  operator: gte
                """;
        String json = """
                [{"requirement": "REQ-F-CHECKOUT-001", "metric": "span.error_rate", "target": 0.01, "operator": "lt"}]
                """;
        TargetFiles.Loaded loaded = TargetFiles.load(List.of(new TargetFiles.Source("targets.yaml", yaml),
                new TargetFiles.Source("more.json", json)), new Variables(Map.of()));
        assertThat(loaded.config()).isNull();
        assertThat(loaded.targets()).extracting(ResolvedTarget::id).containsExactly("latency",
                "REQ-F-AUTH-001/span.success_rate", "REQ-F-AUTH-001/login_success_rate", "REQ-F-CHECKOUT-001/span.error_rate");
        assertThat(loaded.targets().get(2).target().metric()).as("plain targets are taken as written")
                .isEqualTo("login_success_rate");
        assertThat(loaded.targets().get(2).resolution().kind()).isEqualTo(MetricResolution.Kind.UNDECLARED_METRIC);
        assertThat(loaded.targets().get(3).origin()).isEqualTo("more.json:1");
    }

    @Test
    void aPlainTargetWithAProblemIsNamedByDocumentLine() {
        String yaml = """
                requirement: REQ-F-AUTH-001
                metric: span.success_rate
                target: 0.99
                operator: gte
                ---
                requirement: REQ-F-AUTH-002
                metric: span.success_rate
                target: 0.99
                operator: greater
                """;
        assertThatThrownBy(() -> TargetFiles.load(List.of(new TargetFiles.Source("t.yaml", yaml)), new Variables(Map.of())))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .satisfies(p -> assertThat(p.toString()).startsWith("t.yaml:9:").contains("unknown operator 'greater'")));
    }
}

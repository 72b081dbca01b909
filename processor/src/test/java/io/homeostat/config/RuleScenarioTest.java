package io.homeostat.config;

import static io.homeostat.config.RuleScenario.Level.CRITICAL;
import static io.homeostat.config.RuleScenario.Level.DEVIATING;
import static io.homeostat.config.RuleScenario.Level.FEW;
import static io.homeostat.config.RuleScenario.Level.HEALTHY;
import static io.homeostat.config.RuleScenario.Level.SILENT;
import static io.homeostat.config.RuleScenario.Level.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.config.RuleScenario.Level;
import io.homeostat.config.RuleScenario.Phase;
import io.homeostat.model.Durations;
import io.homeostat.testing.Promtool;
import io.homeostat.testing.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "One target, one meaning, everywhere", checked: for every target of the seed's file and of the extended
 * example, one timeline of telemetry goes through the processor (TopologyTestDriver) and, as the series
 * Prometheus would hold, through the exported rules ({@code promtool test rules}, Debian's prometheus package).
 * The promtool test is generated from Homeostat's verdicts: at every evaluation where the data has been in one
 * phase for a whole window (plus {@code for}, plus {@code no_data_after}), the rules must have exactly the alerts
 * Homeostat has firing, with the same severity. Around phase changes the two may differ for up to a window
 * (Homeostat's window and Prometheus' extrapolating {@code rate()} see a change at different moments): those
 * evaluations are compared too and reported, not asserted. Files and a summary land in
 * {@code processor/target/rule-scenarios/}.
 *
 * <p>Not covered: the exponential-histogram targets of the extended example (REQ-F-TOKEN-001): Debian's promtool
 * 2.42 cannot load native histograms in a unit test.
 */
class RuleScenarioTest {
    private static final Path OUT = RepoFiles.resolve("processor/target/rule-scenarios");
    private static final List<String> SUMMARY = new ArrayList<>();

    @TempDir Path stateDir;

    static Phase p(Level level, int minutes, String expect) {
        return new Phase(level, Duration.ofMinutes(minutes), expect);
    }

    static Stream<RuleScenario> scenarios() throws Exception {
        TargetFiles.Loaded seed = RulesExportTest.load("config/observability.yml");
        TargetFiles.Loaded extended = RulesExportTest.load("schemas/examples/observability-extended.yml");
        Duration s15 = Duration.ofSeconds(15);
        double[] sessions = {0};
        return Stream.of(
                new RuleScenario("seed-latency", seed, "REQ-NFR-PERF-001/login_latency_ms", s15, List.of(
                        p(HEALTHY, 4, null), p(WARNING, 4, "warning"), p(CRITICAL, 4, "critical"), p(HEALTHY, 4, null)),
                        (level, k, r) -> latency(level, k, r, "login_latency_ms")),
                new RuleScenario("seed-success-rate", seed, "REQ-F-AUTH-001/span.success_rate", s15, List.of(
                        // Back from critical, the window's ratio passes the warning band (severity warning), then
                        // stays between target and alert level: the warning holds until the target is met.
                        p(HEALTHY, 4, null), p(WARNING, 4, "warning"), p(CRITICAL, 4, "critical"),
                        p(DEVIATING, 4, "warning"), p(HEALTHY, 4, null)),
                        (level, k, r) -> r.spans(200, 120, switch (level) {
                            case WARNING -> 8;         // 0.96
                            case CRITICAL -> 60;       // 0.70
                            case DEVIATING -> 3;       // 0.985: misses 0.99, not the alert level 0.98
                            default -> 0;
                        })),
                new RuleScenario("latency-min-events-no-data", extended, "REQ-NFR-PERF-001/login_latency_ms", s15, List.of(
                        p(HEALTHY, 8, null), p(WARNING, 8, "warning"), p(CRITICAL, 8, "critical"), p(FEW, 8, "critical"),
                        p(HEALTHY, 8, null), p(SILENT, 14, null), p(HEALTHY, 8, null)),
                        (level, k, r) -> latency(level, k, r, "login_latency_ms")),
                new RuleScenario("success-ratio", extended, "REQ-F-AUTH-001/login_success_rate", s15, List.of(
                        p(HEALTHY, 8, null), p(WARNING, 8, "warning"), p(CRITICAL, 8, "critical"),
                        p(DEVIATING, 8, "warning"), p(HEALTHY, 8, null)),
                        (level, k, r) -> {
                            double[] sf = switch (level) {
                                case WARNING -> new double[] {96, 4};
                                case CRITICAL -> new double[] {70, 30};
                                case DEVIATING -> new double[] {197, 3};
                                default -> new double[] {100, 0};
                            };
                            r.count("login_attempts", sf[0], "status", "success");
                            if (sf[1] > 0) r.count("login_attempts", sf[1], "status", "failure");
                            r.count("login_attempts", 5, "status", "locked"); // outside the ratio's where
                        }),
                new RuleScenario("lockouts-for", extended, "REQ-F-AUTH-001/lockouts", s15, List.of(
                        p(HEALTHY, 14, null), p(WARNING, 14, "warning"), p(CRITICAL, 14, "critical"),
                        p(WARNING, 14, "warning"), p(HEALTHY, 14, null)),
                        (level, k, r) -> r.count("account_lockouts", switch (level) {
                            case WARNING -> 1.5;   // 6 a minute
                            case CRITICAL -> 3;    // 12 a minute
                            default -> 0.5;
                        })),
                new RuleScenario("failure-rate", extended, "REQ-F-AUTH-001/login_attempts", s15, List.of(
                        p(HEALTHY, 8, null), p(WARNING, 8, "warning"), p(CRITICAL, 8, "critical"), p(HEALTHY, 8, null)),
                        (level, k, r) -> {
                            r.count("login_attempts", switch (level) {
                                case WARNING -> 33;    // 2.2/s
                                case CRITICAL -> 45;   // 3/s
                                default -> 15;
                            }, "status", "failure");
                            r.count("login_attempts", 100, "status", "success");
                        }),
                new RuleScenario("span-duration", extended, "REQ-F-AUTH-001/span.duration_ms", s15, List.of(
                        p(HEALTHY, 4, null), p(WARNING, 4, "warning"), p(CRITICAL, 4, "critical"), p(HEALTHY, 4, null)),
                        (level, k, r) -> r.spans(10, switch (level) {
                            case WARNING -> 900;
                            case CRITICAL -> 1200;
                            default -> 500;
                        }, 0)),
                new RuleScenario("checkout-error-rate", extended, "REQ-F-CHECKOUT-001/span.error_rate", s15, List.of(
                        p(HEALTHY, 4, null), p(DEVIATING, 4, null), p(CRITICAL, 4, "critical"), p(DEVIATING, 4, "critical"),
                        p(HEALTHY, 4, null)),
                        (level, k, r) -> r.spans(50, 40, switch (level) {
                            case DEVIATING -> 1;   // 0.02: misses 0.01, not the alert level 0.05
                            case CRITICAL -> 5;    // 0.10
                            default -> 0;
                        })),
                new RuleScenario("sessions-max", extended, "REQ-F-SESSION-001/active_sessions", s15, List.of(
                        p(HEALTHY, 4, null), p(WARNING, 4, "warning"), p(CRITICAL, 4, "critical"), p(HEALTHY, 4, null)),
                        (level, k, r) -> {
                            double want = switch (level) {
                                case WARNING -> 11_000;
                                case CRITICAL -> 15_000;
                                default -> 5_000;
                            };
                            r.level("active_sessions", want - sessions[0]);
                            sessions[0] = want;
                        }),
                new RuleScenario("free-ratio-min", extended, "REQ-NFR-CAP-001/session_store.free_ratio", s15, List.of(
                        p(HEALTHY, 4, null), p(CRITICAL, 4, "critical"), p(DEVIATING, 4, "critical"), p(HEALTHY, 4, null)),
                        (level, k, r) -> r.gauge("session_store.free_ratio", switch (level) {
                            case CRITICAL -> 0.05;
                            case DEVIATING -> 0.15;   // misses 0.2, not the alert level 0.1
                            default -> 0.5;
                        })),
                new RuleScenario("pool-avg", extended, "REQ-NFR-CAP-002/worker_pool.size", s15, List.of(
                        p(HEALTHY, 4, null), p(WARNING, 4, "warning"), p(CRITICAL, 4, "critical"), p(HEALTHY, 4, null)),
                        (level, k, r) -> r.gauge("worker_pool.size", switch (level) {
                            case WARNING -> 18;
                            case CRITICAL -> 24;
                            default -> 10;
                        })),
                new RuleScenario("scheduler-eq", extended, "REQ-F-SCHED-001/scheduler_ticks", Duration.ofMinutes(1), List.of(
                        p(HEALTHY, 75, null), p(WARNING, 75, "warning"), p(CRITICAL, 75, "critical"), p(HEALTHY, 75, null)),
                        (level, k, r) -> r.count("scheduler_ticks", switch (level) {
                            case WARNING -> 1.1;   // 66 an hour: 6 off, beyond the tolerance 2
                            case CRITICAL -> 1.5;  // 90 an hour
                            default -> 1;
                        })));
    }

    /** The seed's latency histogram: 50 logins a step; 6 % over 500 ms is p95 ≈ 583 (warning), 20 % is p95 875. */
    static void latency(Level level, int k, RuleScenario.Recorder r, String metric) {
        switch (level) {
            case WARNING -> {
                r.observe(metric, 150, 47);
                r.observe(metric, 550, 3);
            }
            case CRITICAL -> {
                r.observe(metric, 150, 40);
                r.observe(metric, 550, 10);
            }
            case FEW -> {
                if (k % 2 == 0) r.observe(metric, 150, 1); // 10 a 5-minute window: under min_events 20
            }
            default -> r.observe(metric, 150, 50);
        }
    }

    /** Steps a verdict of this alertname at window end m looks back on: the window and for, or no_data_after. */
    static int lookback(RuleScenario s, String alertname) {
        Duration d = alertname.equals("HomeostasisNoData") ? s.target.target().noDataAfter()
                : s.target.target().window().plus(s.target.target().forDuration());
        return (int) (d.toMillis() / s.step.toMillis()) + 2;
    }

    /** Whether the data behind window end m has been in one phase (for no-data: silent or not) long enough. */
    static boolean steady(RuleScenario s, int m, String alertname) {
        int from = m - 1 - lookback(s, alertname);
        if (from < 1) return false;
        boolean noData = alertname.equals("HomeostasisNoData");
        Level last = s.levelAt(m - 1);
        for (int k = from; k < m; k++) {
            Level level = s.levelAt(k);
            if (noData ? (level == SILENT) != (last == SILENT) : level != last) return false;
        }
        return true;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theExportedRulesFireAndResolveWhereHomeostatsVerdictsDo(RuleScenario s) throws Exception {
        Promtool promtool = Promtool.require();
        s.play(stateDir);
        String exported = PrometheusRules.export(s.loaded, s.name, new PrometheusRules.Options(s.step,
                PrometheusNames.Style.OTLP)).rules();
        Path dir = Files.createDirectories(OUT.resolve(s.name));
        Files.writeString(dir.resolve("rules.yml"), s.rules(exported));

        // 1. Homeostat itself judges each phase as intended once it is steady (so the comparison below means something).
        List<Integer> steadyPoints = new ArrayList<>();
        List<Integer> allPoints = new ArrayList<>();
        int firingSteady = 0;
        int resolvedAfterFiring = 0;
        boolean fired = false;
        for (int m = 2; m <= s.steps(); m++) {
            allPoints.add(m);
            Map<String, String> state = s.homeostat(m);
            int point = m;
            boolean allSteady = state.keySet().stream().allMatch(a -> steady(s, point, a));
            if (!allSteady) continue;
            steadyPoints.add(m);
            Phase phase = phaseOf(s, m - 1);
            assertThat(state.get("HomeostasisDeviation")).as("%s: Homeostat's severity at %s (%s phase)", s.name,
                    s.evalTime(m), phase.level()).isEqualTo(phase.expect());
            if (state.containsKey("HomeostasisNoData")) {
                assertThat(state.get("HomeostasisNoData") != null).as("%s: no-data at %s", s.name, s.evalTime(m))
                        .isEqualTo(phase.level() == SILENT);
            }
            if (state.values().stream().anyMatch(Objects::nonNull)) {
                firingSteady++;
                fired = true;
            } else if (fired) {
                resolvedAfterFiring++;
            }
        }
        assertThat(firingSteady).as("%s has steady evaluations with an alert firing", s.name).isPositive();
        assertThat(resolvedAfterFiring).as("%s has steady evaluations after it resolved", s.name).isPositive();

        // 2. At every steady evaluation, the rules fire exactly what Homeostat fires.
        Files.writeString(dir.resolve("steady.test.yml"), s.unitTest("rules.yml", exported, steadyPoints));
        Promtool.Result steady = promtool.testRules(dir.resolve("steady.test.yml"));
        Files.writeString(dir.resolve("steady.out"), steady.output());
        assertThat(steady.ok()).as("%s: promtool test rules %s:%n%s", s.name, dir.resolve("steady.test.yml"),
                steady.output().length() > 4000 ? steady.output().substring(0, 4000) : steady.output()).isTrue();

        // 3. Every evaluation: where the two differ, it is around a phase change, never where the data is steady.
        Files.writeString(dir.resolve("all.test.yml"), s.unitTest("rules.yml", exported, allPoints));
        Promtool.Result all = promtool.testRules(dir.resolve("all.test.yml"));
        Files.writeString(dir.resolve("all.out"), all.output());
        List<Promtool.Mismatch> mismatches = Promtool.mismatches(all.output());
        assertThat(all.ok()).as("promtool reports exactly when there are differences").isEqualTo(mismatches.isEmpty());
        Map<String, Promtool.Mismatch> byCase = new HashMap<>();
        for (Promtool.Mismatch mismatch : mismatches) byCase.put(mismatch.alertname() + "@" + mismatch.time(), mismatch);
        List<String> steadyTimes = steadyPoints.stream().map(s::evalTime).toList();
        assertThat(mismatches).as("%s: no difference at a steady evaluation", s.name)
                .noneMatch(mm -> steadyTimes.contains(mm.time()));

        SUMMARY.add(summary(s, steadyPoints.size(), allPoints, byCase, promtool.version()));
    }

    private static Phase phaseOf(RuleScenario s, int k) {
        int end = 0;
        for (Phase phase : s.phases) {
            end += (int) (phase.length().toMillis() / s.step.toMillis());
            if (k < end) return phase;
        }
        return s.phases.get(s.phases.size() - 1);
    }

    /** One scenario's comparison for people: firing intervals by each side, how many evaluations agree. */
    private static String summary(RuleScenario s, int steadyCount, List<Integer> points, Map<String, Promtool.Mismatch> mismatches,
                                  String version) {
        StringBuilder out = new StringBuilder();
        out.append("### ").append(s.name).append(": ").append(s.target.id()).append("\n\n");
        out.append("Phases (step ").append(Durations.format(s.step)).append("): ").append(s.describePhases()).append(".\n");
        Map<String, List<String>> homeostat = new LinkedHashMap<>();
        Map<String, List<String>> prometheus = new LinkedHashMap<>();
        int differing = 0;
        for (String alertname : s.homeostat(points.get(0)).keySet()) {
            List<String> h = new ArrayList<>();
            List<String> p = new ArrayList<>();
            String[] openH = {null, null};
            String[] openP = {null, null};
            for (int m : points) {
                String hs = s.homeostat(m).get(alertname);
                Promtool.Mismatch mm = mismatches.get(alertname + "@" + s.evalTime(m));
                String ps = hs;
                if (mm != null) {
                    differing++;
                    ps = mm.got().isEmpty() ? null : mm.got().get(0).getOrDefault("severity", "firing");
                }
                track(h, openH, hs, m, s);
                track(p, openP, ps, m, s);
            }
            close(h, openH, points.get(points.size() - 1) + 1, s);
            close(p, openP, points.get(points.size() - 1) + 1, s);
            homeostat.put(alertname, h);
            prometheus.put(alertname, p);
        }
        homeostat.forEach((alertname, intervals) -> out.append("- ").append(alertname).append(": Homeostat ")
                .append(intervals.isEmpty() ? "never" : String.join(", ", intervals)).append("; Prometheus ")
                .append(prometheus.get(alertname).isEmpty() ? "never" : String.join(", ", prometheus.get(alertname))).append('\n'));
        out.append("- ").append(points.size()).append(" evaluations compared, ").append(steadyCount)
                .append(" steady (all equal, asserted); ").append(differing).append(" alertname evaluations differ, all at phase changes")
                .append(" (").append(version).append(")\n");
        return out.toString();
    }

    private static void track(List<String> intervals, String[] open, String state, int m, RuleScenario s) {
        if (Objects.equals(open[0], state)) return;
        close(intervals, open, m, s);
        if (state != null) {
            open[0] = state;
            open[1] = minutes(s, m);
        }
    }

    private static void close(List<String> intervals, String[] open, int m, RuleScenario s) {
        if (open[0] != null) intervals.add(open[0] + " " + open[1] + "-" + minutes(s, m));
        open[0] = null;
    }

    /** Window end m as minutes since the scenario began. */
    private static String minutes(RuleScenario s, int m) {
        double minutes = s.step.multipliedBy(m).toMillis() / 60_000.0;
        return minutes == Math.rint(minutes) ? Long.toString((long) minutes) : String.format(Locale.ROOT, "%.2f", minutes);
    }

    @AfterAll
    static void writeSummary() throws Exception {
        if (SUMMARY.isEmpty()) return;
        Files.createDirectories(OUT);
        String text = "# Homeostat's verdicts and the exported Prometheus rules on the same data\n\n"
                + "Intervals are firing times in minutes since the scenario began (window ends), per severity.\n\n"
                + String.join("\n", SUMMARY);
        Files.writeString(OUT.resolve("summary.md"), text, StandardCharsets.UTF_8);
        System.out.println(text);
    }
}

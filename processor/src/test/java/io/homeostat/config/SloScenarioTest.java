package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.config.SloScenario.Phase;
import io.homeostat.model.SloStatus;
import io.homeostat.model.TargetStatus;
import io.homeostat.testing.Promtool;
import io.homeostat.testing.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checked against the anchor: a month of one SLO's events with a known burn profile — a fast burn, a slow burn, a
 * recovery, a low-traffic night, an outage — goes through the processor (TopologyTestDriver, a mocked clock, slices
 * of a minute) and, as the series Prometheus would hold, through the Sloth-style rules {@code rules export} writes
 * ({@code promtool test rules}, Debian's prometheus package). Every page and ticket episode must start and end within
 * one evaluation step (a minute) of Prometheus' own. The comparison lands in {@code processor/target/slo-scenario/}.
 *
 * <p>Prometheus' state is read back at every minute within five minutes of a change of Homeostat's, and every five
 * minutes elsewhere (where a change of Prometheus' own, far from Homeostat's, shows as a difference too).
 */
class SloScenarioTest {
    private static final Path OUT = RepoFiles.resolve("processor/target/slo-scenario");
    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();
    static final int DAY = 1440;
    static final int HOUR = 60;

    @TempDir Path stateDir;

    /** The month: 600 requests a minute, all good, but for the phases. */
    static SloScenario month() {
        return new SloScenario(30 * DAY, 600, List.of(
                new Phase("fast burn (5 % errors, 40 min)", 2 * DAY + 10 * HOUR, 2 * DAY + 10 * HOUR + 40, 600, 0.05),
                new Phase("slow burn (0.4 % errors, 2 days)", 8 * DAY, 10 * DAY, 600, 0.004),
                new Phase("low-traffic night (2 a minute, a third failing)", 15 * DAY + 2 * HOUR, 15 * DAY + 5 * HOUR, 2, 1 / 3.0),
                new Phase("outage (every request fails, 10 min)", 20 * DAY + 14 * HOUR, 20 * DAY + 14 * HOUR + 10, 600, 1.0)));
    }

    @Test
    void pagesAndTicketsStartAndEndWithinAMinuteOfPrometheusOnTheSloRulesOfTheExport() throws Exception {
        Promtool promtool = Promtool.require();
        TargetFiles.Loaded loaded = TargetFiles.load(List.of(new TargetFiles.Source("slo.yml", SloScenario.config())),
                new Variables(Map.of()));
        ResolvedTarget target = loaded.targets().get(0);
        SloScenario s = month();
        long started = System.nanoTime();
        long compared;
        Map<Integer, Mismatch> differences = new HashMap<>();
        s.play(stateDir, target, 1);
        long played = System.nanoTime();

        // 1. Homeostat alerts as the profile says.
        List<int[]> pages = s.episodes("page");
        List<int[]> tickets = s.episodes("ticket");
        assertThat(pages).as("pages: the fast burn and the outage").hasSize(2);
        assertThat(pages.get(0)[0]).isBetween(2 * DAY + 10 * HOUR, 2 * DAY + 10 * HOUR + 40);
        assertThat(pages.get(1)[0]).isBetween(20 * DAY + 14 * HOUR, 20 * DAY + 14 * HOUR + 10);
        assertThat(tickets).as("tickets: the slow burn and the outage").hasSize(2);
        assertThat(tickets.get(0)[0]).isBetween(8 * DAY, 10 * DAY);
        assertThat(tickets.get(1)[0]).isBetween(20 * DAY + 14 * HOUR, 20 * DAY + 15 * HOUR);
        for (int[] e : pages) assertThat(e[1]).as("every page resolves").isLessThan(s.minutes);
        for (int[] e : tickets) assertThat(e[1]).as("every ticket resolves").isLessThan(s.minutes);
        // The night: the page tier's pairs burn but are not judged, and the status says so.
        List<TargetStatus> night = s.statuses.stream().filter(st -> {
            int m = SloScenario.minuteOf(st.windowEnd());
            // Once the hour holds mostly the night (before, the hour burns no faster than the budget allows).
            return m > 15 * DAY + 3 * HOUR + 5 && m <= 15 * DAY + 5 * HOUR;
        }).toList();
        assertThat(night).isNotEmpty().allSatisfy(st -> {
            SloStatus.Tier page = st.slo().tiers().get(0);
            assertThat(page.state()).isEqualTo("suppressed");
            assertThat(page.windows().get(0).reason()).contains("fewer than min_events 20");
        });

        // 2. The same events through the exported rules.
        String exported = PrometheusRules.export(loaded, "slo.yml", new PrometheusRules.Options(SloScenario.STEP,
                PrometheusNames.Style.OTLP)).rules();
        Path dir = Files.createDirectories(OUT);
        Files.writeString(dir.resolve("exported-rules.yml"), exported);
        Files.writeString(dir.resolve("rules.yml"), alertingRules(exported));
        assertThat(promtool.checkRules(dir.resolve("exported-rules.yml")).ok()).as("promtool check rules").isTrue();
        TreeSet<Integer> points = points(s, pages, tickets);
        // The rules hold no state between evaluations (no `for`), so the month is judged in two parts, side by side,
        // each with the three days (and a margin) of samples before its first point that its longest window reads.
        int middle = 15 * DAY + 12 * HOUR;
        List<int[]> parts = List.of(new int[] {0, middle}, new int[] {middle, s.minutes});
        var pool = java.util.concurrent.Executors.newFixedThreadPool(parts.size());
        List<java.util.concurrent.Future<Promtool.Result>> runs = new ArrayList<>();
        List<Integer> shifts = new ArrayList<>();
        try {
            for (int i = 0; i < parts.size(); i++) {
                int[] part = parts.get(i);
                TreeSet<Integer> own = new TreeSet<>(points.subSet(part[0], false, part[1], true));
                int shift = Math.max(0, part[0] - 3 * DAY - HOUR);
                shifts.add(shift);
                Path file = dir.resolve("slo-" + (i + 1) + ".test.yml");
                Files.writeString(file, unitTest(s, exported, own, shift));
                runs.add(pool.submit(() -> promtool.testRules(file, java.time.Duration.ofMinutes(30))));
            }
            List<Promtool.Result> results = new ArrayList<>();
            for (var run : runs) results.add(run.get());
            compared = System.nanoTime();
            StringBuilder outputs = new StringBuilder();
            for (int i = 0; i < results.size(); i++) {
                Promtool.Result result = results.get(i);
                outputs.append(result.output());
                List<Promtool.Mismatch> found = Promtool.mismatches(result.output());
                assertThat(result.ok()).as("promtool reports exactly when there are differences:%n%s",
                        result.output().length() > 3000 ? result.output().substring(0, 3000) : result.output())
                        .isEqualTo(found.isEmpty());
                // 3. Prometheus' state at every point read back: where it differs, promtool said what it had.
                for (Promtool.Mismatch mismatch : found) {
                    int m = minute(mismatch.time()) + shifts.get(i);
                    Mismatch d = new Mismatch(new TreeSet<>(), m);
                    for (TreeMap<String, String> labels : mismatch.got()) d.tiers().add(labels.get("tier"));
                    differences.put(m, d);
                }
            }
            Files.writeString(dir.resolve("slo.out"), outputs.toString());
        } finally {
            pool.shutdownNow();
        }
        Map<String, List<int[]>> prometheus = new LinkedHashMap<>();
        TreeSet<Integer> tierDifferences = new TreeSet<>();
        StringBuilder report = new StringBuilder("# Homeostat and Prometheus (Sloth-style rules) on one month of an SLO\n\n")
                .append("SLO: ").append(SloScenario.TARGET_ID).append(", 99.9 % of checkouts over 30d, min_events 20; one "
                        + "sample and one verdict a minute; ").append(promtool.version()).append(".\n\n");
        for (Phase phase : s.phases) {
            report.append("- ").append(phase.name()).append(": ").append(at(phase.fromMinute())).append(" – ")
                    .append(at(phase.toMinute())).append('\n');
        }
        report.append("\n| tier | Homeostat start | Prometheus start | Homeostat end | Prometheus end |\n|---|---|---|---|---|\n");
        for (String tier : List.of("page", "ticket")) {
            List<int[]> promEpisodes = new ArrayList<>();
            int[] open = null;
            for (int m : points) {
                Mismatch d = differences.get(m);
                boolean prom = d != null ? d.tiers().contains(tier) : s.firing(tier, m);
                if (prom != s.firing(tier, m)) tierDifferences.add(m);
                if (prom && open == null) open = new int[] {m, Integer.MAX_VALUE};
                if (!prom && open != null) {
                    open[1] = m;
                    promEpisodes.add(open);
                    open = null;
                }
            }
            if (open != null) promEpisodes.add(open);
            prometheus.put(tier, promEpisodes);
            List<int[]> ours = s.episodes(tier);
            for (int i = 0; i < Math.max(ours.size(), promEpisodes.size()); i++) {
                int[] h = i < ours.size() ? ours.get(i) : null;
                int[] p = i < promEpisodes.size() ? promEpisodes.get(i) : null;
                report.append("| ").append(tier).append(" | ").append(h == null ? "-" : at(h[0])).append(" | ")
                        .append(p == null ? "-" : at(p[0])).append(" | ").append(h == null ? "-" : at(h[1])).append(" | ")
                        .append(p == null ? "-" : at(p[1])).append(" |\n");
            }
        }
        report.append("\n").append(points.size()).append(" evaluations compared; at ").append(tierDifferences.size())
                .append(" of them a tier fires in one and not the other ").append(tierDifferences)
                .append("; at ").append(differences.size()).append(" promtool reports a difference (Prometheus' alerts also "
                        + "carry sloth_window, the window of the pair that matched, which Homeostat's expected labels leave out). Played in ").append((played - started) / 1_000_000).append(" ms, promtool in ")
                .append((compared - played) / 1_000_000).append(" ms.\n");
        Files.writeString(dir.resolve("summary.md"), report.toString(), StandardCharsets.UTF_8);
        System.out.println(report);

        for (String tier : List.of("page", "ticket")) {
            List<int[]> ours = s.episodes(tier);
            List<int[]> theirs = prometheus.get(tier);
            assertThat(theirs).as("%s: as many episodes in Prometheus as in Homeostat%n%s", tier, report).hasSameSizeAs(ours);
            for (int i = 0; i < ours.size(); i++) {
                assertThat(Math.abs(theirs.get(i)[0] - ours.get(i)[0])).as("%s %d starts within a step%n%s", tier, i, report)
                        .isLessThanOrEqualTo(1);
                assertThat(Math.abs(theirs.get(i)[1] - ours.get(i)[1])).as("%s %d ends within a step%n%s", tier, i, report)
                        .isLessThanOrEqualTo(1);
            }
        }
    }

    record Mismatch(TreeSet<String> tiers, int minute) {}

    /** Every minute within five of a change of Homeostat's, every five minutes elsewhere. */
    static TreeSet<Integer> points(SloScenario s, List<int[]> pages, List<int[]> tickets) {
        TreeSet<Integer> points = new TreeSet<>();
        for (int m = 5; m <= s.minutes; m += 5) points.add(m);
        for (List<int[]> episodes : List.of(pages, tickets)) {
            for (int[] e : episodes) {
                for (int edge : e) {
                    for (int m = edge - 5; m <= edge + 5; m++) if (m >= 1 && m <= s.minutes) points.add(m);
                }
            }
        }
        return points;
    }

    /** The SLO's ratio recordings of the tiers' windows and its alert rules: what the alerts need (no 30-day recording). */
    static String alertingRules(String exported) throws Exception {
        JsonNode document = YAML.readTree(exported);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ArrayNode groups = out.putArray("groups");
        for (JsonNode group : document.path("groups")) {
            String name = group.path("name").asText();
            if (name.startsWith("homeostat-slo-meta-recordings-")) continue;
            ObjectNode copy = groups.addObject();
            copy.put("name", name);
            ArrayNode rules = copy.putArray("rules");
            for (JsonNode rule : group.path("rules")) {
                if (rule.path("record").asText().equals("slo:sli_error:ratio_rate30d")) continue;
                ObjectNode r = rule.deepCopy();
                r.remove("annotations");
                rules.add(r);
            }
        }
        return YAML.writeValueAsString(out);
    }

    /**
     * promtool's unit test: the two series from minute {@code shift} (promtool's time 0) to the last point, and at
     * each point the tiers Homeostat had firing.
     */
    static String unitTest(SloScenario s, String exported, TreeSet<Integer> points, int shift) throws Exception {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.putArray("rule_files").add("rules.yml");
        doc.put("evaluation_interval", "1m");
        ObjectNode test = doc.putArray("tests").addObject();
        test.put("interval", "1m");
        ArrayNode input = test.putArray("input_series");
        String labels = "job=\"" + SloScenario.SERVICE + "\",requirement=\"" + SloScenario.REQUIREMENT + "\"";
        input.addObject().put("series", "http_requests_total{" + labels + ",status=\"ok\"}").put("values", s.series(false, shift, points.last()));
        input.addObject().put("series", "http_requests_total{" + labels + ",status=\"error\"}").put("values", s.series(true, shift, points.last()));
        Map<String, Map<String, String>> ruleLabels = new HashMap<>();
        for (JsonNode group : YAML.readTree(exported).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!SloRules.ALERT.equals(rule.path("alert").asText())) continue;
                Map<String, String> map = new TreeMap<>();
                rule.path("labels").fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
                ruleLabels.put(map.get("tier"), map);
            }
        }
        assertThat(ruleLabels).containsOnlyKeys("page", "ticket");
        ArrayNode cases = test.putArray("alert_rule_test");
        for (int m : points) {
            ObjectNode c = cases.addObject();
            c.put("eval_time", (m - shift) + "m");
            c.put("alertname", SloRules.ALERT);
            ArrayNode expected = c.putArray("exp_alerts");
            for (String tier : List.of("page", "ticket")) {
                if (!s.firing(tier, m)) continue;
                ObjectNode exp = expected.addObject().putObject("exp_labels");
                ruleLabels.get(tier).forEach(exp::put);
            }
        }
        return YAML.writeValueAsString(doc);
    }

    /** promtool's eval time ({@code 1d2h3m}, {@code 45m}) in minutes. */
    static int minute(String time) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([dhms])").matcher(time);
        long seconds = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            seconds += switch (m.group(2)) {
                case "d" -> n * 86_400;
                case "h" -> n * 3_600;
                case "m" -> n * 60;
                default -> n;
            };
        }
        return (int) (seconds / 60);
    }

    /** Minute m as {@code day 2 10:17}. */
    static String at(int m) {
        if (m == Integer.MAX_VALUE) return "never";
        return String.format(java.util.Locale.ROOT, "day %d %02d:%02d", m / DAY, m % DAY / HOUR, m % HOUR);
    }
}

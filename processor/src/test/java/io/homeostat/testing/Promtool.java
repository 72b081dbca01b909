package io.homeostat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus' {@code promtool} (Debian's {@code prometheus} package, found or installed by {@link ExternalTools};
 * a test that calls {@link #require()} is skipped where it cannot be installed): {@code check rules} and
 * {@code test rules}, with the failures of a unit test read back as what Prometheus' rules did fire.
 */
public final class Promtool {
    private final Path binary;

    private Promtool(Path binary) {
        this.binary = binary;
    }

    public static Promtool require() {
        return new Promtool(ExternalTools.require("promtool"));
    }

    /** @param output what promtool printed (stdout and stderr) */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public Result checkRules(Path rules) throws IOException, InterruptedException {
        return run("check", "rules", rules.toString());
    }

    public Result checkConfig(Path prometheusYml) throws IOException, InterruptedException {
        return run("check", "config", prometheusYml.toString());
    }

    public Result testRules(Path tests) throws IOException, InterruptedException {
        return run("test", "rules", tests.toString());
    }

    /** {@code test rules} with a longer time limit than five minutes (a month of one-minute evaluations, say). */
    public Result testRules(Path tests, java.time.Duration limit) throws IOException, InterruptedException {
        return run(limit, "test", "rules", tests.toString());
    }

    public String version() throws IOException, InterruptedException {
        return run("--version").output().lines().findFirst().orElse("?");
    }

    /**
     * One failed {@code alert_rule_test} case: at {@code time}, the alerts named {@code alertname} that the test
     * expected and the ones the rules fired, each as its label set ({@code {alertname="A", severity="warning"}}).
     */
    public record Mismatch(String alertname, String time, List<TreeMap<String, String>> expected,
                           List<TreeMap<String, String>> got) {}

    private static final Pattern CASE = Pattern.compile(
            "alertname: (\\S+), time: (\\S+),\\s*exp:(.*?),\\s*got:(.*?)(?=\\n\\s*alertname: |\\z)", Pattern.DOTALL);
    private static final Pattern LABELS = Pattern.compile("Labels:\\{([^}]*)}");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The alert_rule_test cases a failed {@code promtool test rules} reports. */
    public static List<Mismatch> mismatches(String output) {
        List<Mismatch> mismatches = new ArrayList<>();
        Matcher m = CASE.matcher(output);
        while (m.find()) mismatches.add(new Mismatch(m.group(1), m.group(2), labelSets(m.group(3)), labelSets(m.group(4))));
        return mismatches;
    }

    private static List<TreeMap<String, String>> labelSets(String text) {
        List<TreeMap<String, String>> sets = new ArrayList<>();
        Matcher m = LABELS.matcher(text);
        while (m.find()) {
            TreeMap<String, String> labels = new TreeMap<>();
            Matcher l = LABEL.matcher(m.group(1));
            while (l.find()) labels.put(l.group(1), l.group(2));
            sets.add(labels);
        }
        return sets;
    }

    private Result run(String... args) throws IOException, InterruptedException {
        return run(java.time.Duration.ofMinutes(5), args);
    }

    private Result run(java.time.Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + limit);
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}

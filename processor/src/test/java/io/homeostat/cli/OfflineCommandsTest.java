package io.homeostat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Json;
import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.Schemas;
import io.homeostat.testing.SeedFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that need no Kafka: targets validate, rules export, completion, and the help. */
class OfflineCommandsTest {
    record Run(int exitCode, String out, String err) {}

    static Run homeostat(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Homeostat.commandLine(env);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString(), err.toString());
    }

    static final String SEED = RepoFiles.resolve("config/observability.yml").toString();

    @Test
    void validatePrintsTheResolutionsAndTheRecordsApplyWouldWrite() throws Exception {
        Run table = homeostat(SeedFiles.ENV, "targets", "validate", "-f", SEED);
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("REQ-NFR-PERF-001/login_latency_ms", "login_success_rate -> span.success_rate",
                "+ constraint C-001 from the declaration of login_latency_ms", "Valid: 2 target(s).");

        Run json = homeostat(SeedFiles.ENV, "targets", "validate", "-f", SEED, "-o", "json");
        JsonNode records = Json.MAPPER.readTree(json.out());
        assertThat(records).hasSize(2);
        for (JsonNode record : records) Schemas.assertValid("target.schema.json", record.get("target"));
        assertThat(records.get(1).path("id").asText()).isEqualTo("REQ-F-AUTH-001/span.success_rate");
    }

    /** The seed's two targets written as SLOs (docs/slos.md): what {@code targets apply} would write carries them. */
    @Test
    void theSeedsTargetsWrittenAsSlosValidateAsSloTargets() throws Exception {
        String file = RepoFiles.resolve("schemas/examples/observability-slo.yml").toString();
        Run json = homeostat(SeedFiles.ENV, "targets", "validate", "-f", file, "-o", "json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode records = Json.MAPPER.readTree(json.out());
        assertThat(records).hasSize(2);
        for (JsonNode record : records) {
            Schemas.assertValid("target.schema.json", record.get("target"));
            assertThat(record.path("target").path("slo").path("period").asText()).as(record.toString()).isEqualTo("30d");
        }
        assertThat(records.get(0).path("target").path("slo").path("min_events").isMissingNode()
                || records.get(0).path("target").path("slo").path("min_events").asInt() != 20).isTrue();
        assertThat(records.get(1).path("target").path("slo").path("min_events").asInt()).isEqualTo(20);
    }

    @Test
    void validateOfABrokenFileExitsOneWithEveryProblem(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("observability.yml"), SeedFiles.broken());
        Run run = homeostat(SeedFiles.ENV, "targets", "validate", "-f", broken.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("5 problem(s)", "unknown operator 'below'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void environmentVariablesOfTheCommandLineExpandInTheFile() {
        Run run = homeostat(Map.of("ENV", "staging", "VERSION", "2"), "targets", "validate", "-f", SEED);
        assertThat(run.out()).contains("environment staging");
    }

    @Test
    void rulesExportWritesFilesOrPrints(@TempDir Path dir) throws Exception {
        Run printed = homeostat(SeedFiles.ENV, "rules", "export", "--format", "prometheus", "-f", SEED);
        assertThat(printed.exitCode()).as(printed.err()).isZero();
        assertThat(printed.out()).contains("groups:", "alert: HomeostasisDeviation");

        Run written = homeostat(SeedFiles.ENV, "rules", "export", "--format", "datadog", "-f", SEED,
                "--output-dir", dir.toString());
        assertThat(written.exitCode()).as(written.err()).isZero();
        assertThat(dir.resolve("login_latency_ms_alert.yml")).exists();
        assertThat(Files.readString(dir.resolve("login_success_rate_alert.yml"))).contains("# Alert for: REQ-F-AUTH-001",
                "notify_no_data: false", "priority: 1");

        // The seed's ${ENV} and ${VERSION} label nothing a rule is made of: a warning each, and the rules.
        Run missingVariable = homeostat(Map.of(), "rules", "export", "--format", "datadog", "-f", SEED);
        assertThat(missingVariable.exitCode()).as(missingVariable.err()).isZero();
        assertThat(missingVariable.err()).contains("warning: ", "ENV is not set", "not read by Homeostat");
        assertThat(missingVariable.out()).contains("REQ-F-AUTH-001").doesNotContain("${ENV}");
    }

    @Test
    void aTargetDatadogCannotJudgeAsTheProcessorExportsNothingAndSaysWhy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("observability.yml"), """
                telemetry:
                  metrics:
                    - {name: pool.size, type: gauge}
                  homeostasis:
                    REQ-NFR-CAP-001:
                      metric: pool.size
                      target: 2
                      operator: gte
                """);
        Run datadog = homeostat(Map.of(), "rules", "export", "--format", "datadog", "-f", file.toString(),
                "--output-dir", dir.resolve("out").toString());
        assertThat(datadog.exitCode()).isEqualTo(1);
        assertThat(datadog.err()).contains("Nothing exported", file + ":5: REQ-NFR-CAP-001/pool.size: cannot export to Datadog: "
                + "pool.size is judged by its last value in the window");
        assertThat(dir.resolve("out")).doesNotExist();
        Run prometheus = homeostat(Map.of(), "rules", "export", "--format", "prometheus", "-f", file.toString());
        assertThat(prometheus.exitCode()).as(prometheus.err()).isZero();
        assertThat(prometheus.out()).contains("avg(last_over_time(pool_size{requirement=\"REQ-NFR-CAP-001\"}[1m])) < 1.6");
    }

    @Test
    void completionScriptCoversTheCommands() {
        Run run = homeostat(Map.of(), "completion");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F", "targets", "apply", "--dry-run", "--prune", "rules", "export");
    }

    @Test
    void helpListsTheNewCommands() {
        Run root = homeostat(Map.of(), "--help");
        assertThat(root.out()).contains("targets", "alerts", "status", "rules", "completion");
        Run apply = homeostat(Map.of(), "targets", "apply", "--help");
        assertThat(apply.out()).contains("--file", "--dry-run", "--prune", "--targets-topic", "--bootstrap-servers",
                "${VAR:-default}");
        assertThat(homeostat(Map.of(), "targets", "apply").exitCode()).as("-f is required").isEqualTo(2);
    }
}

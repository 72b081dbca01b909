package io.homeostat.cli;

import static io.homeostat.cli.OfflineCommandsTest.homeostat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Json;
import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.SeedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rules export}: the Datadog formats and the Prometheus options on the command line. */
class RulesExportFormatsTest {
    static final String EXTENDED = RepoFiles.resolve("schemas/examples/observability-extended.yml").toString();

    @Test
    void datadogApiIsJsonOnStandardOutputWithTheNotesOnStandardError() throws Exception {
        OfflineCommandsTest.Run run = homeostat(SeedFiles.ENV, "rules", "export", "--format", "datadog-api", "-f", EXTENDED);
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode monitors = Json.MAPPER.readTree(run.out());
        assertThat(monitors.size()).isEqualTo(12);
        assertThat(run.err()).contains("note: REQ-F-AUTH-001/lockouts: for 10m is not carried");
        assertThat(run.err().lines()).allSatisfy(line -> assertThat(line).startsWith("note: "));
    }

    @Test
    void terraformAndFilesInADirectory(@TempDir Path dir) throws Exception {
        OfflineCommandsTest.Run run = homeostat(SeedFiles.ENV, "rules", "export", "--format", "datadog-terraform", "-f", EXTENDED,
                "--output-dir", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + dir.resolve("homeostat-monitors.tf"));
        assertThat(Files.readString(dir.resolve("homeostat-monitors.tf"))).contains("resource \"datadog_monitor\"");
        OfflineCommandsTest.Run api = homeostat(SeedFiles.ENV, "rules", "export", "--format", "DATADOG_API", "-f", EXTENDED,
                "--output-dir", dir.toString());
        assertThat(api.exitCode()).isZero();
        assertThat(Json.MAPPER.readTree(dir.resolve("datadog-monitors.json").toFile()).isArray()).isTrue();
    }

    @Test
    void prometheusOptionsAndAnUnknownFormat() {
        OfflineCommandsTest.Run raw = homeostat(SeedFiles.ENV, "rules", "export", "--format", "prometheus", "-f", EXTENDED,
                "--metric-names", "raw", "--scrape-interval", "15s");
        assertThat(raw.exitCode()).isZero();
        assertThat(raw.out()).contains("login_latency_ms_bucket{").doesNotContain("_milliseconds");
        assertThat(raw.err()).as("every window is at least 4 x 15s").isEmpty();
        OfflineCommandsTest.Run otlp = homeostat(SeedFiles.ENV, "rules", "export", "--format", "prometheus", "-f", EXTENDED);
        assertThat(otlp.out()).contains("login_latency_ms_milliseconds_bucket{");
        assertThat(otlp.err().lines()).hasSize(7).allSatisfy(line -> assertThat(line).startsWith("warning: ")
                .contains("is under 4 sample intervals of 1m"));
        OfflineCommandsTest.Run bad = homeostat(SeedFiles.ENV, "rules", "export", "--format", "grafana", "-f", EXTENDED);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("'grafana' is not a format; use prometheus, sloth, datadog, datadog-api, datadog-slo-api or datadog-terraform");
    }
}

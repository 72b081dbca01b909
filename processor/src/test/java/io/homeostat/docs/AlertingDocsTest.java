package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.cli.Homeostat;
import io.homeostat.config.MetricType;
import io.homeostat.config.PrometheusNames;
import io.homeostat.testing.ExternalTools;
import io.homeostat.testing.RepoFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** docs/alerting-integrations.md is true: its Alertmanager route passes amtool, its commands and settings exist, its names are the translation's. */
class AlertingDocsTest {
    static final Path PAGE = RepoFiles.resolve("docs/alerting-integrations.md");

    static List<String> blocks(String language) throws Exception {
        Matcher m = Pattern.compile("```" + language + "\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(PAGE, StandardCharsets.UTF_8));
        List<String> blocks = new ArrayList<>();
        while (m.find()) blocks.add(m.group(1));
        return blocks;
    }

    static String block(String firstLine) throws Exception {
        return blocks("yaml").stream().filter(b -> b.startsWith(firstLine)).findFirst()
                .orElseThrow(() -> new AssertionError("no yaml block starting with " + firstLine));
    }

    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s:%n%s", String.join(" ", command), output).isZero();
        return output;
    }

    @Test
    void theAlertmanagerRoutePassesAmtoolAndRoutesAsThePageSays(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), block("# alertmanager.yml"));
        String amtool = ExternalTools.require("amtool").toString();
        assertThat(run(amtool, "check-config", config.toString())).contains("SUCCESS", "2 inhibit rules", "4 receivers");
        Map<String, String> routes = Map.of(
                "alertname=HomeostasisDeviation severity=critical requirement=REQ-1", "on-call,team-slack",
                "alertname=HomeostasisDeviation severity=critical team=identity", "on-call,identity-slack",
                "alertname=HomeostasisNoData severity=warning requirement=REQ-1", "team-email",
                "alertname=HomeostasisDeviation severity=warning team=identity", "identity-slack",
                "alertname=HomeostasisDeviation severity=warning requirement=REQ-2", "team-slack");
        for (Map.Entry<String, String> route : routes.entrySet()) {
            List<String> command = new ArrayList<>(List.of(amtool, "config", "routes", "test", "--config.file=" + config));
            command.addAll(Arrays.asList(route.getKey().split(" ")));
            String output = run(command.toArray(String[]::new));
            assertThat(output.lines().filter(l -> !l.startsWith("Warning")).toList()).as(route.getKey())
                    .containsExactly(route.getValue());
        }
    }

    @Test
    void theBridgesSettingsAndTheCommandsExist() throws Exception {
        JsonNode settings = new YAMLMapper().readTree(block("# forward.yml"));
        CommandLine.Model.CommandSpec forward = Homeostat.commandLine(Map.of()).getSubcommands().get("alerts")
                .getSubcommands().get("forward").getCommandSpec();
        settings.fieldNames().forEachRemaining(name -> assertThat(forward.findOption("--" + name))
                .as("setting %s of forward.yml", name).isNotNull());
        int commands = 0;
        for (String block : blocks("sh")) {
            for (String line : block.lines().toList()) {
                if (!line.startsWith("homeostat ")) continue;
                String command = line.replaceAll("\\s+>.*$", "");
                List<String> args = new ArrayList<>(Arrays.asList(command.substring("homeostat ".length()).trim().split("\\s+")));
                Homeostat.commandLine(Map.of()).parseArgs(args.toArray(String[]::new));
                commands++;
            }
        }
        assertThat(commands).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theNamesInTheTableAreTheTranslations() throws Exception {
        Matcher row = Pattern.compile("\\| `([^`]+)`, (\\w+), `unit: \"?([^`\"]+)\"?` \\| `([^`]+)`").matcher(Files.readString(PAGE));
        int rows = 0;
        while (row.find()) {
            MetricType type = MetricType.of(row.group(2)).orElseThrow();
            String expected = row.group(4).replaceAll("_bucket$", "");
            assertThat(PrometheusNames.metric(row.group(1), row.group(3), type, PrometheusNames.Style.OTLP))
                    .as(row.group()).isEqualTo(expected);
            rows++;
        }
        assertThat(rows).isEqualTo(5);
    }
}

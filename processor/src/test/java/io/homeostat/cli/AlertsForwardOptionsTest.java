package io.homeostat.cli;

import static io.homeostat.cli.OfflineCommandsTest.homeostat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code alerts forward}'s settings: command line over environment over --config file over defaults; clear errors. */
class AlertsForwardOptionsTest {
    @TempDir Path dir;

    /** The command as parsed, with the config file applied as {@code call()} applies it (without running the bridge). */
    static AlertsForwardCommand settled(Map<String, String> env, String... args) {
        CommandLine cli = Homeostat.commandLine(env);
        String[] all = new String[args.length + 2];
        all[0] = "alerts";
        all[1] = "forward";
        System.arraycopy(args, 0, all, 2, args.length);
        CommandLine.ParseResult parsed = cli.parseArgs(all);
        AlertsForwardCommand command = (AlertsForwardCommand) parsed.subcommand().subcommand().commandSpec().userObject();
        if (command.config != null) OptionsFile.apply(command.spec, command.config, "--config", env);
        return command;
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("forward.yml"), """
                alertmanager:
                  - http://am-0:9093
                  - http://am-1:9093
                resend_interval: 30s
                group-id: from-file
                max-backoff: 10s
                label: {cluster: prod-eu, region: eu}
                header: {Authorization: Bearer s3cr3t}
                kafka-property: {security.protocol: SSL}
                """);
        AlertsForwardCommand fromFile = settled(Map.of(), "--config", file.toString());
        assertThat(fromFile.alertmanagers).containsExactly("http://am-0:9093", "http://am-1:9093");
        assertThat(fromFile.resendInterval).isEqualTo(Duration.ofSeconds(30));
        assertThat(fromFile.groupId).isEqualTo("from-file");
        assertThat(fromFile.maxBackoff).isEqualTo(Duration.ofSeconds(10));
        assertThat(fromFile.labels).containsExactlyInAnyOrderEntriesOf(Map.of("cluster", "prod-eu", "region", "eu"));
        assertThat(fromFile.headers).containsEntry("Authorization", "Bearer s3cr3t");
        assertThat(fromFile.kafka.clientProperties()).containsEntry("security.protocol", "SSL");
        assertThat(fromFile.receiverTimeout).as("not in the file: the default").isEqualTo(Duration.ofSeconds(10));

        AlertsForwardCommand layered = settled(Map.of("HOMEOSTAT_RESEND_INTERVAL", "20s",
                        "HOMEOSTAT_ALERTMANAGER", "http://am-env:9093,http://am-env-2:9093", "HOMEOSTAT_BOOTSTRAP_SERVERS", "kafka:9092"),
                "--config", file.toString(), "--group-id", "from-command-line");
        assertThat(layered.resendInterval).as("environment over file").isEqualTo(Duration.ofSeconds(20));
        assertThat(layered.alertmanagers).as("environment over file, comma-separated").containsExactly(
                "http://am-env:9093", "http://am-env-2:9093");
        assertThat(layered.groupId).as("command line over file").isEqualTo("from-command-line");
        assertThat(layered.kafka.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(layered.maxBackoff).as("only in the file").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aWrongSettingInTheFileIsNamed() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yml"), "resend-intervall: 30s\n");
        assertThatThrownBy(() -> settled(Map.of(), "--config", typo.toString()))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown setting 'resend-intervall'; did you mean resend-interval?");
        Path badValue = Files.writeString(dir.resolve("bad.yml"), "resend-interval: soon\n");
        assertThatThrownBy(() -> settled(Map.of(), "--config", badValue.toString()))
                .hasMessageContaining(badValue + ":").hasMessageContaining("'soon' is not a duration");
        assertThatThrownBy(() -> settled(Map.of(), "--config", dir.resolve("missing.yml").toString()))
                .hasMessageContaining("no such file");
        Path list = Files.writeString(dir.resolve("list.yml"), "- a\n- b\n");
        assertThatThrownBy(() -> settled(Map.of(), "--config", list.toString())).hasMessageContaining("must be a mapping");
    }

    @Test
    void whereToIsRequiredAndCheckedBeforeAnythingStarts() {
        OfflineCommandsTest.Run none = homeostat(Map.of(), "alerts", "forward");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("homeostat alerts forward: where to? give --alertmanager URL");
        OfflineCommandsTest.Run both = homeostat(Map.of(), "alerts", "forward", "--alertmanager", "http://am:9093",
                "--webhook", "http://hook");
        assertThat(both.err()).startsWith("homeostat alerts forward: give --alertmanager or --webhook, not both");
        OfflineCommandsTest.Run noScheme = homeostat(Map.of(), "alerts", "forward", "--alertmanager", "am:9093");
        assertThat(noScheme.exitCode()).isEqualTo(2);
        assertThat(noScheme.err()).startsWith("homeostat alerts forward: --alertmanager 'am:9093' must start with http:// or https://");
        OfflineCommandsTest.Run placeholder = homeostat(Map.of(), "alerts", "forward", "--alertmanager", "http://am:9093",
                "--generator-url", "http://h/{target}");
        assertThat(placeholder.err()).startsWith("homeostat alerts forward: --generator-url: unknown placeholder {target}");
        OfflineCommandsTest.Run resend = homeostat(Map.of(), "alerts", "forward", "--alertmanager", "http://am:9093",
                "--resend-interval", "10ms");
        assertThat(resend.err()).startsWith("homeostat alerts forward: the re-send interval must be at least 100ms");
        assertThat(List.of(none, both, noScheme, placeholder, resend)).allSatisfy(run -> {
            assertThat(run.out()).isEmpty();
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err().strip().lines()).as("one line").hasSize(1);
        });
    }
}

package io.homeostat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.testing.RepoFiles;
import io.homeostat.testing.SeedFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command answers a missing or unreadable file, an unreachable broker and a bad option with one line that
 * names the command and the problem, exit code 1 (2 for the command line itself), and no stack trace unless
 * {@code --verbose}. (A missing topic needs a broker: {@code it.CliOnBrokerTest}.) The broker is a closed port on
 * loopback, or one that accepts connections and never answers.
 */
class CliErrorsTest {
    record Run(int exitCode, String out, String err) {
        /** The one line on standard error, checked to be one line without a stack trace. */
        String line() {
            List<String> lines = err.lines().toList();
            assertThat(lines).as("one line on standard error: %s", err).hasSize(1);
            assertThat(err).doesNotContain("\tat ", "Exception in thread");
            return lines.get(0);
        }
    }

    static Run homeostat(Map<String, String> env, String... args) {
        OfflineCommandsTest.Run run = OfflineCommandsTest.homeostat(env, args);
        return new Run(run.exitCode(), run.out(), run.err());
    }

    static Run homeostat(String... args) {
        return homeostat(SeedFiles.ENV, args);
    }

    static final String SEED = RepoFiles.resolve("config/observability.yml").toString();
    static int closedPort;
    /** Accepts TCP connections and never says a word: a port that is not Kafka, or a broker that hangs. */
    static ServerSocket silent;
    @TempDir static Path files;

    @BeforeAll
    static void ports() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterAll
    static void close() throws IOException {
        silent.close();
    }

    /** Every command that talks to Kafka, with what else it needs to get that far. */
    static Stream<List<String>> kafkaCommands() {
        return Stream.of(
                List.of("run", "--state-dir", files.resolve("state").toString()),
                List.of("targets", "apply", "-f", SEED),
                List.of("targets", "list"),
                List.of("targets", "get", "REQ-F-AUTH-001/span.success_rate"),
                List.of("targets", "delete", "REQ-F-AUTH-001/span.success_rate"),
                List.of("alerts", "tail"),
                List.of("status"),
                List.of("topics", "create"),
                List.of("alerts", "forward", "--alertmanager", "http://127.0.0.1:9"));
    }

    static String[] with(List<String> command, String... more) {
        List<String> args = new ArrayList<>(command);
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    static final java.util.Set<String> COMMAND_NAMES = java.util.Set.of("run", "targets", "apply", "validate", "list", "get",
            "delete", "alerts", "tail", "forward", "status", "rules", "export", "topics", "create", "topology", "completion");

    /** The command's name as it prints it: {@code homeostat targets list}. */
    static String name(List<String> command) {
        return "homeostat " + String.join(" ", command.stream().takeWhile(COMMAND_NAMES::contains).toList());
    }

    @ParameterizedTest
    @MethodSource("kafkaCommands")
    void anUnreachableBrokerIsOneLineAndExitCode1(List<String> command) {
        Run run = homeostat(with(command, "--bootstrap-servers", "127.0.0.1:" + closedPort, "--timeout", "2s"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line()).startsWith(name(command) + ": cannot reach Kafka at 127.0.0.1:" + closedPort
                + " (connection refused); is the broker up?");
    }

    @ParameterizedTest
    @MethodSource("kafkaCommands")
    void aBrokerThatDoesNotAnswerIsOneLineAfterTheTimeout(List<String> command) {
        Run run = homeostat(with(command, "--bootstrap-servers", "127.0.0.1:" + silent.getLocalPort(), "--timeout", "1s"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line()).startsWith(name(command) + ": Kafka at 127.0.0.1:" + silent.getLocalPort()
                + " did not answer within 1s");
    }

    @ParameterizedTest
    @MethodSource("kafkaCommands")
    void aMissingKafkaConfigFileIsOneLine(List<String> command) {
        Path missing = files.resolve("nowhere.properties");
        Run run = homeostat(with(command, "--kafka-config", missing.toString()));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line()).isEqualTo(name(command) + ": cannot read --kafka-config " + missing + ": no such file");
    }

    @Test
    void aStatusApiNobodyServesIsOneLineThatSaysSo() {
        Run run = homeostat("status", "--api", "http://127.0.0.1:" + closedPort, "--timeout", "2s");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line()).startsWith("homeostat status: cannot read the status API at http://127.0.0.1:" + closedPort
                + "/api/v1/targets: cannot connect").doesNotContain("null")
                .endsWith("(is `homeostat run` serving HTTP there? --api)");
    }

    @Test
    void verboseShowsTheStackTrace() {
        Run run = homeostat("status", "--bootstrap-servers", "127.0.0.1:" + closedPort, "--verbose");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("homeostat status: cannot reach Kafka").contains("\tat io.homeostat.cli.KafkaOptions");
        Run fromEnvironment = homeostat(Map.of("HOMEOSTAT_VERBOSE", "true"), "status", "--bootstrap-servers",
                "127.0.0.1:" + closedPort);
        assertThat(fromEnvironment.err()).contains("\tat io.homeostat.cli.");
    }

    @Test
    void theDefaultTimeoutIsShortAndDocumented() {
        Run help = homeostat("status", "--help");
        assertThat(help.out()).contains("--timeout=DURATION", "default: 5s");
    }

    static Stream<List<String>> fileCommands() {
        return Stream.of(List.of("targets", "apply"), List.of("targets", "validate"),
                List.of("rules", "export", "--format", "prometheus"));
    }

    @ParameterizedTest
    @MethodSource("fileCommands")
    void aMissingOrUnreadableFileIsOneLine(List<String> command) throws IOException {
        Path missing = files.resolve("missing.yml");
        Run run = homeostat(with(command, "-f", missing.toString()));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line()).isEqualTo(name(command) + ": cannot read " + missing + ": no such file");

        Run directory = homeostat(with(command, "-f", files.toString()));
        assertThat(directory.exitCode()).isEqualTo(1);
        assertThat(directory.line()).isEqualTo(name(command) + ": cannot read " + files + ": it is a directory");

        Path binary = Files.write(files.resolve("binary.yml"), new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF});
        Run notText = homeostat(with(command, "-f", binary.toString()));
        assertThat(notText.exitCode()).isEqualTo(1);
        assertThat(notText.line()).isEqualTo(name(command) + ": cannot read " + binary + ": not UTF-8 text");
    }

    @Test
    void anOutputDirectoryThatCannotBeWrittenIsOneLine() throws IOException {
        Path file = Files.writeString(files.resolve("a-file"), "not a directory");
        Run run = homeostat("rules", "export", "--format", "datadog", "-f", SEED, "--output-dir", file.resolve("rules").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line()).startsWith("homeostat rules export: cannot write " + file.resolve("rules"));
    }

    @Test
    void aStateDirectoryThatCannotBeMadeIsOneLine() throws IOException {
        Path file = Files.writeString(files.resolve("state-file"), "not a directory");
        Run run = homeostat("run", "--state-dir", file.resolve("state").toString(), "--bootstrap-servers",
                "127.0.0.1:" + closedPort);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.line()).startsWith("homeostat run: cannot use --state-dir " + file.resolve("state"));
    }

    /** Every command, as far as the command line goes. */
    static Stream<List<String>> allCommands() {
        return Stream.of(List.of("run"), List.of("targets", "apply", "-f", SEED), List.of("targets", "validate", "-f", SEED),
                List.of("targets", "list"), List.of("targets", "get", "x"), List.of("targets", "delete", "x"),
                List.of("alerts", "tail"), List.of("status"), List.of("rules", "export", "--format", "prometheus", "-f", SEED),
                List.of("topics", "create"), List.of("topology"), List.of("alerts", "forward", "--alertmanager", "http://127.0.0.1:9"),
                List.of("completion"));
    }

    @ParameterizedTest
    @MethodSource("allCommands")
    void anUnknownOptionIsOneLineAndExitCode2(List<String> command) {
        Run run = homeostat(with(command, "--no-such-option"));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.line()).startsWith(name(command) + ": Unknown option: '--no-such-option'")
                .endsWith("see '" + name(command) + " --help'");
    }

    @Test
    void badOptionValuesNameTheOption() {
        Run slice = homeostat("run", "--slice", "soon");
        assertThat(slice.exitCode()).isEqualTo(2);
        assertThat(slice.line()).startsWith("homeostat run: Invalid value for option '--slice': 'soon' is not a duration");

        Run tooShort = homeostat("run", "--slice", "10ms");
        assertThat(tooShort.exitCode()).isEqualTo(2);
        assertThat(tooShort.line()).startsWith("homeostat run: slice must be at least 100ms");

        Run threads = homeostat("run", "--threads", "0");
        assertThat(threads.exitCode()).isEqualTo(2);
        assertThat(threads.line()).startsWith("homeostat run: --threads must be at least 1, was 0");

        Run cap = homeostat("run", "--max-requirements", "0");
        assertThat(cap.exitCode()).isEqualTo(2);
        assertThat(cap.line()).startsWith("homeostat run: --max-requirements must be at least 1, was 0");

        Run partitions = homeostat("topics", "create", "--partitions", "0");
        assertThat(partitions.exitCode()).isEqualTo(2);
        assertThat(partitions.line()).startsWith("homeostat topics create: --partitions must be at least 1, was 0");

        Run status = homeostat("alerts", "tail", "--status", "maybe");
        assertThat(status.exitCode()).isEqualTo(2);
        assertThat(status.line()).contains("--status", "maybe");

        Run format = homeostat("targets", "list", "-o", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.line()).contains("-o", "xml");

        Run missing = homeostat("rules", "export", "-f", SEED);
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.line()).contains("Missing required option: '--format");

        Run typo = homeostat("targets", "lst");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.line()).contains("lst", "did you mean list");

        Run badServers = homeostat("status", "--bootstrap-servers", "no-port-here");
        assertThat(badServers.exitCode()).isEqualTo(1);
        assertThat(badServers.line()).isEqualTo("homeostat status: 'no-port-here' in --bootstrap-servers is not HOST:PORT");
    }
}

package io.homeostat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.testing.RepoFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HomeostatCliTest {

    private static RunCommand parseRun(Map<String, String> env, String... args) {
        CommandLine cli = Homeostat.commandLine(env);
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return (RunCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RunCommand run = parseRun(Map.of(), "run");
        assertThat(run.kafka.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(run.applicationId).isEqualTo("homeostat");
        assertThat(run.slice).isEqualTo(Duration.ofSeconds(5));
        assertThat(run.grace).isEqualTo(Duration.ofSeconds(5));
        assertThat(run.processingGuarantee).isEqualTo("exactly_once_v2");
        assertThat(run.createTopics).isTrue();
        assertThat(run.topicOptions.topics().spans()).isEqualTo("otlp_spans");
    }

    @Test
    void everyOptionComesFromTheEnvironmentAndTheCommandLineWins() {
        Map<String, String> env = Map.of("HOMEOSTAT_BOOTSTRAP_SERVERS", "kafka-1:9093", "HOMEOSTAT_SLICE", "2s",
                "HOMEOSTAT_APPLICATION_ID", "homeostat-prod", "HOMEOSTAT_CREATE_TOPICS", "false",
                "HOMEOSTAT_ALERTS_TOPIC", "team.alerts");
        RunCommand fromEnv = parseRun(env, "run");
        assertThat(fromEnv.kafka.bootstrapServers()).isEqualTo("kafka-1:9093");
        assertThat(fromEnv.slice).isEqualTo(Duration.ofSeconds(2));
        assertThat(fromEnv.applicationId).isEqualTo("homeostat-prod");
        assertThat(fromEnv.createTopics).isFalse();
        assertThat(fromEnv.topicOptions.topics().alerts()).isEqualTo("team.alerts");

        RunCommand overridden = parseRun(env, "run", "--slice", "500ms", "--bootstrap-servers", "other:9092");
        assertThat(overridden.slice).isEqualTo(Duration.ofMillis(500));
        assertThat(overridden.kafka.bootstrapServers()).isEqualTo("other:9092");
    }

    @Test
    void kafkaPropertiesPassThrough() throws Exception {
        var file = Files.createTempFile("kafka", ".properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nclient.id=from-file\n");
        RunCommand run = parseRun(Map.of(), "run", "--kafka-config", file.toString(), "-X", "client.id=from-flag",
                "--kafka-property", "commit.interval.ms=250");
        var props = run.kafka.clientProperties();
        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("client.id", "from-flag")
                .containsEntry("commit.interval.ms", "250")
                .containsEntry("bootstrap.servers", "localhost:9092");
        var streams = StreamsSettings.of("app", Files.createTempDirectory("state"), 1, "exactly_once_v2", props);
        assertThat(streams).containsEntry("commit.interval.ms", "250").containsEntry("processing.guarantee", "exactly_once_v2");
    }

    @Test
    void helpNamesEveryCommandAndTheEnvironment() {
        StringWriter out = new StringWriter();
        CommandLine cli = Homeostat.commandLine(Map.of());
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("run", "topology", "topics", "HOMEOSTAT_");

        StringWriter runHelp = new StringWriter();
        cli.setOut(new PrintWriter(runHelp));
        assertThat(cli.execute("run", "--help")).isZero();
        assertThat(runHelp.toString()).contains("--bootstrap-servers", "--slice", "--state-dir", "--kafka-property",
                "--application-id", "default: 5s");
    }

    @Test
    void badDurationIsAClearUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cli = Homeostat.commandLine(Map.of());
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("run", "--slice", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    @Test
    void topologyCommandPrintsTheCheckedInDescription() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(Homeostat.commandLine(Map.of()).execute("topology")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8))
                .isEqualTo(Files.readString(RepoFiles.resolve("topology-docs/topology.txt")));
    }

    @Test
    void environmentVariableNamesFollowTheLongOption() {
        assertThat(EnvironmentDefaults.variableFor("--bootstrap-servers")).isEqualTo("HOMEOSTAT_BOOTSTRAP_SERVERS");
        assertThat(EnvironmentDefaults.variableFor("--kafka-config")).isEqualTo("HOMEOSTAT_KAFKA_CONFIG");
    }

    @Test
    void theSeedsRuntimeSwitchesDefaultOnAndComeFromFlagsOrTheEnvironment() {
        var defaults = parseRun(Map.of(), "run").runtimeOptions.settings();
        assertThat(defaults.alertOnDeviation()).isTrue();
        assertThat(defaults.autoGenerateIntents()).isTrue();
        assertThat(defaults.feedbackLoopEnabled()).isTrue();
        assertThat(defaults.issueQuietPeriod()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.issueRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.requireReqTags()).isTrue();
        assertThat(parseRun(Map.of("HOMEOSTAT_REQUIRE_REQ_TAGS", "false"), "run").runtimeOptions.settings().requireReqTags())
                .isFalse();

        var flags = parseRun(Map.of(), "run", "--no-auto-generate-intents", "--no-alert-on-deviation",
                "--issue-quiet-period", "10m").runtimeOptions.settings();
        assertThat(flags.autoGenerateIntents()).isFalse();
        assertThat(flags.alertOnDeviation()).isFalse();
        assertThat(flags.feedbackLoopEnabled()).isTrue();
        assertThat(flags.issueQuietPeriod()).isEqualTo(Duration.ofMinutes(10));
        assertThat(flags.intentsEnabled()).isFalse();

        var env = parseRun(Map.of("HOMEOSTAT_FEEDBACK_LOOP_ENABLED", "false", "HOMEOSTAT_AUTO_GENERATE_INTENTS", "false",
                "HOMEOSTAT_ALERT_ON_DEVIATION", "false", "HOMEOSTAT_ISSUE_QUIET_PERIOD", "1h"), "run").runtimeOptions.settings();
        assertThat(env.feedbackLoopEnabled()).isFalse();
        assertThat(env.autoGenerateIntents()).isFalse();
        assertThat(env.alertOnDeviation()).isFalse();
        assertThat(env.issueQuietPeriod()).isEqualTo(Duration.ofHours(1));

        var flagWins = parseRun(Map.of("HOMEOSTAT_FEEDBACK_LOOP_ENABLED", "false"), "run", "--feedback-loop-enabled")
                .runtimeOptions.settings();
        assertThat(flagWins.feedbackLoopEnabled()).isTrue();
    }

    @Test
    void cardinalityCapsHaveDefaultsAndComeFromFlagsOrTheEnvironment() {
        var defaults = parseRun(Map.of(), "run").cardinalityOptions.limits();
        assertThat(defaults).isEqualTo(io.homeostat.evaluate.CardinalityLimits.defaults());
        assertThat(defaults.maxRequirements()).isEqualTo(10_000);
        assertThat(defaults.idleExpiry()).isEqualTo(Duration.ofHours(1));
        var flags = parseRun(Map.of("HOMEOSTAT_MAX_SERIES", "500", "HOMEOSTAT_MAX_REQUIREMENTS", "7"), "run",
                "--max-requirements", "2000", "--max-services", "50", "--idle-expiry", "15m").cardinalityOptions.limits();
        assertThat(flags).isEqualTo(new io.homeostat.evaluate.CardinalityLimits(2000, 500, 50, Duration.ofMinutes(15)));
    }
}

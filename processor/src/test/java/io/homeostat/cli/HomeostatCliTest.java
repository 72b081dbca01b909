package io.homeostat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void anOptionsVariableIsScopedToItsCommandAndSharedOnesWorkEverywhere() {
        CommandLine cli = Homeostat.commandLine(Map.of());
        // Names that commands give different meanings: only HOMEOSTAT_<COMMAND>_<OPTION> sets them.
        assertThat(EnvironmentDefaults.ambiguousNames(cli.getCommandSpec())).contains("--partitions", "--replication-factor",
                "--stats-interval", "--output", "--format", "--transactional-id", "--file")
                .doesNotContain("--bootstrap-servers", "--alerts-topic", "--timeout", "--application-id", "--slice");

        Map<String, String> env = Map.of("HOMEOSTAT_PARTITIONS", "12", "HOMEOSTAT_STATS_INTERVAL", "5s",
                "HOMEOSTAT_RUN_REPLICATION_FACTOR", "3", "HOMEOSTAT_ALERTS_FORWARD_STATS_INTERVAL", "1m",
                "HOMEOSTAT_BOOTSTRAP_SERVERS", "kafka-1:9093", "HOMEOSTAT_RUN_SLICE", "2s",
                "HOMEOSTAT_KAFKA_PROPERTY", "security.protocol=SSL,ssl.enabled.protocols=TLSv1.2,TLSv1.3\nclient.id=env");
        RunCommand run = parseRun(env, "run");
        assertThat(run.partitions).as("HOMEOSTAT_PARTITIONS means nothing: run, targets apply and topics create all have one")
                .isEqualTo(3);
        assertThat(run.statsInterval).isEqualTo(Duration.ofSeconds(30));
        assertThat(run.replicationFactor).isEqualTo((short) 3);
        assertThat(run.slice).isEqualTo(Duration.ofSeconds(2));
        assertThat(run.kafka.bootstrapServers()).isEqualTo("kafka-1:9093");
        assertThat(run.kafka.clientProperties()).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.enabled.protocols", "TLSv1.2,TLSv1.3").containsEntry("client.id", "env");

        CommandLine forward = Homeostat.commandLine(env);
        CommandLine.ParseResult parsed = forward.parseArgs("alerts", "forward", "--alertmanager", "http://am:9093");
        AlertsForwardCommand bridge = (AlertsForwardCommand) parsed.subcommand().subcommand().commandSpec().userObject();
        assertThat(bridge.statsInterval).isEqualTo(Duration.ofMinutes(1));
        assertThat(bridge.replicationFactor).as("run's variable stays run's").isEqualTo((short) -1);
        assertThat(bridge.kafka.bootstrapServers()).isEqualTo("kafka-1:9093");

        assertThat(EnvironmentDefaults.variableFor(forward.getSubcommands().get("alerts").getSubcommands().get("forward")
                .getCommandSpec(), "--resend-interval")).isEqualTo("HOMEOSTAT_ALERTS_FORWARD_RESEND_INTERVAL");
    }

    /** The seed's .claude/plugins.yml, as its "Configuration" section writes it. */
    static final String SEED_PLUGINS = """
            plugins:
              - name: "@aisdlc/aisdlc-methodology"
                config:
                  runtime:
                    telemetry_provider: "opentelemetry"
                    require_req_tags: %s
                    homeostasis_check_interval: "5m"
                    alert_on_deviation: true
                    auto_generate_intents: false
                    feedback_loop_enabled: true
            """;

    private static RunCommand runWithConfig(Map<String, String> env, String config, String... args) throws Exception {
        var file = Files.createTempFile("plugins", ".yml");
        Files.writeString(file, config);
        String[] all = java.util.stream.Stream.concat(java.util.stream.Stream.of("run", "--config", file.toString()),
                java.util.Arrays.stream(args)).toArray(String[]::new);
        RunCommand run = parseRun(env, all);
        RunConfigFile.apply(run.spec, run.config, env);
        return run;
    }

    @Test
    void theSeedsPluginSettingsComeFromTheRunConfigFile() throws Exception {
        RunCommand seed = runWithConfig(Map.of(), SEED_PLUGINS.formatted("true"));
        assertThat(seed.slice).as("homeostasis_check_interval: verdicts every 5 minutes").isEqualTo(Duration.ofMinutes(5));
        assertThat(seed.runtimeOptions.settings().requireReqTags()).isTrue();
        assertThat(seed.runtimeOptions.settings().rejectUntagged()).isFalse();
        assertThat(seed.runtimeOptions.settings().autoGenerateIntents()).isFalse();

        RunCommand reject = runWithConfig(Map.of(), SEED_PLUGINS.formatted("reject"));
        assertThat(reject.runtimeOptions.settings().rejectUntagged()).isTrue();
        assertThat(runWithConfig(Map.of(), SEED_PLUGINS.formatted("false")).runtimeOptions.settings().requireReqTags()).isFalse();

        // The environment wins over the file, the command line over both.
        assertThat(runWithConfig(Map.of("HOMEOSTAT_RUN_SLICE", "10s"), SEED_PLUGINS.formatted("true")).slice)
                .isEqualTo(Duration.ofSeconds(10));
        RunCommand flags = runWithConfig(Map.of("HOMEOSTAT_RUN_SLICE", "10s"), SEED_PLUGINS.formatted("reject"), "--slice", "1s",
                "--require-req-tags=warn");
        assertThat(flags.slice).isEqualTo(Duration.ofSeconds(1));
        assertThat(flags.runtimeOptions.settings().rejectUntagged()).isFalse();

        // A plain mapping of run's options works too; a typo is named.
        assertThat(runWithConfig(Map.of(), "issue-refresh: 20s\nrequire_req_tags: reject\n").runtimeOptions.settings())
                .satisfies(r -> {
                    assertThat(r.issueRefresh()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(r.rejectUntagged()).isTrue();
                });
        assertThatThrownBy(() -> runWithConfig(Map.of(), "isue-refresh: 20s\n"))
                .hasMessageContaining("unknown setting 'isue-refresh'").hasMessageContaining("did you mean issue-refresh");
        assertThatThrownBy(() -> runWithConfig(Map.of(), SEED_PLUGINS.formatted("true").replace("\"opentelemetry\"", "datadog")))
                .hasMessageContaining("telemetry_provider 'datadog'");
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

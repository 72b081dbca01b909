package io.homeostat.cli;

import io.homeostat.http.HttpEndpoint;
import io.homeostat.http.HttpSettings;
import io.homeostat.model.Durations;
import io.homeostat.topology.HomeostatTopology;
import io.homeostat.topology.Topics;
import io.homeostat.topology.TopologySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code homeostat run}: the processor. Runs until SIGTERM/SIGINT (or the thread is interrupted). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the Homeostat processor: OTLP in, homeostasis alerts out.",
                "Every option can also be set by an environment variable HOMEOSTAT_RUN_<OPTION> (HOMEOSTAT_RUN_SLICE), "
                        + "or HOMEOSTAT_<OPTION> where no other command has an option of that name (HOMEOSTAT_BOOTSTRAP_SERVERS, "
                        + "HOMEOSTAT_APPLICATION_ID); see docs/operations.md."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin KafkaOptions kafka;
    @Mixin TopicOptions topicOptions;
    @Mixin RuntimeOptions runtimeOptions;
    @Mixin CardinalityOptions cardinalityOptions;

    @Option(names = RunConfigFile.OPTION, paramLabel = "FILE",
            description = {"Settings from a YAML file: run's options by name (slice: 10s), or the seed's plugin "
                    + "configuration (.claude/plugins.yml: plugins[].config.runtime with require_req_tags, "
                    + "homeostasis_check_interval (the slice), alert_on_deviation, auto_generate_intents, "
                    + "feedback_loop_enabled). The command line and the environment win over the file."})
    Path config;
    @Mixin HttpOptions httpOptions;

    @Option(names = "--application-id", defaultValue = "homeostat",
            description = "Kafka Streams application id: consumer group, internal topic prefix (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--slice", defaultValue = "5s", converter = DurationConverter.class,
            description = "Event-time slice; windows are whole slices and verdicts are taken every slice (default: ${DEFAULT-VALUE}).")
    Duration slice;

    @Option(names = "--grace", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long a slice accepts late data after it ends; later data is counted, not merged (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--max-future", defaultValue = "5m", converter = DurationConverter.class,
            description = "Records with telemetry further ahead of this processor's clock go to the dead-letter topic (default: ${DEFAULT-VALUE}).")
    Duration maxFuture;

    @Option(names = "--status-interval", defaultValue = "30s", converter = DurationConverter.class,
            description = "How often an unchanged target's status is published again on the status topic; changes are published at once (default: ${DEFAULT-VALUE}).")
    Duration statusInterval;

    @Option(names = "--state-dir", defaultValue = "${java.io.tmpdir}/homeostat-state",
            description = "Local state directory (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--processing-guarantee", defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
            description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
    String processingGuarantee;

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create missing contract topics at start (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of topics created by --create-topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--replication-factor", defaultValue = "-1",
            description = "Replication of created topics; -1 = broker default (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    @Option(names = "--leave-group-on-close", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Leave the consumer group on shutdown, so that a restarted or other instance takes over at once "
                    + "instead of after the session timeout (default: ${DEFAULT-VALUE}).",
                    "Turn off for rolling restarts of many instances that come back within the session timeout."})
    boolean leaveGroupOnClose;

    @Option(names = "--stats-interval", defaultValue = "30s", converter = DurationConverter.class,
            description = "How often to log what was processed; 0s turns it off (default: ${DEFAULT-VALUE}).")
    Duration statsInterval;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (config != null) RunConfigFile.apply(spec, config, Homeostat.environment(spec));
        Topics topics = topicOptions.topics();
        TopologySettings settings;
        try {
            settings = new TopologySettings(topics, slice, grace, maxFuture, statusInterval, runtimeOptions.settings(),
                    cardinalityOptions.limits());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (threads < 1) throw new ParameterException(spec.commandLine(), "--threads must be at least 1, was " + threads);
        if (partitions < 1) throw new ParameterException(spec.commandLine(), "--partitions must be at least 1, was " + partitions);
        Properties clientProps = kafka.clientProperties();
        HttpSettings http;
        try {
            http = httpOptions.settings(slice, threads, clientProps);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        usableStateDir(stateDir);
        kafka.checkReachable();
        List<NewTopic> contract = TopicProvisioner.contractTopics(topics, partitions, replicationFactor);
        if (createTopics) {
            List<String> created = TopicProvisioner.ensure(clientProps, contract);
            if (!created.isEmpty()) LOG.info("Created {} missing topics", created.size());
        } else {
            List<String> missing = TopicProvisioner.missing(clientProps, contract.stream().map(NewTopic::name).toList());
            if (!missing.isEmpty()) {
                throw new CommandFailure("the topic(s) " + String.join(", ", missing) + " do not exist at "
                        + kafka.bootstrapServers() + " (create them with `homeostat topics create`, or drop --no-create-topics)");
            }
        }
        // The decode tasks ask the probe how their partition is read (lag, fetch health); it reads the client's metrics.
        java.util.concurrent.atomic.AtomicReference<KafkaStreams> client = new java.util.concurrent.atomic.AtomicReference<>();
        InputProbe inputProbe = new InputProbe(clientProps, List.of(topics.spans(), topics.metrics()),
                () -> client.get() == null ? java.util.Map.of() : client.get().metrics());
        Topology topology = HomeostatTopology.build(settings.withInputHealth(inputProbe));
        Properties props = StreamsSettings.of(applicationId, stateDir, threads, processingGuarantee, topics.deadLetters(),
                clientProps);
        LOG.info("Starting Homeostat '{}' on {} ({}; slice {}, grace {}); spans from {}, metrics from {}, targets from {}, "
                        + "alerts to {}, status to {}, dead letters to {}", applicationId, kafka.bootstrapServers(),
                processingGuarantee, Durations.format(slice), Durations.format(grace), topics.spans(), topics.metrics(),
                topics.targets(), topics.alerts(), topics.status(), topics.deadLetters());
        LOG.info("Runtime: alert_on_deviation={}, auto_generate_intents={}, feedback_loop_enabled={}, require_req_tags={}, "
                        + "unknown issues {}, issue quiet period {}, issue refresh {}{}; logs from {}, issues to {}, intents to {}",
                settings.runtime().alertOnDeviation(), settings.runtime().autoGenerateIntents(),
                settings.runtime().feedbackLoopEnabled(), settings.runtime().rejectUntagged() ? "reject"
                        : settings.runtime().requireReqTags() ? "warn" : "off", settings.runtime().unknownIssues(),
                Durations.format(settings.runtime().issueQuietPeriod()), Durations.format(settings.runtime().issueRefresh()),
                config == null ? "" : " (settings file " + config + ")", topics.logs(), topics.issues(), topics.intents());
        LOG.info("Cardinality per task: at most {} requirements without a target, {} metric series, {} services of "
                        + "unattributed telemetry; idle ones forgotten after {}", settings.cardinality().maxRequirements(),
                settings.cardinality().maxSeries(), settings.cardinality().maxServices(),
                Durations.format(settings.cardinality().idleExpiry()));

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean failed = new AtomicBoolean(false);
        KafkaStreams streams = new KafkaStreams(topology, props);
        client.set(streams);
        streams.setStateListener((newState, oldState) -> {
            LOG.info("Processor state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.ERROR) failed.set(true);
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) stopped.countDown();
        });
        StreamThreadFailures threadFailures = new StreamThreadFailures();
        streams.setUncaughtExceptionHandler(threadFailures);
        HttpEndpoint endpoint = http == null ? null : startHttp(streams, http, threadFailures);
        CloseOptions closeOptions = CloseOptions.timeout(Duration.ofSeconds(30)).withGroupMembershipOperation(
                leaveGroupOnClose ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                        : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        Thread shutdownHook = new Thread(() -> {
            LOG.info("Signal received, shutting down");
            streams.close(closeOptions);
            stopped.countDown();
        }, "homeostat-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        ScheduledExecutorService statsLogger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "homeostat-stats");
            t.setDaemon(true);
            return t;
        });
        ProcessingStats stats = new ProcessingStats(streams::metrics);
        if (!statsInterval.isZero()) {
            statsLogger.scheduleAtFixedRate(stats::logIfChanged, statsInterval.toMillis(), statsInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        streams.start();
        inputProbe.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            LOG.info("Interrupted, shutting down");
            Thread.currentThread().interrupt();
        } finally {
            statsLogger.shutdownNow();
            stats.logIfChanged();
            streams.close(closeOptions);
            inputProbe.close();
            if (endpoint != null) endpoint.close();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running: it closes the processor itself
            }
        }
        boolean error = failed.get() || threadFailures.stopped();
        LOG.info("Homeostat stopped{}", error ? " after an error" : "");
        return error ? 1 : 0;
    }

    /** Listens before Kafka Streams starts, so that a port in use stops the command before it processes anything. */
    private static HttpEndpoint startHttp(KafkaStreams streams, HttpSettings http, StreamThreadFailures threadFailures) {
        HttpEndpoint endpoint;
        try {
            endpoint = HttpEndpoint.start(streams, http, threadFailures::stopped);
        } catch (IOException e) {
            streams.close(Duration.ZERO);
            throw new CommandFailure("cannot serve HTTP on " + http.bindAddress() + ":" + http.port() + ": "
                    + ErrorReporting.describe(e) + " (--http-port, --http-bind-address; --no-http turns the endpoint off)", e);
        }
        String base = "http://" + (http.bindAddress().equals(HttpSettings.DEFAULT_BIND_ADDRESS) ? "localhost" : http.bindAddress())
                + ":" + endpoint.address().getPort();
        LOG.info("Status page {}/ ; metrics {}/metrics ; probes {}/health/live and /health/ready ; API {}/api/v1/targets "
                + "(listening on {}:{}, other instances reach this one at {}:{})", base, base, base, base,
                http.bindAddress(), endpoint.address().getPort(), http.advertised().host(), http.advertised().port());
        return endpoint;
    }

    private static void usableStateDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CommandFailure("cannot use --state-dir " + dir + ": " + ErrorReporting.describe(e), e);
        }
        if (!Files.isWritable(dir)) throw new CommandFailure("cannot use --state-dir " + dir + ": not writable");
    }
}

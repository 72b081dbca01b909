package io.homeostat.cli;

import io.homeostat.forward.AlertBridge;
import io.homeostat.forward.AlertMapping;
import io.homeostat.forward.BridgeSettings;
import io.homeostat.forward.Receiver;
import io.homeostat.forward.Receivers;
import io.homeostat.model.Durations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code homeostat alerts forward}: the alerts topic into Alertmanager (or webhooks), none lost. */
@Command(name = "forward", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forward the alerts to Alertmanager's API v2 (or to webhooks that take Alertmanager's webhook "
                + "payload) until stopped (SIGTERM/Ctrl-C).",
                "Offsets are committed only after the receiver accepted; while it is down the bridge retries with "
                        + "backoff. Every firing alert is re-sent every --resend-interval from the bridge's own view, kept on "
                        + "a compacted state topic, so a restart neither loses nor resurrects alerts.",
                "Options also come from HOMEOSTAT_<OPTION> (e.g. HOMEOSTAT_ALERTMANAGER=http://am-0:9093,http://am-1:9093) "
                        + "and from --config FILE; the command line wins, then the environment, then the file."},
        footer = {"", "Example:",
                "  homeostat alerts forward --alertmanager http://alertmanager:9093 --label cluster=prod-eu"})
final class AlertsForwardCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(AlertsForwardCommand.class);
    static final String CONFIG_OPTION = "--config";

    @Spec CommandSpec spec;
    @Mixin KafkaOptions kafka;

    @Option(names = "--alertmanager", split = ",", paramLabel = "URL",
            description = "Alertmanager's base URL; repeat (or separate with commas) for each member of a cluster: each "
                    + "gets every alert, as from Prometheus.")
    List<String> alertmanagers;

    @Option(names = "--webhook", split = ",", paramLabel = "URL",
            description = "Instead of Alertmanager: POST Alertmanager's webhook payload (version 4, grouped by requirement) "
                    + "to each URL.")
    List<String> webhooks;

    @Option(names = CONFIG_OPTION, paramLabel = "FILE",
            description = "YAML file of these options by long name (alertmanager: [http://am:9093], resend-interval: 30s, "
                    + "label: {cluster: prod}, header: {Authorization: Bearer ...}).")
    Path config;

    @Option(names = "--alerts-topic", paramLabel = "TOPIC", defaultValue = "homeostasis.alerts", description = "Alerts in (default: ${DEFAULT-VALUE}).")
    String alertsTopic;

    @Option(names = "--dlq-topic", paramLabel = "TOPIC", defaultValue = "homeostasis.dlq",
            description = "Alerts that cannot be read or that the receiver refuses go here, with the reason (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--group-id", paramLabel = "ID", defaultValue = BridgeSettings.DEFAULT_GROUP_ID,
            description = "Consumer group (its offsets say what was delivered) and transactional.id: one bridge per group "
                    + "runs, a new one fences the old (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--state-topic", paramLabel = "TOPIC",
            description = "The bridge's compacted topic of firing alerts (default: <group-id>-firing; created when missing).")
    String stateTopic;

    @Option(names = "--resend-interval", defaultValue = "1m", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How often every firing alert is sent to Alertmanager again; keep it well inside its "
                    + "resolve_timeout (default: ${DEFAULT-VALUE}).")
    Duration resendInterval;

    @Option(names = "--repeat-interval", defaultValue = "4h", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Webhooks: notify a group that is still firing again after this long, as Alertmanager's "
                    + "repeat_interval; 0s never (default: ${DEFAULT-VALUE}).")
    Duration repeatInterval;

    @Option(names = "--label", paramLabel = "NAME=VALUE", split = EnvironmentDefaults.MAP_SPLIT, splitSynopsisLabel = ",",
            description = "A label added to every alert (e.g. cluster=prod-eu), like Prometheus' external labels; repeatable.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--generator-url", paramLabel = "TEMPLATE",
            description = "The alert's link back (generatorURL), e.g. http://homeostat/status/{target_id}; placeholders "
                    + "{target_id}, {requirement}, {metric}, {fingerprint}, {alert_id}.")
    String generatorUrl;

    @Option(names = "--header", paramLabel = "NAME=VALUE", split = EnvironmentDefaults.MAP_SPLIT, splitSynopsisLabel = ",",
            description = "An HTTP header on every request (e.g. Authorization=Bearer ...); repeatable.")
    Map<String, String> headers = new LinkedHashMap<>();

    @Option(names = "--receiver-timeout", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Per HTTP request to Alertmanager or the webhook (default: ${DEFAULT-VALUE}); --timeout bounds the wait for Kafka.")
    Duration receiverTimeout;

    @Option(names = "--max-backoff", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Retries of an undelivered batch start after 1s and double up to this (default: ${DEFAULT-VALUE}).")
    Duration maxBackoff;

    @Option(names = "--receiver-name", paramLabel = "NAME", defaultValue = "homeostat",
            description = "Webhooks: the payload's receiver (default: ${DEFAULT-VALUE}).")
    String receiverName;

    @Option(names = "--external-url", paramLabel = "URL", description = "Webhooks: the payload's externalURL.")
    String externalUrl;

    @Option(names = "--stats-interval", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How often to log what was forwarded; 0s never (default: ${DEFAULT-VALUE}).")
    Duration statsInterval;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = "-1",
            description = "Replication of the state topic when the bridge creates it; -1 = broker default (default: ${DEFAULT-VALUE}).")
    short replicationFactor;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]*)}");

    @Override
    public Integer call() {
        if (config != null) OptionsFile.apply(spec, config, CONFIG_OPTION, Homeostat.environment(spec));
        boolean toAlertmanager = alertmanagers != null && !alertmanagers.isEmpty();
        boolean toWebhooks = webhooks != null && !webhooks.isEmpty();
        if (toAlertmanager == toWebhooks) {
            throw new CommandLine.ParameterException(spec.commandLine(), toAlertmanager
                    ? "give --alertmanager or --webhook, not both (run two bridges with different --group-id for both)"
                    : "where to? give --alertmanager URL (Alertmanager's API) or --webhook URL (Alertmanager's webhook "
                    + "payload), on the command line, in HOMEOSTAT_ALERTMANAGER / HOMEOSTAT_WEBHOOK or in --config");
        }
        checkTemplate();
        BridgeSettings settings;
        Receiver receiver;
        try {
            settings = new BridgeSettings(alertsTopic, deadLetterTopic, stateTopic, groupId,
                    toAlertmanager ? BridgeSettings.Mode.ALERTMANAGER : BridgeSettings.Mode.WEBHOOK, resendInterval,
                    repeatInterval, maxBackoff.compareTo(Duration.ofSeconds(1)) < 0 ? maxBackoff : Duration.ofSeconds(1),
                    maxBackoff, statsInterval, replicationFactor);
            receiver = toAlertmanager ? Receivers.alertmanager(alertmanagers, receiverTimeout, headers, resendInterval)
                    : Receivers.webhook(webhooks, receiverTimeout, headers, receiverName, externalUrl);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        kafka.checkReachable();
        AlertBridge bridge = new AlertBridge(settings, kafka.clientProperties(), receiver,
                new AlertMapping(labels, generatorUrl));
        Thread stopper = new Thread(() -> {
            LOG.info("Signal received, stopping the alert bridge");
            bridge.stop();
            bridge.awaitStopped(Duration.ofSeconds(15)); // let it close its Kafka clients before the JVM goes
        }, "alerts-forward-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        LOG.info("Starting the alert bridge: {} -> {} (group {}, state {}; re-send every {}{})", alertsTopic,
                receiver.describe(), groupId, settings.stateTopic(), Durations.format(resendInterval),
                toWebhooks ? ", repeat every " + Durations.format(repeatInterval) : "");
        try (receiver) {
            bridge.run();
            return 0;
        } catch (AlertBridge.BridgeException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("homeostat alerts forward: " + e.getMessage());
            err.flush();
            LOG.debug("Alert bridge failed", e);
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it stops the bridge
            }
        }
    }

    private void checkTemplate() {
        if (generatorUrl == null) return;
        Matcher m = PLACEHOLDER.matcher(generatorUrl);
        while (m.find()) {
            if (!m.group(0).matches(AlertMapping.PLACEHOLDER_PATTERN)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--generator-url: unknown placeholder "
                        + m.group(0) + "; use {target_id}, {requirement}, {metric}, {fingerprint} or {alert_id}");
            }
        }
    }
}

package io.homeostat.cli;

import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code homeostat alerts tail}: the alerts as they are published (committed ones only). */
@Command(name = "alerts", mixinStandardHelpOptions = true,
        description = "Read the alerts topic, or forward it to Alertmanager or webhooks.",
        subcommands = {AlertsCommand.Tail.class, AlertsForwardCommand.class})
public final class AlertsCommand {

    enum StatusFilter { firing, resolved }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = {"Print alerts as they arrive (Ctrl-C stops), a table row or a JSON line each.",
                    "Starts at the end of the topic unless --from-beginning."})
    static final class Tail implements Callable<Integer> {
        @Mixin KafkaOptions kafka;
        @Spec CommandSpec spec;

        @Option(names = "--alerts-topic", defaultValue = "homeostasis.alerts", description = "Alerts topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--status", description = "Only alerts with this status: firing or resolved.")
        StatusFilter status;

        @Option(names = "--from-beginning", description = "Start at the oldest alert still on the topic.")
        boolean fromBeginning;

        @Option(names = "--follow", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Keep waiting for new alerts; --no-follow stops at the current end (default: ${DEFAULT-VALUE}).")
        boolean follow;

        @Option(names = "--limit", defaultValue = "0", description = "Stop after this many alerts; 0 = no limit (default: ${DEFAULT-VALUE}).")
        long limit;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (JSON lines) (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        static final String ROW = "%-24s  %-8s  %-8s  %-9s  %-36s  %10s  %-16s  %9s  %7s%n";

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            kafka.checkReachable();
            Optional<List<TopicPartition>> partitions = TopicReader.partitions(kafka.clientProperties(), topic);
            if (partitions.isEmpty()) {
                throw new CommandFailure("the topic " + topic + " does not exist at " + kafka.bootstrapServers()
                        + " (`homeostat run` creates it; or check --alerts-topic)");
            }
            KafkaConsumer<byte[], byte[]> consumer = TopicReader.consumer(kafka.clientProperties());
            Thread stopper = new Thread(consumer::wakeup, "alerts-tail-stop");
            Runtime.getRuntime().addShutdownHook(stopper);
            long printed = 0;
            try (consumer) {
                consumer.assign(partitions.get());
                if (fromBeginning) consumer.seekToBeginning(partitions.get()); else consumer.seekToEnd(partitions.get());
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions.get(), TopicReader.TIMEOUT);
                partitions.get().forEach(consumer::position); // fix the start now
                if (output == OutputFormat.table) out.printf(Locale.ROOT, ROW, "TIME", "STATUS", "SEVERITY", "KIND",
                        "TARGET", "ACTUAL", "TARGET_IS", "DEVIATION", "EVENTS");
                out.flush();
                while (true) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        Alert alert;
                        try {
                            alert = Json.MAPPER.readValue(record.value(), Alert.class);
                        } catch (IOException | RuntimeException e) {
                            err.println("skipped an unreadable alert at " + record.topic() + "-" + record.partition()
                                    + "@" + record.offset());
                            continue;
                        }
                        if (status != null && !status.name().equals(alert.status())) continue;
                        if (output == OutputFormat.json) {
                            // One line per alert (JSON lines), whatever the producer's formatting.
                            out.println(Json.MAPPER.readTree(record.value()).toString());
                        } else {
                            out.print(row(alert));
                        }
                        out.flush();
                        printed++;
                        if (limit > 0 && printed >= limit) return 0;
                    }
                    if (!follow && TopicReader.reached(consumer, end)) return 0;
                }
            } catch (WakeupException stopped) {
                return 0;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it stops the loop
                }
            }
        }

        static String row(Alert a) {
            return String.format(Locale.ROOT, ROW, a.timestamp(), a.status(), a.severity() == null ? "-" : a.severity(),
                    a.kind(), a.targetId(), a.actual() == null ? "-" : TargetsCommand.number(a.actual()),
                    a.operator() + " " + TargetsCommand.number(a.target()),
                    a.deviationPercent() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", a.deviationPercent()),
                    a.events());
        }
    }
}

package io.homeostat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.config.ConfigException;
import io.homeostat.config.ResolvedTarget;
import io.homeostat.config.TargetDiff;
import io.homeostat.config.TargetFiles;
import io.homeostat.config.Variables;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code homeostat targets ...}: homeostasis targets as code. {@code apply} reads the seed's
 * {@code config/observability.yml} (or plain target files), validates all of it, shows each metric
 * resolution and the diff against the targets topic, and writes the changes in one transaction.
 */
@Command(name = "targets", mixinStandardHelpOptions = true,
        description = "Apply, inspect and delete homeostasis targets on the targets topic.",
        subcommands = {TargetsCommand.Apply.class, TargetsCommand.Validate.class, TargetsCommand.ListTargets.class,
                TargetsCommand.Get.class, TargetsCommand.Delete.class})
public final class TargetsCommand {
    static final String TOPIC_DEFAULT = "homeostasis.targets";

    /** Options of every targets command: the broker and the topic. */
    static final class TargetsTopic {
        @Mixin KafkaOptions kafka;

        @Option(names = "--targets-topic", defaultValue = TOPIC_DEFAULT,
                description = "The compacted targets topic (default: ${DEFAULT-VALUE}).")
        String topic;

        /** The topic read to its end; a topic that does not exist is an error (only {@code apply} creates it). */
        TopicReader.Snapshot existing() throws Exception {
            kafka.checkReachable();
            TopicReader.Snapshot snapshot = TopicReader.readToEnd(kafka.clientProperties(), topic);
            if (!snapshot.exists()) {
                throw new CommandFailure("the topic " + topic + " does not exist at " + kafka.bootstrapServers()
                        + " (`homeostat targets apply` creates it; or check --targets-topic)");
            }
            return snapshot;
        }
    }

    /** Options of the commands that read files. */
    static final class Files {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = {"config/observability.yml (the seed's format) or a file of plain targets "
                        + "(YAML documents or JSON, each a target or a list of targets); repeatable; - reads standard input."})
        List<String> files;
    }

    // Implements: REQ-RUNTIME-001 (homeostasis targets as code, applied to the running monitor)
    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Validate the file(s), show how each metric resolves and what would change on the targets topic, "
                    + "then write the changes in one Kafka transaction.",
                    "A file with any problem writes nothing and exits 1, naming each problem's line.",
                    "$${VAR} and $${VAR:-default} in the file are expanded from the environment."})
    static final class Apply implements Callable<Integer> {
        @Mixin TargetsTopic target;
        @Mixin Files input;
        @Spec CommandSpec spec;

        @Option(names = "--dry-run", description = "Show the resolutions and the diff; write nothing.")
        boolean dryRun;

        @Option(names = "--prune", description = "Delete (tombstone) targets on the topic that the file(s) no longer have.")
        boolean prune;

        @Option(names = "--transactional-id", defaultValue = TargetsWriter.DEFAULT_TRANSACTIONAL_ID,
                description = "Transactional id of the writes; concurrent applies with the same id fence each other "
                        + "(default: ${DEFAULT-VALUE}).")
        String transactionalId;

        @Option(names = "--partitions", defaultValue = "3",
                description = "Partitions if the targets topic has to be created (default: ${DEFAULT-VALUE}).")
        int partitions;

        @Option(names = "--replication-factor", defaultValue = "-1",
                description = "Replication if the targets topic has to be created; -1 = broker default (default: ${DEFAULT-VALUE}).")
        short replicationFactor;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String files = ConfigSources.names(input.files);
            TargetFiles.Loaded loaded;
            try {
                loaded = TargetFiles.load(ConfigSources.read(input.files, System.in), new Variables(Homeostat.environment(spec)));
                ConfigSources.printWarnings(spec.commandLine().getErr(), loaded);
            } catch (ConfigException e) {
                ConfigSources.printProblems(err, "Not applied, nothing written (" + files + ")", e);
                return 1;
            }
            printResolutions(out, loaded, files);

            Properties client = target.kafka.clientProperties();
            target.kafka.checkReachable();
            TopicReader.Snapshot current = TopicReader.readToEnd(client, target.topic);
            List<TargetDiff.Change> changes = TargetDiff.compute(loaded.targets(), current.latest(), prune);
            out.printf("%nDiff against %s at %s (%s):%n", target.topic, target.kafka.bootstrapServers(),
                    current.exists() ? current.latest().size() + " target(s) on the topic" : "the topic does not exist yet");
            printDiff(out, changes);
            String summary = summary(changes);
            if (dryRun) {
                out.println();
                out.println("Dry run, nothing written: would apply " + summary + ".");
                out.flush();
                return 0;
            }
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            for (TargetDiff.Change change : changes) {
                if (!change.action().writes()) continue;
                byte[] value = change.action() == TargetDiff.Action.DELETED ? null : TargetDiff.value(change.desired());
                records.add(new ProducerRecord<>(target.topic, change.id().getBytes(StandardCharsets.UTF_8), value));
            }
            out.println();
            if (records.isEmpty()) {
                out.println("Nothing to apply: " + summary + ".");
                out.flush();
                return 0;
            }
            if (!current.exists()) {
                NewTopic targets = new NewTopic(target.topic, Optional.of(partitions),
                        replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                TopicProvisioner.ensure(client, List.of(targets));
                out.println("Created the compacted topic " + target.topic + ".");
            }
            TargetsWriter.writeInOneTransaction(client, transactionalId, records);
            out.println("Applied in one transaction: " + summary + ".");
            out.flush();
            return 0;
        }
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Validate the file(s) and show how each metric resolves, without Kafka (for CI).",
                    "With -o json, print the target records apply would write."})
    static final class Validate implements Callable<Integer> {
        @Mixin Files input;
        @Spec CommandSpec spec;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String files = ConfigSources.names(input.files);
            TargetFiles.Loaded loaded;
            try {
                loaded = TargetFiles.load(ConfigSources.read(input.files, System.in), new Variables(Homeostat.environment(spec)));
                ConfigSources.printWarnings(spec.commandLine().getErr(), loaded);
            } catch (ConfigException e) {
                ConfigSources.printProblems(spec.commandLine().getErr(), "Invalid (" + files + ")", e);
                return 1;
            }
            if (output == OutputFormat.json) {
                ArrayNode records = Json.MAPPER.createArrayNode();
                for (ResolvedTarget t : loaded.targets()) {
                    ObjectNode record = records.addObject();
                    record.put("id", t.id());
                    record.set("target", t.json());
                }
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(records));
            } else {
                printResolutions(out, loaded, files);
                out.println();
                out.println("Valid: " + loaded.targets().size() + " target(s).");
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the targets on the targets topic.")
    static final class ListTargets implements Callable<Integer> {
        @Mixin TargetsTopic target;
        @Spec CommandSpec spec;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            TopicReader.Snapshot snapshot = target.existing();
            if (output == OutputFormat.json) {
                ArrayNode records = Json.MAPPER.createArrayNode();
                snapshot.latest().forEach((id, value) -> records.add(record(id, value)));
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(records));
                out.flush();
                return 0;
            }
            if (snapshot.latest().isEmpty()) {
                out.println("No targets on " + target.topic + ".");
                out.flush();
                return 0;
            }
            Table table = new Table("ID", "REQUIREMENT", "METRIC", "TARGET", "ALERT_THRESHOLD", "WINDOW", "DESCRIPTION");
            snapshot.latest().forEach((id, value) -> {
                try {
                    Target t = TargetParser.parse(value);
                    table.row(id, t.requirement(), t.metric(), t.operator().code() + " " + number(t.target()),
                            t.alertThreshold() == null ? null : number(t.alertThreshold()),
                            io.homeostat.model.Durations.format(t.window()), t.description());
                } catch (InvalidTargetException e) {
                    table.row(id, "INVALID", String.join("; ", e.problems()));
                }
            });
            table.print(out);
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one target of the targets topic.")
    static final class Get implements Callable<Integer> {
        @Mixin TargetsTopic target;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "Target id, e.g. REQ-F-AUTH-001/span.success_rate.")
        String id;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
        OutputFormat output;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            byte[] value = target.existing().latest().get(id);
            if (value == null) {
                spec.commandLine().getErr().println("No target '" + id + "' on " + target.topic + ".");
                spec.commandLine().getErr().flush();
                return 1;
            }
            if (output == OutputFormat.json) {
                out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Json.MAPPER.readTree(value)));
                out.flush();
                return 0;
            }
            Table table = new Table("FIELD", "VALUE");
            table.row("id", id);
            try {
                Target t = TargetParser.parse(value);
                for (Map.Entry<String, JsonNode> field : t.toJson().properties()) {
                    table.row(field.getKey(), field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString());
                }
            } catch (InvalidTargetException e) {
                table.row("invalid", String.join("; ", e.problems()));
                table.row("value", new String(value, StandardCharsets.UTF_8));
            }
            table.print(out);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete targets (a tombstone each, in one transaction); their open alerts resolve.")
    static final class Delete implements Callable<Integer> {
        @Mixin TargetsTopic target;
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "ID", arity = "1..*", description = "Target ids.")
        List<String> ids;

        @Option(names = "--transactional-id", defaultValue = TargetsWriter.DEFAULT_TRANSACTIONAL_ID,
                description = "Transactional id of the writes (default: ${DEFAULT-VALUE}).")
        String transactionalId;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Properties client = target.kafka.clientProperties();
            Map<String, byte[]> current = target.existing().latest();
            List<String> missing = ids.stream().filter(id -> !current.containsKey(id)).toList();
            if (!missing.isEmpty()) {
                spec.commandLine().getErr().println("Nothing deleted: no target " + String.join(", ", missing)
                        + " on " + target.topic + ".");
                spec.commandLine().getErr().flush();
                return 1;
            }
            List<ProducerRecord<byte[], byte[]>> tombstones = ids.stream().distinct()
                    .map(id -> new ProducerRecord<byte[], byte[]>(target.topic, id.getBytes(StandardCharsets.UTF_8), null))
                    .toList();
            TargetsWriter.writeInOneTransaction(client, transactionalId, tombstones);
            ids.stream().distinct().forEach(id -> out.println("- " + id + "  deleted"));
            out.flush();
            return 0;
        }
    }

    // ---------------------------------------------------------------- printing

    static void printResolutions(PrintWriter out, TargetFiles.Loaded loaded, String files) {
        StringBuilder headline = new StringBuilder("Read " + loaded.targets().size() + " target(s) from " + files);
        if (loaded.config() != null && loaded.config().serviceName() != null) {
            headline.append(" (service ").append(loaded.config().serviceName());
            if (loaded.config().environment() != null) headline.append(", environment ").append(loaded.config().environment());
            headline.append(')');
        }
        out.println(headline.append(':'));
        for (ResolvedTarget t : loaded.targets()) {
            out.println("  " + t.id() + "  (" + t.origin() + ")");
            out.println("      " + t.resolution().explainMetric(t.target()));
            out.println("      " + t.resolution().explainThreshold(t.target()));
            for (String note : t.notes()) out.println("      + " + note);
        }
        out.flush();
    }

    static void printDiff(PrintWriter out, List<TargetDiff.Change> changes) {
        if (changes.isEmpty()) {
            out.println("  (no targets in the file(s) or on the topic)");
            return;
        }
        int width = changes.stream().mapToInt(c -> c.id().length()).max().orElse(0);
        for (TargetDiff.Change change : changes) {
            out.println("  " + change.action().symbol + " " + change.id() + " ".repeat(width - change.id().length() + 2)
                    + change.action().label);
            for (String detail : change.details()) out.println("        " + detail);
        }
    }

    static String summary(List<TargetDiff.Change> changes) {
        String text = TargetDiff.count(changes, TargetDiff.Action.ADDED) + " added, "
                + TargetDiff.count(changes, TargetDiff.Action.CHANGED) + " changed, "
                + TargetDiff.count(changes, TargetDiff.Action.DELETED) + " deleted, "
                + TargetDiff.count(changes, TargetDiff.Action.UNCHANGED) + " unchanged";
        long kept = TargetDiff.count(changes, TargetDiff.Action.NOT_IN_FILE);
        return kept == 0 ? text : text + ", " + kept + " not in the file(s) and kept";
    }

    private static ObjectNode record(String id, byte[] value) {
        ObjectNode record = Json.MAPPER.createObjectNode();
        record.put("id", id);
        try {
            TargetParser.parse(value);
            record.set("target", Json.MAPPER.readTree(value));
        } catch (InvalidTargetException | java.io.IOException e) {
            record.put("invalid", e instanceof InvalidTargetException invalid ? String.join("; ", invalid.problems()) : e.getMessage());
            record.put("value", new String(value, StandardCharsets.UTF_8));
        }
        return record;
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : new java.math.BigDecimal(value).round(new java.math.MathContext(10)).stripTrailingZeros().toPlainString();
    }
}

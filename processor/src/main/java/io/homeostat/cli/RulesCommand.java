package io.homeostat.cli;

import io.homeostat.config.ConfigException;
import io.homeostat.config.DatadogMonitors;
import io.homeostat.config.PrometheusRules;
import io.homeostat.config.TargetFiles;
import io.homeostat.config.Variables;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code homeostat rules export}: the same targets as Prometheus rules or Datadog monitors, from one source. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Export the targets as alert rules of other monitoring systems.",
        subcommands = RulesCommand.Export.class)
public final class RulesCommand {
    enum Format { prometheus, datadog }

    static final String PROMETHEUS_FILE = "homeostat-rules.yml";

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Print the targets of the file(s) as Prometheus alerting rules or Datadog monitor definitions "
                    + "(the seed's alert YAML), judged as Homeostat judges them.",
                    "No Kafka needed. Metric naming assumptions are in the output's comments and the README."})
    static final class Export implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--format", required = true, description = "prometheus or datadog.")
        Format format;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "config/observability.yml or plain target files; repeatable; - reads standard input.")
        List<String> files;

        @Option(names = "--output-dir", paramLabel = "DIR",
                description = "Write files instead of printing: " + PROMETHEUS_FILE + ", or one <metric>_alert.yml per Datadog monitor.")
        Path outputDir;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String names = ConfigSources.names(files);
            TargetFiles.Loaded loaded;
            try {
                loaded = TargetFiles.load(ConfigSources.read(files, System.in), new Variables(Homeostat.environment(spec)));
                if (format == Format.prometheus) {
                    String rules = PrometheusRules.export(loaded, names);
                    if (outputDir == null) {
                        out.print(rules);
                    } else {
                        write(out, outputDir.resolve(PROMETHEUS_FILE), rules);
                    }
                } else if (outputDir == null) {
                    out.print(DatadogMonitors.exportStream(loaded, names));
                } else {
                    for (Map.Entry<String, String> monitor : DatadogMonitors.export(loaded, names).entrySet()) {
                        write(out, outputDir.resolve(monitor.getKey()), monitor.getValue());
                    }
                }
            } catch (ConfigException e) {
                ConfigSources.printProblems(spec.commandLine().getErr(), "Nothing exported (" + names + ")", e);
                return 1;
            }
            out.flush();
            return 0;
        }

        private static void write(PrintWriter out, Path file, String content) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, content, StandardCharsets.UTF_8);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new CommandFailure("cannot write " + file + ": " + e.getFile() + " is not a directory", e);
            } catch (java.nio.file.AccessDeniedException e) {
                throw new CommandFailure("cannot write " + file + ": permission denied", e);
            } catch (java.io.IOException e) {
                throw new CommandFailure("cannot write " + file + ": " + ErrorReporting.describe(e), e);
            }
            out.println("wrote " + file);
        }
    }
}

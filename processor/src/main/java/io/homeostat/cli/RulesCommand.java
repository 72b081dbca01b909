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
    enum Format {
        prometheus, sloth, datadog, datadog_api, datadog_slo_api, datadog_terraform;

        /** {@code datadog-api} as typed; the enum constants cannot have hyphens. */
        static final class Converter implements picocli.CommandLine.ITypeConverter<Format> {
            @Override
            public Format convert(String value) {
                for (Format format : values()) {
                    if (format.name().equalsIgnoreCase(value.trim().replace('-', '_'))) return format;
                }
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a format; use prometheus, "
                        + "sloth, datadog, datadog-api, datadog-slo-api or datadog-terraform");
            }
        }
    }

    static final String PROMETHEUS_FILE = "homeostat-rules.yml";
    static final String DATADOG_API_FILE = "datadog-monitors.json";
    static final String DATADOG_SLO_API_FILE = "datadog-slos.json";
    static final String SLOTH_FILE = "sloth-slos.yml";
    static final String TERRAFORM_FILE = "homeostat-monitors.tf";

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Print the targets of the file(s) as Prometheus alerting rules or Datadog monitors (the seed's "
                    + "alert YAML, the monitor API's JSON, or Terraform datadog_monitor resources), judged as Homeostat judges them.",
                    "SLO targets (objective, slo) become Sloth-style recording and burn-rate alert rules, a Sloth spec "
                    + "(--format sloth), or a Datadog SLO with burn-rate monitors.",
                    "No Kafka needed. Metric naming assumptions are in the output's comments, docs/targets-as-code.md and docs/slos.md."})
    static final class Export implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--format", required = true, converter = Format.Converter.class,
                paramLabel = "prometheus|sloth|datadog|datadog-api|datadog-slo-api|datadog-terraform",
                description = "prometheus (rules file; SLOs in Sloth's layout), sloth (a Sloth prometheus/v1 spec of the SLO "
                        + "targets), datadog (the seed's alert YAML, one document per monitor or SLO), datadog-api (a JSON array "
                        + "of monitors as POST /api/v1/monitor takes them, burn-rate monitors naming their SLO as "
                        + "${slo_id:<target id>}), datadog-slo-api (a JSON array of SLOs as POST /api/v1/slo takes them) or "
                        + "datadog-terraform (datadog_monitor and datadog_service_level_objective resources). What a Datadog "
                        + "monitor cannot carry is noted (comments; standard error for JSON).")
        Format format;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
                description = "config/observability.yml or plain target files; repeatable; - reads standard input.")
        List<String> files;

        @Option(names = "--scrape-interval", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "Prometheus: how often a sample arrives (the OTLP export interval, or the scrape interval); "
                        + "windows shorter than 4 of it are warned about (default: ${DEFAULT-VALUE}, the SDKs' export interval).")
        java.time.Duration scrapeInterval;

        @Option(names = "--metric-names", defaultValue = "otlp", paramLabel = "otlp|raw",
                description = "Prometheus: otlp names metrics as Prometheus' OTLP translation does (unit suffix, _total, "
                        + "_ratio); raw only replaces invalid characters with _ (default: ${DEFAULT-VALUE}).")
        io.homeostat.config.PrometheusNames.Style metricNames;

        @Option(names = "--output-dir", paramLabel = "DIR",
                description = "Write files instead of printing: " + PROMETHEUS_FILE + ", one <metric>_alert.yml per Datadog monitor, "
                        + DATADOG_API_FILE + " or " + TERRAFORM_FILE + ".")
        Path outputDir;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            String names = ConfigSources.names(files);
            TargetFiles.Loaded loaded;
            try {
                loaded = TargetFiles.load(ConfigSources.read(files, System.in), new Variables(Homeostat.environment(spec)));
                ConfigSources.printWarnings(spec.commandLine().getErr(), loaded);
                if (format == Format.prometheus) {
                    PrometheusRules.Export export = PrometheusRules.export(loaded, names,
                            new PrometheusRules.Options(scrapeInterval, metricNames));
                    warn(export.warnings());
                    String rules = export.rules();
                    if (outputDir == null) {
                        out.print(rules);
                    } else {
                        write(out, outputDir.resolve(PROMETHEUS_FILE), rules);
                    }
                } else if (format == Format.sloth) {
                    io.homeostat.config.SloRulesExport.Spec spec = io.homeostat.config.SloRulesExport.sloth(loaded, names, metricNames);
                    note(spec.notes());
                    if (outputDir == null) out.print(spec.yaml()); else write(out, outputDir.resolve(SLOTH_FILE), spec.yaml());
                } else if (format == Format.datadog_slo_api) {
                    String slos = DatadogMonitors.exportSloApi(loaded, names);
                    note(DatadogMonitors.notes(loaded, names));
                    if (outputDir == null) out.print(slos); else write(out, outputDir.resolve(DATADOG_SLO_API_FILE), slos);
                } else if (format == Format.datadog_api) {
                    String monitors = DatadogMonitors.exportApi(loaded, names);
                    note(DatadogMonitors.notes(loaded, names));
                    if (outputDir == null) out.print(monitors); else write(out, outputDir.resolve(DATADOG_API_FILE), monitors);
                } else if (format == Format.datadog_terraform) {
                    String resources = DatadogMonitors.exportTerraform(loaded, names);
                    if (outputDir == null) out.print(resources); else write(out, outputDir.resolve(TERRAFORM_FILE), resources);
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

        /** Warnings go to standard error, one line each, so that the rules on standard output stay clean. */
        private void warn(List<String> warnings) {
            PrintWriter err = spec.commandLine().getErr();
            for (String warning : warnings) err.println("warning: " + warning);
            err.flush();
        }

        /** What the monitors cannot carry, next to JSON that has no comments. */
        private void note(List<String> notes) {
            PrintWriter err = spec.commandLine().getErr();
            for (String note : notes) err.println("note: " + note);
            err.flush();
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

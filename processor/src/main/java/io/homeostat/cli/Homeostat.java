package io.homeostat.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code homeostat} command line. */
@Command(name = "homeostat", mixinStandardHelpOptions = true, versionProvider = Homeostat.Version.class,
        description = {"Homeostat: requirement-tagged OpenTelemetry on Kafka in, homeostasis alerts out.",
                "Options also come from environment variables HOMEOSTAT_<OPTION> (e.g. HOMEOSTAT_BOOTSTRAP_SERVERS)."},
        subcommands = {RunCommand.class, TopicsCommand.class, TopologyCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class Homeostat {

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line with its environment, as {@code main} runs it (tests pass their own environment). */
    public static CommandLine commandLine(Map<String, String> environment) {
        return new CommandLine(new Homeostat())
                .setDefaultValueProvider(new EnvironmentDefaults(environment))
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Homeostat.class.getPackage().getImplementationVersion();
            return new String[] {"homeostat " + (version == null ? "development build" : version)};
        }
    }
}

package io.homeostat.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code homeostat} command line. */
@Command(name = "homeostat", mixinStandardHelpOptions = true, versionProvider = Homeostat.Version.class,
        description = {"Homeostat: requirement-tagged OpenTelemetry on Kafka in, homeostasis alerts out.",
                "Options also come from environment variables HOMEOSTAT_<COMMAND>_<OPTION> (e.g. HOMEOSTAT_RUN_SLICE), or HOMEOSTAT_<OPTION> for an option of one meaning (e.g. HOMEOSTAT_BOOTSTRAP_SERVERS).",
                "A command that fails prints one line naming the problem and exits 1 (2 for a bad command line)."},
        subcommands = {RunCommand.class, TargetsCommand.class, AlertsCommand.class, StatusCommand.class,
                RulesCommand.class, TopicsCommand.class, TopologyCommand.class,
                CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Homeostat {
    private final Map<String, String> environment;

    @Option(names = ErrorReporting.VERBOSE, scope = ScopeType.INHERIT,
            description = "On an error, also print its stack trace (env HOMEOSTAT_VERBOSE=true).")
    boolean verbose;

    private Homeostat(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The environment the command line was started with: option defaults and ${VAR} in config files. */
    Map<String, String> environment() {
        return environment;
    }

    /** The environment of the command line that {@code spec} belongs to. */
    static Map<String, String> environment(CommandLine.Model.CommandSpec spec) {
        return ((Homeostat) spec.root().userObject()).environment();
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line with its environment, as {@code main} runs it (tests pass their own environment). */
    public static CommandLine commandLine(Map<String, String> environment) {
        return new ErrorReporting(environment).install(new CommandLine(new Homeostat(environment))
                .setDefaultValueProvider(new EnvironmentDefaults(environment))
                .setCaseInsensitiveEnumValuesAllowed(true));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Homeostat.class.getPackage().getImplementationVersion();
            return new String[] {"homeostat " + (version == null ? "development build" : version)};
        }
    }
}

package io.homeostat.demo;

import io.homeostat.cli.EnvironmentDefaults;
import io.homeostat.cli.ErrorReporting;
import java.util.Map;
import picocli.CommandLine;

/** {@code java -jar demo/target/homeostat-demo.jar [options]}: the demo command, as {@code scripts/homeostat demo} runs it. */
public final class DemoMain {
    /** The demo's logging: the service's lines go to OpenTelemetry (and on to Kafka), not to the console. */
    static final String LOG_CONFIG = "log4j2-demo.xml";

    private DemoMain() {}

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** Options also come from HOMEOSTAT_* environment variables, as for every homeostat command. */
    static CommandLine commandLine(Map<String, String> environment) {
        // Failures are one line naming the problem, as for every homeostat command (--verbose: the stack trace).
        return new ErrorReporting(environment).install(new CommandLine(new DemoCommand())
                .setDefaultValueProvider(new EnvironmentDefaults(environment))
                .setCaseInsensitiveEnumValuesAllowed(true));
    }
}

package io.homeostat.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option also comes from the environment: {@code --bootstrap-servers} ← {@code HOMEOSTAT_BOOTSTRAP_SERVERS}.
 * A command-line value wins over the environment, which wins over the built-in default.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    static final String PREFIX = "HOMEOSTAT_";
    private final Map<String, String> environment;

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    static String variableFor(String longOption) {
        return PREFIX + longOption.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) return null;
        if (Map.class.isAssignableFrom(option.type())) return null;
        String value = environment.get(variableFor(option.longestName()));
        return value == null || value.isBlank() ? null : value;
    }
}

package io.homeostat.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option also comes from the environment, scoped to its command so that a variable meant for one command never
 * changes another:
 * <ol>
 *   <li>{@code HOMEOSTAT_<COMMAND>_<OPTION>} for any option of any command, the command being its path after
 *       {@code homeostat} ({@code HOMEOSTAT_RUN_SLICE}, {@code HOMEOSTAT_ALERTS_FORWARD_RESEND_INTERVAL},
 *       {@code HOMEOSTAT_TOPICS_CREATE_PARTITIONS});</li>
 *   <li>else {@code HOMEOSTAT_<OPTION>}, for an option that means one thing wherever it appears: the Kafka connection
 *       ({@code --bootstrap-servers}, {@code --kafka-config}, {@code -X}, {@code --timeout}), the contract's topic
 *       names ({@code --alerts-topic}, ...), {@code --verbose}, and every option whose name only one command has
 *       ({@code HOMEOSTAT_APPLICATION_ID} is {@code run}'s). A name several commands give different meanings
 *       ({@code --partitions}, {@code --stats-interval}, {@code --output}, ...: {@link #ambiguousNames}) has only
 *       the scoped form.</li>
 * </ol>
 * A command-line value wins over the environment, which wins over the built-in default. A map option ({@code -X},
 * {@code --label}, {@code --header}) takes {@code KEY=VALUE} pairs separated by newlines or by commas that start a
 * new {@code KEY=} ({@link #MAP_SPLIT}), so {@code ssl.enabled.protocols=TLSv1.2,TLSv1.3} stays one pair.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    static final String PREFIX = "HOMEOSTAT_";
    /** How a map option's environment value (and its command-line value) splits into pairs. */
    public static final String MAP_SPLIT = "\\r?\\n|,(?=\\s*[A-Za-z0-9_.\\-]+=)";
    /** Options of the same meaning in every command: the Kafka connection, the contract's topics. */
    private static final Set<Class<?>> SHARED = Set.of(KafkaOptions.class, TopicOptions.class);

    private final Map<String, String> environment;
    private Set<String> shared;
    private Set<String> ambiguous;

    public EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The unscoped variable of a long option: {@code --bootstrap-servers} → {@code HOMEOSTAT_BOOTSTRAP_SERVERS}. */
    static String variableFor(String longOption) {
        return PREFIX + upper(longOption.replaceFirst("^-+", ""));
    }

    /** The scoped variable of an option of {@code command}: {@code run}, {@code --slice} → {@code HOMEOSTAT_RUN_SLICE}. */
    static String variableFor(CommandSpec command, String longOption) {
        String path = command.qualifiedName("_");
        String root = command.root().name();
        String scope = path.equals(root) ? "" : path.substring(root.length() + 1) + "_";
        return PREFIX + upper(scope) + upper(longOption.replaceFirst("^-+", ""));
    }

    private static String upper(String name) {
        return name.replace('-', '_').replace(' ', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) return null;
        return variable(option).map(environment::get).orElse(null);
    }

    /** The variable that sets {@code option} in this environment (scoped first), if any does. */
    Optional<String> variable(OptionSpec option) {
        CommandSpec command = option.command();
        String scoped = variableFor(command, option.longestName());
        if (isSet(scoped)) return Optional.of(scoped);
        if (!unscopedAllowed(option)) return Optional.empty();
        String plain = variableFor(option.longestName());
        return isSet(plain) ? Optional.of(plain) : Optional.empty();
    }

    private boolean isSet(String variable) {
        String value = environment.get(variable);
        return value != null && !value.isBlank();
    }

    private boolean unscopedAllowed(OptionSpec option) {
        CommandSpec root = option.command().root();
        if (shared == null) index(root);
        String name = option.longestName();
        return shared.contains(name) || option.scopeType() == CommandLine.ScopeType.INHERIT || !ambiguous.contains(name);
    }

    /** Option names that commands give different meanings: only their scoped variables are read. */
    static Set<String> ambiguousNames(CommandSpec root) {
        EnvironmentDefaults probe = new EnvironmentDefaults(Map.of());
        probe.index(root);
        Set<String> names = new java.util.TreeSet<>(probe.ambiguous);
        names.removeAll(probe.shared);
        return names;
    }

    private void index(CommandSpec root) {
        Set<String> sharedNames = new HashSet<>();
        Map<String, Set<String>> commandsByName = new HashMap<>();
        collect(root, sharedNames, commandsByName);
        shared = sharedNames;
        ambiguous = new HashSet<>();
        commandsByName.forEach((name, commands) -> {
            if (commands.size() > 1) ambiguous.add(name);
        });
    }

    private static void collect(CommandSpec command, Set<String> sharedNames, Map<String, Set<String>> commandsByName) {
        for (CommandSpec mixin : command.mixins().values()) {
            if (mixin.userObject() != null && SHARED.contains(mixin.userObject().getClass())) {
                mixin.options().forEach(o -> sharedNames.add(o.longestName()));
            }
        }
        for (OptionSpec option : command.options()) {
            // Hidden options (topology's --slice, the drawing's grid) do not make a name ambiguous.
            if (option.usageHelp() || option.versionHelp() || option.hidden()
                    || option.scopeType() == CommandLine.ScopeType.INHERIT) continue;
            commandsByName.computeIfAbsent(option.longestName(), n -> new HashSet<>()).add(command.qualifiedName());
        }
        for (CommandLine sub : command.subcommands().values()) collect(sub.getCommandSpec(), sharedNames, commandsByName);
    }
}

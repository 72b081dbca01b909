package io.homeostat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.model.Suggestions;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A command's options from a YAML file: each key is an option's long name ({@code resend-interval}, or
 * {@code resend_interval}), each value what the command line would take (a list for a repeatable option, a
 * mapping for {@code KEY=VALUE} options). The command line wins over the environment
 * ({@link EnvironmentDefaults}), which wins over the file, which wins over the built-in default.
 */
final class OptionsFile {
    private static final YAMLMapper YAML = new YAMLMapper();

    private OptionsFile() {}

    /**
     * Sets every option of {@code spec} that the file names and that neither the command line nor the
     * environment set; values are converted exactly as on the command line.
     *
     * @param fileOption the option that named the file (never taken from the file itself)
     * @throws CommandLine.ParameterException naming the file and the setting that is wrong
     */
    static void apply(CommandSpec spec, Path file, String fileOption, Map<String, String> environment) {
        apply(spec, read(spec, file, fileOption), file, fileOption, environment);
    }

    /** The file as a tree ({@code null} when empty), or a {@link CommandLine.ParameterException} naming it. */
    static JsonNode read(CommandSpec spec, Path file, String fileOption) {
        try {
            JsonNode root = YAML.readTree(file.toFile());
            return root == null || root.isMissingNode() || root.isNull() ? null : root;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), fileOption + " " + file + ": no such file");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), fileOption + " " + file + " is not YAML: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** As {@link #apply(CommandSpec, Path, String, Map)}, for a file already read ({@code root}). */
    static void apply(CommandSpec spec, JsonNode root, Path file, String fileOption, Map<String, String> environment) {
        if (root == null) return;
        if (!root.isObject()) {
            throw new CommandLine.ParameterException(spec.commandLine(), fileOption + " " + file
                    + " must be a mapping of option names to values (e.g. resend-interval: 30s)");
        }
        List<String> names = spec.options().stream().map(OptionSpec::longestName)
                .filter(n -> n.startsWith("--") && !n.equals(fileOption)).map(n -> n.substring(2)).toList();
        var fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = "--" + field.getKey().replace('_', '-');
            OptionSpec option = name.equals(fileOption) ? null : spec.findOption(name);
            if (option == null || !option.longestName().equals(name)) {
                String hint = Suggestions.closest(field.getKey().replace('_', '-'), names).map(s -> "; did you mean " + s + "?")
                        .orElse("; the settings are the options of `" + spec.qualifiedName() + " --help`");
                throw new CommandLine.ParameterException(spec.commandLine(), fileOption + " " + file + ": unknown setting '"
                        + field.getKey() + "'" + hint);
            }
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) continue;
            if (new EnvironmentDefaults(environment).variable(option).isPresent()) continue;
            option.setValue(convert(spec, option, args(name, field.getValue()), file, fileOption));
        }
    }

    /** {@code --name=value} for each value: a list's items, a mapping's {@code key=value} pairs. */
    private static List<String> args(String name, JsonNode value) {
        List<String> args = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> args.add(name + "=" + item.asText()));
        } else if (value.isObject()) {
            value.fields().forEachRemaining(e -> args.add(name + "=" + e.getKey() + "=" + e.getValue().asText()));
        } else {
            args.add(name + "=" + value.asText());
        }
        return args;
    }

    /** The value picocli makes of {@code args}: parsed by a fresh instance of the same command. */
    private static Object convert(CommandSpec spec, OptionSpec option, List<String> args, Path file, String fileOption) {
        CommandLine scratch = new CommandLine(spec.userObject().getClass(), CommandLine.defaultFactory())
                .setCaseInsensitiveEnumValuesAllowed(true);
        try {
            scratch.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), fileOption + " " + file + ": " + e.getMessage());
        }
        return scratch.getCommandSpec().findOption(option.longestName()).getValue();
    }
}

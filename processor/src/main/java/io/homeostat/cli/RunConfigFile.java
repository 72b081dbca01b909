package io.homeostat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code homeostat run --config FILE}: the processor's settings from a file. Either a mapping of {@code run}'s options
 * ({@code slice: 10s}, {@code issue-refresh: 30s}, ...), or the seed's plugin configuration ({@code .claude/plugins.yml}:
 * {@code plugins[].config.runtime}, or a top-level {@code runtime:}), whose settings are read where the seed puts them:
 *
 * <table>
 *   <caption>The seed's runtime settings</caption>
 *   <tr><th>seed</th><th>option</th></tr>
 *   <tr><td>{@code require_req_tags: true | false | reject}</td><td>{@code --require-req-tags=warn | off | reject}</td></tr>
 *   <tr><td>{@code homeostasis_check_interval: 5m}</td><td>{@code --slice 5m}: verdicts are taken every slice</td></tr>
 *   <tr><td>{@code alert_on_deviation}, {@code auto_generate_intents}, {@code feedback_loop_enabled}</td>
 *       <td>the options of the same names</td></tr>
 *   <tr><td>{@code telemetry_provider: opentelemetry}</td><td>checked: Homeostat reads OpenTelemetry (OTLP) only</td></tr>
 * </table>
 * Other keys of the seed's section are other tools' and are ignored. As for every file of options, the command line
 * wins over the environment, which wins over the file.
 */
final class RunConfigFile {
    static final String OPTION = "--config";
    private static final Map<String, String> SEED_SETTINGS = Map.of(
            "require_req_tags", "require-req-tags",
            "homeostasis_check_interval", "slice",
            "alert_on_deviation", "alert-on-deviation",
            "auto_generate_intents", "auto-generate-intents",
            "feedback_loop_enabled", "feedback-loop-enabled");

    private RunConfigFile() {}

    static void apply(CommandSpec spec, Path file, Map<String, String> environment) {
        JsonNode root = OptionsFile.read(spec, file, OPTION);
        if (root == null) return;
        JsonNode runtime = seedRuntime(root);
        OptionsFile.apply(spec, runtime == null ? root : fromSeed(spec, file, runtime), file, OPTION, environment);
    }

    /** The seed's {@code runtime:} section: {@code plugins[].config.runtime} (the first that has one), or top-level. */
    static JsonNode seedRuntime(JsonNode root) {
        if (root.path("runtime").isObject()) return root.get("runtime");
        for (JsonNode plugin : root.path("plugins")) {
            JsonNode runtime = plugin.path("config").path("runtime");
            if (runtime.isObject()) return runtime;
        }
        return null;
    }

    private static ObjectNode fromSeed(CommandSpec spec, Path file, JsonNode runtime) {
        ObjectNode options = JsonNodeFactory.instance.objectNode();
        runtime.fields().forEachRemaining(setting -> {
            String key = setting.getKey();
            JsonNode value = setting.getValue();
            if (key.equals("telemetry_provider")) {
                if (!value.asText().equalsIgnoreCase("opentelemetry")) {
                    throw new CommandLine.ParameterException(spec.commandLine(), OPTION + " " + file + ": telemetry_provider '"
                            + value.asText() + "': Homeostat reads OpenTelemetry (OTLP) telemetry only; use opentelemetry");
                }
                return;
            }
            String option = SEED_SETTINGS.get(key);
            if (option != null) options.set(option, value);
        });
        return options;
    }
}

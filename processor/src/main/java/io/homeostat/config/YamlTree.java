package io.homeostat.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML (or JSON) document as a Jackson tree, plus the line and column of every key and list item, so
 * that a problem found later (by {@link io.homeostat.model.TargetParser}, say) can name its line.
 *
 * <p>{@code ${VAR}} references in values are expanded while reading, value by value (never in the raw
 * text, so an expanded value cannot inject YAML or shift line numbers). An unquoted value is typed after
 * expansion, as if written literally: {@code target: ${LATENCY_TARGET:-500}} is the number 500, while
 * {@code version: "${VERSION}"} stays a string.
 */
public final class YamlTree {
    /** 1-based line and column. */
    public record Location(int line, int column) {
        static Location of(Mark mark) {
            return new Location(mark.getLine() + 1, mark.getColumn() + 1);
        }
    }

    private final JsonNode root;
    private final Map<String, Location> locations;
    private final List<ConfigProblem> unsetVariables;

    private YamlTree(JsonNode root, Map<String, Location> locations, List<ConfigProblem> unsetVariables) {
        this.root = root;
        this.locations = locations;
        this.unsetVariables = List.copyOf(unsetVariables);
    }

    /**
     * The values whose {@code ${VAR}} could not be expanded (when read with a separate sink for them, see
     * {@link #read(String, String, Variables, List, boolean)}): the caller decides which are errors.
     */
    public List<ConfigProblem> unsetVariables() {
        return unsetVariables;
    }

    /** Removes the key at {@code path} (keys joined with dots; a list item, {@code [i]}, becomes null), if it is there. */
    public void clear(String path) {
        JsonNode parent = root;
        String rest = path;
        while (parent != null) {
            int dot = rest.indexOf('.');
            int bracket = rest.indexOf('[');
            if (bracket == 0) {
                int close = rest.indexOf(']');
                int index = Integer.parseInt(rest.substring(1, close));
                String after = rest.substring(close + 1).replaceFirst("^\\.", "");
                if (after.isEmpty()) {
                    if (parent instanceof ArrayNode array && index < array.size()) array.set(index, JsonNodeFactory.instance.nullNode());
                    return;
                }
                parent = parent.get(index);
                rest = after;
                continue;
            }
            int end = dot < 0 ? (bracket < 0 ? rest.length() : bracket) : (bracket < 0 ? dot : Math.min(dot, bracket));
            String key = rest.substring(0, end);
            String after = rest.substring(end).replaceFirst("^\\.", "");
            if (after.isEmpty()) {
                if (parent instanceof ObjectNode object) object.remove(key);
                return;
            }
            parent = parent.get(key);
            rest = after;
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Where the key (or list item) at {@code path} is written, or null. */
    public Location location(String path) {
        return locations.get(path);
    }

    public static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public static String item(String path, int index) {
        return path + "[" + index + "]";
    }

    /**
     * Every document of a YAML stream ({@code ---} separated); a JSON file is a YAML document too.
     * Problems (syntax, duplicate keys, unset variables) are added to {@code problems}, each with its line.
     */
    public static List<YamlTree> read(String source, String text, Variables variables, List<ConfigProblem> problems) {
        return read(source, text, variables, problems, false);
    }

    /**
     * As {@link #read(String, String, Variables, List)}; with {@code variablesApart}, a value whose variable is not
     * set is not a problem here but kept in the document's {@link #unsetVariables()} (its text as written).
     */
    public static List<YamlTree> read(String source, String text, Variables variables, List<ConfigProblem> problems,
                                      boolean variablesApart) {
        LoaderOptions options = new LoaderOptions();
        options.setMergeOnCompose(true); // anchors and << merges, handy for targets that share fields
        options.setAllowRecursiveKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<YamlTree> documents = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(new StringReader(text))) {
                if (node == null) continue;
                Converter converter = new Converter(source, variables, options, problems);
                if (variablesApart) converter.unset = new ArrayList<>();
                JsonNode root = converter.convert(node, "", 0);
                documents.add(new YamlTree(root, converter.locations, converter.unset == null ? List.of() : converter.unset));
            }
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getMessage())
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
            problems.add(ConfigProblem.at(source, mark == null ? null : Location.of(mark), "", message));
        } catch (YAMLException e) {
            problems.add(new ConfigProblem(source, 0, 0, "", "not valid YAML: " + e.getMessage()));
        }
        return documents;
    }

    private static final class Converter {
        private static final int MAX_DEPTH = 64;
        private final String source;
        private final Variables variables;
        private final List<ConfigProblem> problems;
        private final Map<String, Location> locations = new HashMap<>();
        private final Resolver resolver = new Resolver();
        private final ScalarConstructor scalars;
        /** Where unset variables go when the caller keeps them apart; else {@code null} (they are problems). */
        List<ConfigProblem> unset;

        Converter(String source, Variables variables, LoaderOptions options, List<ConfigProblem> problems) {
            this.source = source;
            this.variables = variables;
            this.problems = problems;
            this.scalars = new ScalarConstructor(options);
        }

        JsonNode convert(Node node, String path, int depth) {
            locations.putIfAbsent(path, Location.of(node.getStartMark()));
            if (depth > MAX_DEPTH) {
                problems.add(ConfigProblem.at(source, Location.of(node.getStartMark()), path, "nested too deeply"));
                return JsonNodeFactory.instance.nullNode();
            }
            if (node instanceof MappingNode mapping) {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                for (NodeTuple tuple : mapping.getValue()) {
                    Node keyNode = tuple.getKeyNode();
                    if (!(keyNode instanceof ScalarNode scalarKey)) {
                        problems.add(ConfigProblem.at(source, Location.of(keyNode.getStartMark()), path,
                                "keys must be plain strings"));
                        continue;
                    }
                    String key = scalarKey.getValue();
                    String childPath = child(path, key);
                    if (object.has(key)) {
                        problems.add(ConfigProblem.at(source, Location.of(keyNode.getStartMark()), path,
                                "duplicate key '" + key + "' (first at line " + locations.get(childPath).line() + ")"));
                        continue;
                    }
                    locations.put(childPath, Location.of(keyNode.getStartMark()));
                    object.set(key, convert(tuple.getValueNode(), childPath, depth + 1));
                }
                return object;
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                List<Node> items = sequence.getValue();
                for (int i = 0; i < items.size(); i++) {
                    array.add(convert(items.get(i), item(path, i), depth + 1));
                }
                return array;
            }
            return scalar((ScalarNode) node, path);
        }

        private JsonNode scalar(ScalarNode node, String path) {
            ScalarNode effective = node;
            if (Variables.mentionsVariable(node.getValue())) {
                List<String> expansionProblems = new ArrayList<>();
                String expanded = variables.expand(node.getValue(), expansionProblems);
                for (String problem : expansionProblems) {
                    ConfigProblem at = ConfigProblem.at(source, Location.of(node.getStartMark()), path, problem);
                    if (unset != null && problem.startsWith(Variables.NOT_SET)) unset.add(at);
                    else problems.add(at);
                }
                boolean plain = node.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
                Tag tag = plain ? resolver.resolve(NodeId.scalar, expanded, true) : Tag.STR;
                effective = new ScalarNode(tag, expanded, node.getStartMark(), node.getEndMark(), node.getScalarStyle());
            }
            Tag tag = effective.getTag();
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (Tag.NULL.equals(tag)) return f.nullNode();
            if (Tag.BOOL.equals(tag) || Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
                Object value = scalars.construct(effective);
                if (value instanceof Boolean b) return f.booleanNode(b);
                if (value instanceof Integer i) return f.numberNode(i);
                if (value instanceof Long l) return f.numberNode(l);
                if (value instanceof BigInteger big) return f.numberNode(big);
                if (value instanceof Double d) return f.numberNode(d);
            }
            // Timestamps, binary and everything else stay the text the author wrote.
            return f.textNode(effective.getValue());
        }
    }

    /** SnakeYAML's own rules for YAML's int, float and bool forms (0x1F, 1_000, .inf, yes/no, ...). */
    private static final class ScalarConstructor extends SafeConstructor {
        ScalarConstructor(LoaderOptions options) {
            super(options);
        }

        Object construct(ScalarNode node) {
            return constructObject(node);
        }
    }
}

package io.homeostat.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.SpanSli;
import io.homeostat.model.InvalidTargetException;
import io.homeostat.model.Suggestions;
import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads targets from files, all or nothing: either every target is valid and comes back with its id and
 * resolution, or a {@link ConfigException} names every problem with its line.
 *
 * <p>Two formats, told apart by content:
 * <ul>
 *   <li>the seed's {@code config/observability.yml} (a document with a {@code telemetry} key): each
 *       {@code telemetry.homeostasis.<requirement>} entry (or list of entries) becomes a target, its metric
 *       resolved against {@code telemetry.metrics} as the contract says ({@link #resolve}), except in an
 *       entry with a {@code ratio}, whose metric is the ratio's name, kept as written, and whose operands'
 *       metrics must be declared;</li>
 *   <li>plain targets: one or more YAML documents (or a JSON file), each a target object or a list of
 *       them, in the contract's target format; the metric is taken as written.</li>
 * </ul>
 * In both, an entry may carry {@code id} to pick its target id; otherwise it is the contract's default
 * {@code <requirement>/<metric>}, with the resolved metric ({@code REQ-F-AUTH-001/span.success_rate}).
 */
// Implements: REQ-RUNTIME-001 (homeostasis targets from the observability configuration)
public final class TargetFiles {
    /** One input: a file's name (for messages) and its text. */
    public record Source(String name, String text) {}

    /**
     * Everything read: the targets in file order, the first observability file's settings (or null), and warnings
     * (e.g. a variable not set in a part of the file Homeostat does not read), each with its line.
     */
    public record Loaded(List<ResolvedTarget> targets, ObservabilityConfig config, List<ConfigProblem> warnings) {
        public Loaded {
            targets = List.copyOf(targets);
            warnings = List.copyOf(warnings);
        }
    }

    static final String ID_FIELD = "id";
    private static final Pattern QUOTED_FIELD = Pattern.compile("'([A-Za-z0-9_.\\-]+)'");
    private static final String SPAN_SLIS = String.join(", ", Arrays.stream(SpanSli.values()).map(SpanSli::metric).toList());

    private TargetFiles() {}

    public static Loaded load(List<Source> sources, Variables variables) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<ResolvedTarget> targets = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        ObservabilityConfig firstConfig = null;
        for (Source source : sources) {
            List<YamlTree> documents = YamlTree.read(source.name(), source.text(), variables, problems, true);
            if (documents.isEmpty() && problems.isEmpty()) {
                problems.add(new ConfigProblem(source.name(), 0, 0, "", "no targets: the file is empty"));
            }
            boolean observability = documents.size() == 1 && documents.get(0).root().isObject()
                    && documents.get(0).root().has("telemetry");
            for (YamlTree document : documents) {
                for (ConfigProblem unset : document.unsetVariables()) {
                    if (observability && !readByHomeostat(unset.path())) {
                        // The seed's ${ENV}, ${VERSION}: what Homeostat does not read need not be set.
                        warnings.add(new ConfigProblem(unset.source(), unset.line(), unset.column(), unset.path(),
                                unset.message().replaceFirst("; set it, or write .*\\)$", ")") + "; not read by Homeostat, left out"));
                        document.clear(unset.path());
                    } else {
                        problems.add(unset);
                    }
                }
            }
            if (observability) {
                ObservabilityConfig config = readObservability(source.name(), documents.get(0), targets, problems);
                if (firstConfig == null) firstConfig = config;
            } else {
                for (YamlTree document : documents) readPlainTargets(source.name(), document, targets, problems);
            }
        }
        checkUniqueIds(targets, problems);
        if (!problems.isEmpty()) {
            // In file order, line by line, as an editor lists them (the sort is stable).
            List<String> order = sources.stream().map(Source::name).toList();
            problems.sort(java.util.Comparator.comparingInt((ConfigProblem p) -> order.indexOf(p.source()))
                    .thenComparingInt(ConfigProblem::line));
            throw new ConfigException(problems);
        }
        return new Loaded(targets, firstConfig, warnings);
    }

    /**
     * The parts of an observability file a target is made of: its homeostasis entries, the metric declarations they
     * resolve against, and the trace sampling that weighs their spans. The rest (environment, global tags, the
     * service name, propagation) only labels exported rules and listings.
     */
    static boolean readByHomeostat(String path) {
        return path.equals("telemetry") || path.startsWith("telemetry.homeostasis") || path.startsWith("telemetry.metrics")
                || path.equals("telemetry.traces") || path.startsWith("telemetry.traces.sample_rate")
                || path.startsWith("telemetry.traces.always_sample_errors");
    }

    // ---------------------------------------------------------------- config/observability.yml

    private static ObservabilityConfig readObservability(String source, YamlTree tree, List<ResolvedTarget> targets,
                                                         List<ConfigProblem> problems) {
        Problems report = new Problems(source, tree, problems);
        JsonNode telemetry = tree.root().get("telemetry");
        if (!telemetry.isObject()) {
            report.at("telemetry", "must be a mapping");
            return null;
        }
        String provider = report.optionalText(telemetry, "telemetry", "provider");
        String serviceName = report.optionalText(telemetry, "telemetry", "service_name");
        String environment = report.optionalText(telemetry, "telemetry", "environment");
        Map<String, String> globalTags = new LinkedHashMap<>();
        JsonNode tags = telemetry.get("global_tags");
        if (tags != null && !tags.isNull()) {
            if (!tags.isObject()) {
                report.at("telemetry.global_tags", "must be a mapping of tag names to values");
            } else {
                tags.properties().forEach(e -> {
                    if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                        globalTags.put(e.getKey(), e.getValue().asText());
                    } else {
                        report.at("telemetry.global_tags." + e.getKey(), "must be a string, number or boolean");
                    }
                });
            }
        }
        Map<String, MetricDeclaration> metrics = readMetrics(telemetry.get("metrics"), report);
        io.homeostat.model.Sampling traces = readTraces(telemetry.get("traces"), report);
        ObservabilityConfig config = new ObservabilityConfig(source, provider, serviceName, environment, globalTags, metrics,
                traces);

        JsonNode homeostasis = telemetry.get("homeostasis");
        String homeostasisPath = "telemetry.homeostasis";
        if (homeostasis == null || homeostasis.isNull()) {
            report.at("telemetry", "no telemetry.homeostasis section: nothing to apply");
            return config;
        }
        if (!homeostasis.isObject()) {
            report.at(homeostasisPath, "must be a mapping of requirement keys to targets");
            return config;
        }
        for (Map.Entry<String, JsonNode> entry : homeostasis.properties()) {
            String requirement = entry.getKey();
            String path = YamlTree.child(homeostasisPath, requirement);
            JsonNode value = entry.getValue();
            if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    homeostasisEntry(requirement, value.get(i), YamlTree.item(path, i), config, report, targets);
                }
            } else {
                homeostasisEntry(requirement, value, path, config, report, targets);
            }
        }
        return config;
    }

    /**
     * {@code telemetry.traces}: {@code sample_rate} (the share of traces kept, in (0, 1]) and {@code always_sample_errors}.
     * Null when absent or 1 (nothing to weigh).
     */
    private static io.homeostat.model.Sampling readTraces(JsonNode traces, Problems report) {
        if (traces == null || traces.isNull()) return null;
        if (!traces.isObject()) {
            report.at("telemetry.traces", "must be a mapping (sample_rate, always_sample_errors, ...)");
            return null;
        }
        JsonNode rate = traces.get("sample_rate");
        JsonNode errors = traces.get("always_sample_errors");
        boolean alwaysErrors = false;
        if (errors != null && !errors.isNull()) {
            if (!errors.isBoolean()) report.at("telemetry.traces.always_sample_errors", "must be true or false");
            else alwaysErrors = errors.asBoolean();
        }
        if (rate == null || rate.isNull()) return null;
        if (!rate.isNumber() || !(rate.asDouble() > 0 && rate.asDouble() <= 1)) {
            report.at("telemetry.traces.sample_rate", "must be a number in (0, 1] (0.1 keeps 10 % of the traces), not " + rate);
            return null;
        }
        return rate.asDouble() == 1.0 ? null : new io.homeostat.model.Sampling(rate.asDouble(), alwaysErrors);
    }

    private static Map<String, MetricDeclaration> readMetrics(JsonNode metrics, Problems report) {
        Map<String, MetricDeclaration> declared = new LinkedHashMap<>();
        if (metrics == null || metrics.isNull()) return declared;
        if (!metrics.isArray()) {
            report.at("telemetry.metrics", "must be a list of metric declarations");
            return declared;
        }
        for (int i = 0; i < metrics.size(); i++) {
            String path = YamlTree.item("telemetry.metrics", i);
            JsonNode metric = metrics.get(i);
            if (!metric.isObject()) {
                report.at(path, "a metric declaration must be a mapping with name and type");
                continue;
            }
            String name = report.requiredText(metric, path, "name");
            String typeText = report.requiredText(metric, path, "type");
            MetricType type = null;
            if (typeText != null) {
                type = MetricType.of(typeText).orElse(null);
                if (type == null) {
                    report.at(YamlTree.child(path, "type"), "unknown metric type '" + typeText + "'; use one of "
                            + MetricType.codes());
                }
            }
            String description = report.optionalText(metric, path, "description");
            String unit = report.optionalText(metric, path, "unit");
            String requirement = report.optionalText(metric, path, "requirement");
            String constraint = report.optionalText(metric, path, "constraint");
            List<String> businessRules = new ArrayList<>();
            for (String field : List.of("business_rule", "business_rules")) {
                JsonNode rules = metric.get(field);
                if (rules == null || rules.isNull()) continue;
                if (rules.isTextual()) {
                    businessRules.addAll(TargetParser.splitKeys(rules.asText()));
                } else if (rules.isArray()) {
                    rules.forEach(r -> businessRules.addAll(TargetParser.splitKeys(r.asText())));
                } else {
                    report.at(YamlTree.child(path, field), "must be a string or a list of strings");
                }
            }
            if (name == null || type == null) continue;
            if (declared.containsKey(name)) {
                report.at(YamlTree.child(path, "name"), "metric '" + name + "' is declared twice (first at line "
                        + declared.get(name).line() + ")");
                continue;
            }
            YamlTree.Location at = report.tree.location(path);
            declared.put(name, new MetricDeclaration(name, type, description, requirement, constraint, businessRules,
                    at == null ? 0 : at.line(), unit));
        }
        return declared;
    }

    private static void homeostasisEntry(String requirement, JsonNode value, String path, ObservabilityConfig config,
                                         Problems report, List<ResolvedTarget> targets) {
        if (!value.isObject()) {
            report.at(path, "a homeostasis entry must be a mapping (metric, target, operator, ...) or a list of them");
            return;
        }
        ObjectNode fields = ((ObjectNode) value).deepCopy();
        String id = takeId(fields, path, report);
        JsonNode declaredRequirement = fields.get("requirement");
        if (declaredRequirement != null && !requirement.equals(declaredRequirement.asText())) {
            report.at(YamlTree.child(path, "requirement"), "'requirement' is " + declaredRequirement
                    + " but the entry is under " + requirement + "; leave it out or make them equal");
            return;
        }
        fields.put("requirement", requirement);

        List<String> notes = new ArrayList<>();
        MetricResolution resolution = null;
        JsonNode metricNode = fields.get("metric");
        JsonNode ratioNode = fields.get("ratio");
        if (ratioNode != null && !ratioNode.isNull()) {
            // A ratio's metric is its name, kept as written; its operands must be declared metrics.
            if (metricNode != null && metricNode.isTextual() && !metricNode.asText().isBlank()) {
                resolution = resolveRatio(metricNode.asText().trim(), ratioNode, path, config.metrics(), report);
            }
        } else if (metricNode != null && metricNode.isTextual() && !metricNode.asText().isBlank()) {
            resolution = resolve(metricNode.asText().trim(), config.metrics());
            if (resolution == null) {
                // Reported, and the rest of the entry still validated so that one run names every problem.
                report.add(report.tree.location(YamlTree.child(path, "metric")), path,
                        unknownMetric(metricNode.asText().trim(), config.metrics()));
            }
        }
        if (resolution != null) {
            fields.put("metric", resolution.metric());
            boolean spans = resolution.kind() == MetricResolution.Kind.SPAN_SLI
                    || resolution.kind() == MetricResolution.Kind.SPAN_RATIO_BY_NAME;
            if (spans && config.traces() != null && !fields.has("sampling")) {
                // Implements: REQ-RUNTIME-001 (the seed's traces.sample_rate weighs the span SLIs)
                ObjectNode sampling = fields.putObject("sampling");
                sampling.put("sample_rate", config.traces().sampleRate());
                sampling.put("always_sample_errors", config.traces().alwaysSampleErrors());
                notes.add("sampling " + config.traces().sampleRate() + (config.traces().alwaysSampleErrors()
                        ? ", errors always kept" : "") + " from telemetry.traces: a span without ot=th in its trace state "
                        + "stands for " + formatCount(1 / config.traces().sampleRate()) + " spans"
                        + (config.traces().alwaysSampleErrors() ? ", an error for itself" : ""));
            }
            MetricDeclaration declaration = resolution.declaration();
            if (declaration != null && declaration.constraint() != null && !fields.has("constraint")) {
                fields.put("constraint", declaration.constraint());
                notes.add("constraint " + declaration.constraint() + " from the declaration of " + declaration.name());
            }
            if (declaration != null && !declaration.businessRules().isEmpty() && !fields.has("business_rules")) {
                declaration.businessRules().forEach(fields.putArray("business_rules")::add);
                notes.add("business_rules " + String.join(",", declaration.businessRules()) + " from the declaration of "
                        + declaration.name());
            }
        }
        Target target = parse(fields, path, report);
        if (target == null || resolution == null) return;
        YamlTree.Location at = report.tree.location(path);
        targets.add(new ResolvedTarget(id != null ? id : target.defaultId(), target, resolution, report.source,
                at == null ? 0 : at.line(), notes));
    }

    private static String formatCount(double count) {
        return count == Math.rint(count) ? Long.toString((long) count) : String.format(java.util.Locale.ROOT, "%.4g", count);
    }

    /**
     * The contract's resolution of a metric named in a homeostasis entry, or null when nothing matches:
     * a span SLI as named; a metric declared in {@code telemetry.metrics} (its type decides how it is
     * judged: {@code histogram} is a distribution); an undeclared {@code *_success_rate} or
     * {@code *_error_rate} is the span ratio of the entry's requirement.
     */
    public static MetricResolution resolve(String written, Map<String, MetricDeclaration> declared) {
        if (SpanSli.of(written).isPresent()) {
            return new MetricResolution(written, written, MetricResolution.Kind.SPAN_SLI, null);
        }
        MetricDeclaration declaration = declared.get(written);
        if (declaration != null) {
            return new MetricResolution(written, written, MetricResolution.Kind.DECLARED_METRIC, declaration);
        }
        if (written.endsWith("_success_rate") && written.length() > "_success_rate".length()) {
            return new MetricResolution(written, SpanSli.SUCCESS_RATE.metric(), MetricResolution.Kind.SPAN_RATIO_BY_NAME, null);
        }
        if (written.endsWith("_error_rate") && written.length() > "_error_rate".length()) {
            return new MetricResolution(written, SpanSli.ERROR_RATE.metric(), MetricResolution.Kind.SPAN_RATIO_BY_NAME, null);
        }
        return null;
    }

    /**
     * A ratio entry: its metric stays the ratio's name; each operand's metric must be declared in
     * {@code telemetry.metrics} (its type decides how the operand is aggregated), else a problem on the
     * operand's line. Null when an operand is not declared (reported) or the ratio is malformed (left to
     * TargetParser, which names it).
     */
    private static MetricResolution resolveRatio(String written, JsonNode ratio, String path,
                                                 Map<String, MetricDeclaration> declared, Problems report) {
        if (!ratio.isObject()) return null;
        MetricDeclaration good = ratioOperand(ratio.get("good"), path, "good", declared, report);
        MetricDeclaration total = ratioOperand(ratio.get("total"), path, "total", declared, report);
        if (good == null || total == null) return null;
        return new MetricResolution(written, written, MetricResolution.Kind.RATIO, null,
                new MetricResolution.RatioOperands(good, total));
    }

    private static MetricDeclaration ratioOperand(JsonNode operand, String entryPath, String role,
                                                  Map<String, MetricDeclaration> declared, Problems report) {
        if (operand == null || !operand.isObject()) return null;
        JsonNode metric = operand.get("metric");
        if (metric == null || !metric.isTextual() || metric.asText().isBlank()) return null;
        String name = metric.asText().trim();
        MetricDeclaration declaration = declared.get(name);
        if (declaration == null) {
            String field = "ratio." + role + ".metric";
            String hint = Suggestions.closest(name, declared.keySet()).map(s -> " (did you mean '" + s + "'?)").orElse("");
            YamlTree.Location at = report.tree.location(YamlTree.child(entryPath, field));
            report.add(at != null ? at : report.tree.location(entryPath), entryPath, "'" + field + "': unknown metric '"
                    + name + "'" + hint + ": a ratio's operands are OTLP metrics; declare it in telemetry.metrics "
                    + "(with its type, which decides how it is aggregated)");
        }
        return declaration;
    }

    private static String unknownMetric(String written, Map<String, MetricDeclaration> declared) {
        List<String> candidates = Stream.concat(declared.keySet().stream(),
                Arrays.stream(SpanSli.values()).map(SpanSli::metric)).toList();
        String hint = Suggestions.closest(written, candidates).map(s -> " (did you mean '" + s + "'?)").orElse("");
        return "'metric': unknown metric '" + written + "'" + hint + ": declare it in telemetry.metrics (with its type), "
                + "or name a span SLI (" + SPAN_SLIS + ") or a *_success_rate / *_error_rate of the requirement's spans";
    }

    // ---------------------------------------------------------------- plain target documents

    private static void readPlainTargets(String source, YamlTree document, List<ResolvedTarget> targets,
                                         List<ConfigProblem> problems) {
        Problems report = new Problems(source, document, problems);
        JsonNode root = document.root();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) plainTarget(root.get(i), YamlTree.item("", i), report, targets);
        } else if (root.isObject()) {
            plainTarget(root, "", report, targets);
        } else if (!root.isNull()) {
            report.at("", "expected a target (a mapping), a list of targets, or config/observability.yml's telemetry section");
        }
    }

    private static void plainTarget(JsonNode value, String path, Problems report, List<ResolvedTarget> targets) {
        if (!value.isObject()) {
            report.at(path, "a target must be a mapping (requirement, metric, target, operator, ...)");
            return;
        }
        ObjectNode fields = ((ObjectNode) value).deepCopy();
        String id = takeId(fields, path, report);
        Target target = parse(fields, path, report);
        if (target == null) return;
        MetricResolution resolution = target.ratio() != null
                ? new MetricResolution(target.metric(), target.metric(), MetricResolution.Kind.RATIO, null,
                        new MetricResolution.RatioOperands(null, null))
                : new MetricResolution(target.metric(), target.metric(),
                        SpanSli.of(target.metric()).isPresent() ? MetricResolution.Kind.SPAN_SLI
                                : MetricResolution.Kind.UNDECLARED_METRIC, null);
        YamlTree.Location at = report.tree.location(path);
        targets.add(new ResolvedTarget(id != null ? id : target.defaultId(), target, resolution, report.source,
                at == null ? 0 : at.line(), List.of()));
    }

    // ---------------------------------------------------------------- shared

    /** {@code id} picks the target id; it is not a field of the target record, so it is taken out. */
    private static String takeId(ObjectNode fields, String path, Problems report) {
        JsonNode id = fields.remove(ID_FIELD);
        if (id == null || id.isNull()) return null;
        if (!id.isTextual() || id.asText().isBlank()) {
            report.at(YamlTree.child(path, ID_FIELD), "'id' must be a non-empty string");
            return null;
        }
        return id.asText().trim();
    }

    /** The one target validator, TargetParser; each problem it names is placed on its field's line. */
    private static Target parse(ObjectNode fields, String path, Problems report) {
        try {
            return TargetParser.parse(fields);
        } catch (InvalidTargetException e) {
            for (String problem : e.problems()) {
                Matcher field = QUOTED_FIELD.matcher(problem);
                String fieldPath = field.find() ? YamlTree.child(path, field.group(1)) : path;
                YamlTree.Location at = report.tree.location(fieldPath);
                report.add(at != null ? at : report.tree.location(path), path, problem);
            }
            return null;
        }
    }

    private static void checkUniqueIds(List<ResolvedTarget> targets, List<ConfigProblem> problems) {
        Map<String, ResolvedTarget> seen = new LinkedHashMap<>();
        for (ResolvedTarget target : targets) {
            ResolvedTarget first = seen.putIfAbsent(target.id(), target);
            if (first != null) {
                problems.add(new ConfigProblem(target.source(), target.line(), 0, "", "target id '" + target.id()
                        + "' is also defined at " + first.origin() + "; give one of them another 'id'"));
            }
        }
    }

    /** Collects problems of one document, each placed at its path's line. */
    private static final class Problems {
        final String source;
        final YamlTree tree;
        final List<ConfigProblem> problems;

        Problems(String source, YamlTree tree, List<ConfigProblem> problems) {
            this.source = source;
            this.tree = tree;
            this.problems = problems;
        }

        void at(String path, String message) {
            problems.add(ConfigProblem.at(source, tree.location(path), path, message));
        }

        void add(YamlTree.Location location, String path, String message) {
            problems.add(ConfigProblem.at(source, location, path, message));
        }

        String requiredText(JsonNode node, String path, String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                at(path, "missing required field '" + field + "'");
                return null;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                at(YamlTree.child(path, field), "'" + field + "' must be a non-empty string");
                return null;
            }
            return value.asText().trim();
        }

        String optionalText(JsonNode node, String path, String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) return null;
            if (!value.isValueNode()) {
                at(YamlTree.child(path, field), "'" + field + "' must be a string");
                return null;
            }
            return value.asText();
        }
    }
}

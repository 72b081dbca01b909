package io.homeostat.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates a target. Every problem is reported (not only the first), by field name, so a
 * user who sees the reason on the dead-letter topic can fix the record in one go.
 */
public final class TargetParser {

    /** Fields the contract defines, in the order the message for an unknown field lists them. */
    public static final List<String> FIELD_ORDER = List.of(
            "requirement", "metric", "target", "operator", "alert_threshold", "description", "window",
            "min_events", "for", "notify_no_data", "no_data_after", "critical_deviation_percent", "tolerance",
            "constraint", "business_rules", "labels", "annotations", "where", "ratio", "aggregation", "sampling",
            "objective", "slo");
    /** Fields the contract defines; anything else is a typo or a feature this version lacks. */
    public static final Set<String> KNOWN_FIELDS = Set.copyOf(FIELD_ORDER);

    private TargetParser() {}

    public static Target parse(byte[] json) throws InvalidTargetException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidTargetException(List.of("not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidTargetException(List.of("not valid JSON: " + e.getMessage()));
        }
        if (node == null || node.isMissingNode()) {
            throw new InvalidTargetException(List.of("empty value (use a tombstone, a null value, to delete a target)"));
        }
        return parse(node);
    }

    public static Target parse(String json) throws InvalidTargetException {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    public static Target parse(JsonNode node) throws InvalidTargetException {
        if (!node.isObject()) {
            throw new InvalidTargetException(List.of("a target must be a JSON object, not " + node.getNodeType()));
        }
        List<String> problems = new ArrayList<>();
        Set<String> unknown = new TreeSet<>();
        node.fieldNames().forEachRemaining(name -> {
            if (!KNOWN_FIELDS.contains(name)) unknown.add(name);
        });
        for (String name : unknown) {
            problems.add("unknown field '" + name + "'" + suggestion(name));
        }
        if (!unknown.isEmpty() && unknown.stream().allMatch(name -> Suggestions.closest(name, KNOWN_FIELDS).isEmpty())) {
            // Not a typo: maybe written for a newer Homeostat. Say what this one reads, and that nothing is half-applied.
            problems.add("this version accepts " + String.join(", ", FIELD_ORDER) + "; a field of a newer version is "
                    + "refused, not ignored (a target must mean the same to every instance): upgrade the processor, or leave it out");
        }

        String requirement = requiredText(node, "requirement", problems);
        String metric = requiredText(node, "metric", problems);
        Double target = number(node, "target", true, problems);
        Operator operator = null;
        JsonNode opNode = node.get("operator");
        if (opNode == null || opNode.isNull()) {
            problems.add("missing required field 'operator' (one of lt, lte, gt, gte, eq)");
        } else if (!opNode.isTextual()) {
            problems.add("'operator' must be a string (one of lt, lte, gt, gte, eq)");
        } else {
            try {
                operator = Operator.fromCode(opNode.asText());
            } catch (IllegalArgumentException e) {
                problems.add("'operator': " + e.getMessage());
            }
        }
        Double alertThreshold = number(node, "alert_threshold", false, problems);
        String description = optionalText(node, "description", problems);
        Duration window = duration(node, "window", Target.DEFAULT_WINDOW, problems);
        if (window != null && window.toMillis() <= 0) problems.add("'window' must be longer than 0");
        Double minEventsValue = number(node, "min_events", false, problems);
        long minEvents = Target.DEFAULT_MIN_EVENTS;
        if (minEventsValue != null) {
            if (minEventsValue < 1 || minEventsValue != Math.rint(minEventsValue)) {
                problems.add("'min_events' must be a whole number of at least 1");
            } else {
                minEvents = minEventsValue.longValue();
            }
        }
        Duration forDuration = duration(node, "for", Duration.ZERO, problems);
        boolean notifyNoData = bool(node, "notify_no_data", false, problems);
        Duration noDataAfter = duration(node, "no_data_after", window == null ? Target.DEFAULT_WINDOW : window, problems);
        Double critical = number(node, "critical_deviation_percent", false, problems);
        if (critical != null && critical < 0) problems.add("'critical_deviation_percent' must not be negative");
        Double tolerance = number(node, "tolerance", false, problems);
        if (tolerance != null && tolerance < 0) problems.add("'tolerance' must not be negative");
        String constraint = optionalText(node, "constraint", problems);
        List<String> businessRules = keyList(node, "business_rules", problems);
        Map<String, String> labels = stringMap(node, "labels", problems);
        Map<String, String> annotations = stringMap(node, "annotations", problems);

        Map<String, List<String>> where = where(node.get("where"), "where", problems);
        Target.Ratio ratio = ratio(node.get("ratio"), problems);
        Aggregation aggregation = null;
        JsonNode aggregationNode = node.get("aggregation");
        if (aggregationNode != null && !aggregationNode.isNull()) {
            try {
                aggregation = Aggregation.fromCode(aggregationNode.asText());
            } catch (IllegalArgumentException e) {
                problems.add("'aggregation': " + e.getMessage());
            }
        }
        Sampling sampling = sampling(node.get("sampling"), problems);
        if (ratio != null && !where.isEmpty()) {
            problems.add("'where' does not apply to a ratio target: put it in ratio.good and ratio.total");
        }

        if (operator != null && target != null && alertThreshold != null) {
            checkAlertThresholdSide(operator, target, alertThreshold, problems);
        }
        SloSpec slo = SloSpec.parse(node.get("objective"), node.get("slo"), metric, operator, target, alertThreshold,
                node.hasNonNull("ratio"), problems);
        if (problems.isEmpty()) problems.addAll(TargetSchema.validate(node));
        if (!problems.isEmpty()) throw new InvalidTargetException(problems);
        return new Target(requirement, metric, target, operator, alertThreshold, description, window, minEvents,
                forDuration, notifyNoData, noDataAfter,
                critical == null ? Target.DEFAULT_CRITICAL_DEVIATION_PERCENT : critical,
                tolerance == null ? 0.0 : tolerance, constraint, businessRules, labels, annotations, where, ratio,
                aggregation, sampling, slo);
    }

    /** {@code {"status": "success"}} or {@code {"status": ["success", "failure"]}}: attribute → allowed values. */
    private static Map<String, List<String>> where(JsonNode value, String field, List<String> problems) {
        if (value == null || value.isNull()) return Map.of();
        if (!value.isObject()) {
            problems.add("'" + field + "' must be an object of attribute → value or list of values");
            return Map.of();
        }
        Map<String, List<String>> where = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            List<String> values = new ArrayList<>();
            if (e.getValue().isArray()) {
                for (JsonNode item : e.getValue()) {
                    if (item.isValueNode() && !item.isNull()) values.add(item.asText());
                }
            } else if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                values.add(e.getValue().asText());
            }
            if (values.isEmpty() || (e.getValue().isArray() && values.size() != e.getValue().size())) {
                problems.add("'" + field + "." + e.getKey() + "' must be a value or a non-empty list of values");
            } else {
                where.put(e.getKey(), values);
            }
        }
        return where;
    }

    /**
     * {@code {"sample_rate": 0.1, "always_sample_errors": true}}: how the spans a span SLI reads were sampled when
     * their trace state does not say it.
     */
    private static Sampling sampling(JsonNode value, List<String> problems) {
        if (value == null || value.isNull()) return null;
        if (!value.isObject()) {
            problems.add("'sampling' must be an object {\"sample_rate\": 0.1, \"always_sample_errors\": true}");
            return null;
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!name.equals("sample_rate") && !name.equals("always_sample_errors")) {
                problems.add("unknown field 'sampling." + name + "'" + Suggestions.closest(name, List.of("sample_rate",
                        "always_sample_errors")).map(known -> " (did you mean '" + known + "'?)").orElse(""));
            }
        });
        JsonNode rate = value.get("sample_rate");
        if (rate == null || rate.isNull()) {
            problems.add("missing required field 'sampling.sample_rate' (the share of spans kept, in (0, 1])");
            return null;
        }
        if (!rate.isNumber() || !(rate.asDouble() > 0 && rate.asDouble() <= 1)) {
            problems.add("'sampling.sample_rate' must be a number in (0, 1] (0.1 keeps 10 % of the spans), not " + describe(rate));
            return null;
        }
        boolean errors = bool(value, "always_sample_errors", false, problems);
        return new Sampling(rate.asDouble(), errors);
    }

    private static Target.Ratio ratio(JsonNode value, List<String> problems) {
        if (value == null || value.isNull()) return null;
        if (!value.isObject()) {
            problems.add("'ratio' must be an object with 'good' and 'total'");
            return null;
        }
        MetricRef good = metricRef(value.get("good"), "ratio.good", problems);
        MetricRef total = metricRef(value.get("total"), "ratio.total", problems);
        value.fieldNames().forEachRemaining(name -> {
            if (!name.equals("good") && !name.equals("total")) problems.add("unknown field 'ratio." + name + "'");
        });
        return good == null || total == null ? null : new Target.Ratio(good, total);
    }

    private static MetricRef metricRef(JsonNode value, String field, List<String> problems) {
        if (value == null || !value.isObject()) {
            problems.add("'" + field + "' must be an object {\"metric\": ..., \"where\": {...}}");
            return null;
        }
        JsonNode metric = value.get("metric");
        if (metric == null || !metric.isTextual() || metric.asText().isBlank()) {
            problems.add("'" + field + ".metric' must be a non-empty string");
            return null;
        }
        value.fieldNames().forEachRemaining(name -> {
            if (!name.equals("metric") && !name.equals("where")) problems.add("unknown field '" + field + "." + name + "'");
        });
        return new MetricRef(metric.asText().trim(), where(value.get("where"), field + ".where", problems));
    }

    /**
     * As an alert level (any value outside (0, 1), or any metric that is not a distribution), the
     * threshold must lie on the bad side of the target, or it would alert before the target is violated.
     * Values in (0, 1) may be a share of good events on a distribution, which is decided by the data.
     */
    private static void checkAlertThresholdSide(Operator op, double target, double threshold, List<String> problems) {
        if (threshold > 0 && threshold < 1) return;
        boolean inside = switch (op) {
            case LT, LTE -> threshold < target;
            case GT, GTE -> threshold > target;
            case EQ -> false;
        };
        if (inside) {
            problems.add("'alert_threshold' " + threshold + " lies inside the target (" + op.code() + " " + target
                    + "); as an alert level it must be " + (op.upperBound() ? "at or above " : "at or below ") + target);
        }
    }

    private static String requiredText(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            problems.add("missing required field '" + field + "'");
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.add("'" + field + "' must be a non-empty string");
            return null;
        }
        return value.asText().trim();
    }

    private static String optionalText(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) {
            problems.add("'" + field + "' must be a string");
            return null;
        }
        return value.asText();
    }

    private static Double number(JsonNode node, String field, boolean required, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) problems.add("missing required field '" + field + "' (a number)");
            return null;
        }
        if (!value.isNumber()) {
            problems.add("'" + field + "' must be a number, not " + describe(value));
            return null;
        }
        double d = value.asDouble();
        if (!Double.isFinite(d)) {
            problems.add("'" + field + "' must be a finite number");
            return null;
        }
        return d;
    }

    private static boolean bool(JsonNode node, String field, boolean defaultValue, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return defaultValue;
        if (!value.isBoolean()) {
            problems.add("'" + field + "' must be true or false");
            return defaultValue;
        }
        return value.asBoolean();
    }

    private static Duration duration(JsonNode node, String field, Duration defaultValue, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return defaultValue;
        if (!value.isTextual()) {
            problems.add("'" + field + "' must be a duration string such as 500ms, 10s, 5m, 1h");
            return defaultValue;
        }
        try {
            Duration d = Durations.parse(value.asText());
            if (d.isNegative()) problems.add("'" + field + "' must not be negative");
            return d;
        } catch (IllegalArgumentException e) {
            problems.add("'" + field + "': " + e.getMessage());
            return defaultValue;
        }
    }

    /** {@code "BR-001,BR-002"} or {@code ["BR-001","BR-002"]}, as the contract allows for keys. */
    private static List<String> keyList(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return List.of();
        List<String> keys = new ArrayList<>();
        if (value.isTextual()) {
            keys.addAll(splitKeys(value.asText()));
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    problems.add("'" + field + "' must hold strings only");
                    return List.of();
                }
                keys.addAll(splitKeys(item.asText()));
            }
        } else {
            problems.add("'" + field + "' must be a string (comma-separated) or an array of strings");
        }
        return keys;
    }

    public static List<String> splitKeys(String text) {
        if (text == null) return List.of();
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static Map<String, String> stringMap(JsonNode node, String field, List<String> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return Map.of();
        if (!value.isObject()) {
            problems.add("'" + field + "' must be an object of string values");
            return Map.of();
        }
        Map<String, String> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                map.put(e.getKey(), e.getValue().asText());
            } else {
                problems.add("'" + field + "." + e.getKey() + "' must be a string");
            }
        }
        return map;
    }

    private static String describe(JsonNode value) {
        String text = value.toString();
        return value.getNodeType().toString().toLowerCase() + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }

    /** A hint for the closest known field, for typos such as {@code alert_treshold}. */
    private static String suggestion(String unknown) {
        return Suggestions.closest(unknown, KNOWN_FIELDS).map(known -> " (did you mean '" + known + "'?)").orElse("");
    }
}

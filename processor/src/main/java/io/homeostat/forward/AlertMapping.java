package io.homeostat.forward;

import io.homeostat.model.Alert;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Homeostat alert as Alertmanager sees it. Labels (the identity Alertmanager groups, routes, silences and
 * inhibits by): {@code alertname} by kind ({@code HomeostasisDeviation}, {@code HomeostasisNoData},
 * {@code HomeostasisBurnRate}; the names the exported Prometheus rules use), {@code requirement},
 * {@code metric}, {@code target_id}, {@code severity}, the target's own labels, and the bridge's static
 * {@code --label}s. Annotations carry the rest: {@code summary}, {@code description}, {@code constraint},
 * {@code business_rules}, {@code sample_trace_ids}, {@code runbook_url}, the measured numbers, and the target's
 * own annotations.
 */
// Implements: REQ-RUNTIME-002 (deviation alerts with REQ-* context, routed by the user's alerting stack)
public final class AlertMapping {
    /** The placeholders {@code --generator-url} may use, as a regular expression. */
    public static final String PLACEHOLDER_PATTERN = "\\{(target_id|requirement|metric|fingerprint|alert_id)}";
    private static final Pattern PLACEHOLDERS = Pattern.compile(PLACEHOLDER_PATTERN);
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final SortedMap<String, String> staticLabels;
    private final String generatorUrlTemplate;

    /**
     * @param staticLabels         added to every alert (like Prometheus' external labels); the alert's own win
     * @param generatorUrlTemplate the link back, e.g. {@code http://homeostat:8080/status/{target_id}}, with
     *                             {@code {target_id}}, {@code {requirement}}, {@code {metric}},
     *                             {@code {fingerprint}}, {@code {alert_id}} filled in (URL-encoded); null: none
     */
    public AlertMapping(Map<String, String> staticLabels, String generatorUrlTemplate) {
        this.staticLabels = new TreeMap<>();
        staticLabels.forEach((name, value) -> this.staticLabels.put(labelName(name), value));
        this.generatorUrlTemplate = generatorUrlTemplate == null || generatorUrlTemplate.isBlank() ? null : generatorUrlTemplate;
    }

    public static AlertMapping plain() {
        return new AlertMapping(Map.of(), null);
    }

    /** Alertmanager's view of the alert: firing without {@code endsAt}, resolved with it. */
    public AlertmanagerAlert toAlertmanager(Alert alert) {
        SortedMap<String, String> labels = new TreeMap<>(staticLabels);
        new TreeMap<>(alert.labels() == null ? Map.<String, String>of() : alert.labels())
                .forEach((name, value) -> labels.put(labelName(name), value));
        labels.put("alertname", alertname(alert.kind()));
        labels.put("requirement", alert.requirement());
        labels.put("metric", alert.metric());
        labels.put("target_id", alert.targetId());
        if (alert.severity() != null) labels.put("severity", alert.severity());
        labels.values().removeIf(value -> value == null || value.isEmpty()); // an empty label is no label

        SortedMap<String, String> annotations = new TreeMap<>();
        if (alert.annotations() != null) alert.annotations().forEach((name, value) -> annotations.put(name, value));
        annotations.put("summary", summary(alert));
        annotations.put("description", alert.description() != null && !alert.description().isBlank()
                ? alert.description() : summary(alert));
        put(annotations, "constraint", alert.constraint());
        if (alert.businessRules() != null && !alert.businessRules().isEmpty()) {
            annotations.put("business_rules", String.join(",", alert.businessRules()));
        }
        if (alert.sampleTraceIds() != null && !alert.sampleTraceIds().isEmpty()) {
            annotations.put("sample_trace_ids", String.join(",", alert.sampleTraceIds()));
        }
        String runbook = annotations.containsKey("runbook_url") ? annotations.get("runbook_url") : annotations.get("runbook");
        put(annotations, "runbook_url", runbook);
        put(annotations, "actual", alert.actual() == null ? null : number(alert.actual()));
        annotations.put("target", alert.operator() + " " + number(alert.target()));
        put(annotations, "alert_threshold", alert.alertThreshold() == null ? null : number(alert.alertThreshold()));
        put(annotations, "good_ratio", alert.goodRatio() == null ? null : number(alert.goodRatio()));
        put(annotations, "deviation_percent", alert.deviationPercent() == null ? null
                : String.format(Locale.ROOT, "%.1f", alert.deviationPercent()));
        annotations.put("events", Long.toString(alert.events()));
        put(annotations, "window", alert.windowStart() == null ? null : alert.windowStart() + "/" + alert.windowEnd());
        put(annotations, "resolved_reason", alert.resolvedReason());
        annotations.put("alert_id", alert.alertId());
        annotations.put("homeostat_fingerprint", alert.fingerprint());
        annotations.values().removeIf(value -> value == null || value.isEmpty());

        String endsAt = alert.firing() ? null : alert.endsAt() != null ? alert.endsAt() : alert.timestamp();
        return new AlertmanagerAlert(labels, annotations, alert.startsAt(), endsAt, generatorUrl(alert));
    }

    /** {@code deviation} → {@code HomeostasisDeviation}, {@code no_data} → {@code HomeostasisNoData}, ... */
    public static String alertname(String kind) {
        StringBuilder name = new StringBuilder("Homeostasis");
        for (String word : (kind == null || kind.isBlank() ? "deviation" : kind).split("[^A-Za-z0-9]+")) {
            if (word.isEmpty()) continue;
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /**
     * A valid Alertmanager label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}, which Alertmanager 0.25 enforces), made
     * as Prometheus' OTLP translation makes attribute names labels: other characters become {@code _}, a
     * leading digit gets {@code key_}.
     */
    public static String labelName(String name) {
        if (LABEL_NAME.matcher(name).matches()) return name;
        String label = name.replaceAll("[^a-zA-Z0-9_]+", "_");
        if (label.isEmpty()) return "key_";
        return Character.isDigit(label.charAt(0)) ? "key_" + label : label;
    }

    /** One line for people, as a notification's title. */
    static String summary(Alert alert) {
        if (Alert.KIND_NO_DATA.equals(alert.kind())) {
            return alert.requirement() + ": no " + alert.metric() + " data since " + alert.windowStart();
        }
        StringBuilder summary = new StringBuilder(alert.requirement()).append(": ").append(alert.metric()).append(' ')
                .append(alert.operator()).append(' ').append(number(alert.target())).append(" violated");
        if (alert.actual() != null) summary.append(", actual ").append(number(alert.actual()));
        if (alert.goodRatio() != null && alert.alertThreshold() != null) {
            summary.append(String.format(Locale.ROOT, " (%.1f%% of events good, need %s%%)", alert.goodRatio() * 100,
                    number(alert.alertThreshold() * 100)));
        }
        if (alert.deviationPercent() != null) {
            summary.append(String.format(Locale.ROOT, ", %.1f%% off target", alert.deviationPercent()));
        }
        return summary.toString();
    }

    private String generatorUrl(Alert alert) {
        if (generatorUrlTemplate == null) return null;
        Matcher m = PLACEHOLDERS.matcher(generatorUrlTemplate);
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "target_id" -> alert.targetId();
                case "requirement" -> alert.requirement();
                case "metric" -> alert.metric();
                case "fingerprint" -> alert.fingerprint();
                default -> alert.alertId();
            };
            m.appendReplacement(url, Matcher.quoteReplacement(
                    URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8).replace("+", "%20")));
        }
        m.appendTail(url);
        return url.toString();
    }

    private static void put(Map<String, String> map, String key, String value) {
        if (value != null) map.put(key, value);
    }

    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) return Long.toString((long) value);
        return new java.math.BigDecimal(value).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}

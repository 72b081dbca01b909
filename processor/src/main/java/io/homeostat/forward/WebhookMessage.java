package io.homeostat.forward;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A notification in the shape of Alertmanager's webhook receiver (payload {@code version} 4), for teams
 * without Alertmanager: one message per group of alerts, grouped by {@code requirement} as Alertmanager would
 * be with {@code group_by: [requirement]}; a message lists every alert of the group that is firing and those
 * that just resolved, and is {@code firing} while any of them is.
 */
@JsonPropertyOrder({"version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels", "commonLabels",
    "commonAnnotations", "externalURL", "alerts"})
public record WebhookMessage(
        @JsonProperty("version") String version,
        @JsonProperty("groupKey") String groupKey,
        @JsonProperty("truncatedAlerts") int truncatedAlerts,
        @JsonProperty("status") String status,
        @JsonProperty("receiver") String receiver,
        @JsonProperty("groupLabels") SortedMap<String, String> groupLabels,
        @JsonProperty("commonLabels") SortedMap<String, String> commonLabels,
        @JsonProperty("commonAnnotations") SortedMap<String, String> commonAnnotations,
        @JsonProperty("externalURL") String externalUrl,
        @JsonProperty("alerts") List<Entry> alerts) {

    /** Alertmanager's "zero time", which its webhook payloads carry as {@code endsAt} of a firing alert. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";
    public static final String GROUP_BY = "requirement";

    /** One alert of the message, as Alertmanager's webhook writes it. */
    @JsonPropertyOrder({"status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"})
    public record Entry(
            @JsonProperty("status") String status,
            @JsonProperty("labels") SortedMap<String, String> labels,
            @JsonProperty("annotations") SortedMap<String, String> annotations,
            @JsonProperty("startsAt") String startsAt,
            @JsonProperty("endsAt") String endsAt,
            @JsonProperty("generatorURL") String generatorUrl,
            @JsonProperty("fingerprint") String fingerprint) {

        static Entry of(AlertmanagerAlert alert) {
            return new Entry(alert.resolved() ? "resolved" : "firing", alert.labels(), alert.annotations(),
                    alert.startsAt(), alert.resolved() ? alert.endsAt() : ZERO_TIME,
                    alert.generatorUrl() == null ? "" : alert.generatorUrl(), alert.fingerprint());
        }
    }

    /** The alerts, one message per requirement, in the order the requirements first appear. */
    public static List<WebhookMessage> group(List<AlertmanagerAlert> alerts, String receiver, String externalUrl) {
        Map<String, List<AlertmanagerAlert>> groups = new LinkedHashMap<>();
        for (AlertmanagerAlert alert : alerts) {
            groups.computeIfAbsent(alert.labels().getOrDefault(GROUP_BY, ""), k -> new ArrayList<>()).add(alert);
        }
        List<WebhookMessage> messages = new ArrayList<>();
        groups.forEach((requirement, members) -> {
            SortedMap<String, String> groupLabels = new TreeMap<>();
            if (!requirement.isEmpty()) groupLabels.put(GROUP_BY, requirement);
            boolean firing = members.stream().anyMatch(a -> !a.resolved());
            messages.add(new WebhookMessage("4", "{}:{" + (requirement.isEmpty() ? "" : GROUP_BY + "=\""
                    + requirement.replace("\\", "\\\\").replace("\"", "\\\"") + "\"") + "}", 0,
                    firing ? "firing" : "resolved", receiver, groupLabels,
                    common(members, AlertmanagerAlert::labels), common(members, AlertmanagerAlert::annotations),
                    externalUrl == null ? "" : externalUrl, members.stream().map(Entry::of).toList()));
        });
        return messages;
    }

    /** What every alert of the group has in common, as Alertmanager's {@code commonLabels}. */
    private static SortedMap<String, String> common(List<AlertmanagerAlert> alerts,
                                                    Function<AlertmanagerAlert, SortedMap<String, String>> field) {
        SortedMap<String, String> common = new TreeMap<>(field.apply(alerts.get(0)));
        for (AlertmanagerAlert alert : alerts.subList(1, alerts.size())) {
            common.entrySet().removeIf(e -> !e.getValue().equals(field.apply(alert).get(e.getKey())));
        }
        return common;
    }

    /** The fingerprints (Alertmanager's) of the alerts in this message. */
    public List<String> fingerprints() {
        return alerts.stream().map(Entry::fingerprint).toList();
    }
}

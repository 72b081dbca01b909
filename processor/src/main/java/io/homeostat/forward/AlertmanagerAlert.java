package io.homeostat.forward;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One alert as Alertmanager's API v2 takes it ({@code postableAlert} of {@code POST /api/v2/alerts}): its
 * identity is its label set; a firing alert has no {@code endsAt} (Alertmanager ends it after its
 * {@code resolve_timeout} unless it is sent again), a resolved one has {@code endsAt} in the past.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"labels", "annotations", "startsAt", "endsAt", "generatorURL"})
public record AlertmanagerAlert(
        @JsonProperty("labels") SortedMap<String, String> labels,
        @JsonProperty("annotations") SortedMap<String, String> annotations,
        @JsonProperty("startsAt") String startsAt,
        @JsonProperty("endsAt") String endsAt,
        @JsonProperty("generatorURL") String generatorUrl) {

    public AlertmanagerAlert {
        labels = new TreeMap<>(labels);
        annotations = new TreeMap<>(annotations);
    }

    @JsonIgnore
    public boolean resolved() {
        return endsAt != null;
    }

    /** The same alert, ended at {@code endsAt}. */
    public AlertmanagerAlert endedAt(String at) {
        return new AlertmanagerAlert(labels, annotations, startsAt, at, generatorUrl);
    }

    /**
     * Alertmanager's own fingerprint of the label set ({@code model.LabelSet.Fingerprint}: 64-bit FNV-1a over
     * the sorted names and values, each followed by the byte 0xff), as 16 hex digits: what its API and its
     * webhook payloads call {@code fingerprint}.
     */
    public String fingerprint() {
        return fingerprint(labels);
    }

    static String fingerprint(Map<String, String> labels) {
        long hash = 0xcbf29ce484222325L;
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            hash = add(hash, label.getKey());
            hash = add(hash, label.getValue());
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= 0xff;
        hash *= 0x100000001b3L;
        return hash;
    }
}

package io.homeostat.forward;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the bridge has delivered as firing and not yet as resolved, by Homeostat fingerprint: the alerts it
 * re-sends. Kept on the bridge's compacted state topic, written in the same Kafka transaction as the offsets
 * of the alerts it reflects, so that after a restart the view and the position on the alerts topic agree:
 * nothing delivered is forgotten (it is re-sent), nothing resolved comes back.
 */
final class FiringView {
    /** The version of the state records this code writes; it reads this one and refuses newer ones. */
    static final int FORMAT = 1;

    /**
     * One firing alert of the view, the value of a record on the state topic (key: the fingerprint).
     *
     * @param notifiedAt when the alert was last delivered (epoch ms); webhook repeats count from it
     */
    record Entry(Alert alert, long notifiedAt) {}

    /** The stored form: versioned, so that a later bridge can read what this one wrote. */
    @JsonPropertyOrder({"format", "alert", "notified_at"})
    record Stored(int format, Alert alert, long notifiedAt) {}

    /** A state record this bridge cannot read. */
    static final class UnreadableState extends Exception {
        UnreadableState(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<String, Entry> firing = new LinkedHashMap<>();

    static byte[] encode(Entry entry) {
        try {
            return Json.MAPPER.writeValueAsBytes(new Stored(FORMAT, entry.alert(), entry.notifiedAt()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a state record", e);
        }
    }

    static Entry decode(byte[] value) throws UnreadableState {
        Stored stored;
        try {
            stored = Json.MAPPER.readValue(value, Stored.class);
        } catch (IOException e) {
            throw new UnreadableState("not a state record: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (stored.format() > FORMAT) {
            throw new UnreadableState("state record format " + stored.format() + " is newer than this Homeostat reads ("
                    + FORMAT + "); run the newer version");
        }
        if (stored.alert() == null || stored.alert().fingerprint() == null) throw new UnreadableState("state record without an alert");
        return new Entry(stored.alert(), stored.notifiedAt());
    }

    Entry get(String fingerprint) {
        return firing.get(fingerprint);
    }

    void put(String fingerprint, Entry entry) {
        firing.remove(fingerprint);
        firing.put(fingerprint, entry);
    }

    void remove(String fingerprint) {
        firing.remove(fingerprint);
    }

    Collection<Entry> entries() {
        return firing.values();
    }

    /** The firing alerts of a requirement (a webhook message lists its whole group). */
    List<Entry> ofRequirement(String requirement) {
        List<Entry> entries = new ArrayList<>();
        for (Entry entry : firing.values()) {
            if (requirement.equals(entry.alert().requirement())) entries.add(entry);
        }
        return entries;
    }

    int size() {
        return firing.size();
    }
}

package io.homeostat.topology;

import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.issues.IssuePartial;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * What a decode processor hands on for one input record (or one flush): events for the requirement tasks
 * (keyed by requirement), occurrences for the issue tasks (keyed by issue id), or the input record itself,
 * rejected (its original key and value; the reason travels in the record's headers). The builder routes
 * each kind its own way with a typed {@code flatMap}, so nothing downstream asks what type a value is.
 */
public record Decoded(List<KeyValue<String, RequirementEvent>> requirementEvents,
                      List<KeyValue<String, IssuePartial>> issueOccurrences,
                      List<KeyValue<byte[], byte[]>> deadLetters) {

    static Decoded rejected(byte[] key, byte[] value) {
        return new Decoded(List.of(), List.of(), List.of(KeyValue.pair(key, value)));
    }

    boolean isEmpty() {
        return requirementEvents.isEmpty() && issueOccurrences.isEmpty() && deadLetters.isEmpty();
    }

    /** Collects one record's outputs. */
    static final class Builder {
        private List<KeyValue<String, RequirementEvent>> events = List.of();
        private List<KeyValue<String, IssuePartial>> issues = List.of();

        Builder event(String requirement, RequirementEvent event) {
            if (events.isEmpty()) events = new ArrayList<>();
            events.add(KeyValue.pair(requirement, event));
            return this;
        }

        Builder issue(IssuePartial issue) {
            if (issues.isEmpty()) issues = new ArrayList<>();
            issues.add(KeyValue.pair(issue.issueId(), issue));
            return this;
        }

        Decoded build() {
            return new Decoded(events, issues, List.of());
        }
    }
}

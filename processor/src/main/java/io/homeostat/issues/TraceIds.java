package io.homeostat.issues;

import io.homeostat.model.Fingerprints;

/**
 * Ids of issues and intents, derived from content only, never from a clock: the same bug always has the
 * same issue id, and a replay or restart converges on the same records (the seed's timestamp ids would
 * collide within a second and duplicate on every replay).
 */
public final class TraceIds {
    private TraceIds() {}

    /** {@code ISSUE-} and 16 hex digits of SHA-256 over the grouping key. */
    // Implements: REQ-RUNTIME-003 (deterministic issue id)
    public static String issueId(String requirement, String errorType, String normalizedMessage, String topFrame) {
        String key = requirement + '\n' + errorType + '\n' + normalizedMessage + '\n' + topFrame;
        return "ISSUE-" + Fingerprints.sha256Hex(key).substring(0, 16);
    }

    /** {@code INT-FB-} and 16 hex digits of SHA-256 over the source id (an issue id or an alert id). */
    // Implements: REQ-RUNTIME-003 (deterministic feedback intent id)
    public static String intentId(String sourceId) {
        return "INT-FB-" + Fingerprints.sha256Hex(sourceId).substring(0, 16);
    }
}

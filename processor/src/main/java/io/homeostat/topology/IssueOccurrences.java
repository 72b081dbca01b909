package io.homeostat.topology;

import io.homeostat.issues.IssuePartial;

/**
 * The occurrences of one production issue in one OTLP batch, folded; keyed by issue id, they cross their
 * own repartition topic to the task that owns the issue. A few records per batch, never one per error.
 */
public record IssueOccurrences(IssuePartial issue) implements Routed {}

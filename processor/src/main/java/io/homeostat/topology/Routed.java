package io.homeostat.topology;

/** What the input processors emit: work for a requirement's task, occurrences for an issue's task, or a dead letter. */
public sealed interface Routed permits RequirementEvent, DeadLetter, IssueOccurrences {}

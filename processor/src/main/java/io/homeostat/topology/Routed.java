package io.homeostat.topology;

/** What the input processors emit: work for a requirement's task, or a record for the dead-letter topic. */
public sealed interface Routed permits RequirementEvent, DeadLetter {}

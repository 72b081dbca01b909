package io.homeostat.faults;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the broker acknowledged, counted as the contract defines it and nothing else: per requirement and slice
 * (span end time, floored to the slice), the spans and the failed ones; per error kind, the exception events and
 * the distinct users. Filled from the producer's callbacks, so a request counts once it is on Kafka, never before.
 */
final class Truth {
    /** Spans and failed spans of one slice. */
    static final class Counts {
        long spans;
        long errors;
    }

    /** Occurrences and users of one error kind. */
    static final class Issue {
        final String requirement;
        final String errorType;
        long occurrences;
        final Set<String> users = new HashSet<>();

        Issue(String requirement, String errorType) {
            this.requirement = requirement;
            this.errorType = errorType;
        }
    }

    private final Map<String, TreeMap<Long, Counts>> slices = new ConcurrentHashMap<>();
    private final Map<String, Issue> issues = new ConcurrentHashMap<>();
    private final Set<String> planted = ConcurrentHashMap.newKeySet();
    private long requests;
    private long spans;

    synchronized void span(String requirement, long endMs, boolean failed, String errorType, String user) {
        Counts counts = slices.computeIfAbsent(requirement, r -> new TreeMap<>())
                .computeIfAbsent(Math.floorDiv(endMs, Plan.SLICE_MS) * Plan.SLICE_MS, s -> new Counts());
        counts.spans++;
        spans++;
        if (failed) {
            counts.errors++;
            Issue issue = issues.computeIfAbsent(requirement + "\u0000" + errorType, k -> new Issue(requirement, errorType));
            issue.occurrences++;
            issue.users.add(user);
        }
    }

    synchronized void request() {
        requests++;
    }

    void planted(String key) {
        planted.add(key);
    }

    /** Spans and errors of a requirement in {@code [from, to)}. */
    synchronized long[] window(String requirement, long from, long to) {
        long[] out = new long[2];
        TreeMap<Long, Counts> bySlice = slices.get(requirement);
        if (bySlice == null) return out;
        for (Counts counts : bySlice.subMap(from, true, to, false).values()) {
            out[0] += counts.spans;
            out[1] += counts.errors;
        }
        return out;
    }

    /** End of the newest slice with spans ending at or before {@code windowEnd}, or {@link Long#MIN_VALUE}. */
    synchronized long lastSeen(String requirement, long windowEnd) {
        TreeMap<Long, Counts> bySlice = slices.get(requirement);
        if (bySlice == null) return Long.MIN_VALUE;
        Long start = bySlice.lowerKey(windowEnd - Plan.SLICE_MS + 1);
        return start == null ? Long.MIN_VALUE : start + Plan.SLICE_MS;
    }

    synchronized Map<String, Issue> issues() {
        return Map.copyOf(issues);
    }

    Set<String> planted() {
        return Set.copyOf(planted);
    }

    synchronized long requests() {
        return requests;
    }

    synchronized long spans() {
        return spans;
    }
}

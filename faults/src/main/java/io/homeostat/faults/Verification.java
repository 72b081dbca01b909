package io.homeostat.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What was published against what the oracle says must have been: alerts (each expected episode fired exactly once
 * on the expected window and resolved exactly once on the expected window, for the expected reason; nothing else),
 * window counts on the status topic, late events, issues (final occurrences and users), intents (one per issue and
 * per episode), dead letters (exactly the planted ones). Each check keeps its first few differences for the report.
 */
final class Verification {
    static final int SHOWN = 8;

    final List<Oracle.Episode> expected;
    int episodesSeen;
    final List<String> missing = new ArrayList<>();
    final List<String> duplicated = new ArrayList<>();
    final List<String> unexpected = new ArrayList<>();
    final List<String> wrongResolve = new ArrayList<>();
    /** Window counts compared: of status records, and of all records (alerts too). */
    long statusRecordsChecked;
    long countsChecked;
    final List<String> statusMismatches = new ArrayList<>();
    long statusMismatchCount;
    long maxLateEvents;
    final Map<String, Long> inputStates = new TreeMap<>();
    int issuesExpected;
    final List<String> issueMismatches = new ArrayList<>();
    int intentsExpected;
    final List<String> intentMismatches = new ArrayList<>();
    final List<String> deadLetterMismatches = new ArrayList<>();
    int deadLetters;

    Verification(Oracle oracle, Truth truth, Observed seen) {
        this.expected = oracle.episodes();
        checkAlerts(oracle, seen);
        checkStatuses(oracle, seen);
        checkIssues(truth, seen);
        checkIntents(seen);
        checkDeadLetters(truth, seen);
    }

    private void checkAlerts(Oracle oracle, Observed seen) {
        Map<String, List<Observed.Alert>> byId = new HashMap<>();
        for (Observed.Alert a : seen.alerts) byId.computeIfAbsent(a.alertId(), k -> new ArrayList<>()).add(a);
        Set<String> matched = new HashSet<>();
        for (Oracle.Episode e : expected) {
            String what = e.kind() + " " + e.targetId() + " firing on the window ending " + Report.time(e.firedWindowEnd());
            List<Observed.Alert> firing = seen.alerts.stream().filter(a -> a.status().equals("firing")
                    && a.kind().equals(e.kind()) && a.targetId().equals(e.targetId()) && a.windowEnd() == e.firedWindowEnd()).toList();
            if (firing.isEmpty()) {
                missing.add(what);
                continue;
            }
            episodesSeen++;
            String alertId = firing.get(0).alertId();
            List<String> ids = firing.stream().map(Observed.Alert::alertId).distinct().toList();
            matched.addAll(ids);
            if (ids.size() > 1) duplicated.add(what + ": fired as " + ids.size() + " alerts " + ids);
            List<Observed.Alert> records = byId.get(alertId);
            long firings = records.stream().filter(a -> a.status().equals("firing")).count();
            List<Observed.Alert> resolves = records.stream().filter(a -> a.status().equals("resolved")).toList();
            if (firings > 1) duplicated.add(what + ": " + firings + " firing records for " + alertId);
            if (resolves.size() > 1) duplicated.add(what + ": " + resolves.size() + " resolved records for " + alertId);
            if (e.resolvedWindowEnd() < 0) {
                // Still open when traffic ended: a resolve on a later window (traffic gone) is not compared.
                resolves.stream().filter(r -> r.windowEnd() <= oracle.lastWindowEnd()).findFirst().ifPresent(r ->
                        wrongResolve.add(what + ": resolved on " + Report.time(r.windowEnd()) + " (" + r.resolvedReason()
                                + "), but the oracle says it is still open"));
            } else if (resolves.isEmpty()) {
                missing.add(what + ": its resolve on the window ending " + Report.time(e.resolvedWindowEnd()));
            } else {
                Observed.Alert r = resolves.get(0);
                if (r.windowEnd() != e.resolvedWindowEnd() || !e.resolvedReason().equals(r.resolvedReason())) {
                    wrongResolve.add(what + ": resolved on " + Report.time(r.windowEnd()) + " (" + r.resolvedReason()
                            + "), expected " + Report.time(e.resolvedWindowEnd()) + " (" + e.resolvedReason() + ")");
                }
            }
        }
        for (Map.Entry<String, List<Observed.Alert>> e : byId.entrySet()) {
            if (matched.contains(e.getKey())) continue;
            Observed.Alert first = e.getValue().get(0);
            if (first.windowEnd() > oracle.lastWindowEnd()) continue; // after traffic ended: not compared
            unexpected.add(first.kind() + " " + first.targetId() + " " + first.status() + " on the window ending "
                    + Report.time(first.windowEnd()) + (first.resolvedReason() == null ? "" : " (" + first.resolvedReason() + ")")
                    + " [" + e.getKey() + ", " + e.getValue().size() + " records]");
        }
    }

    /** A window count published on a status or alert record against the oracle's. */
    private void checkCount(Oracle oracle, String what, String targetId, long windowStart, long windowEnd, long events) {
        if (windowEnd > oracle.lastWindowEnd() || windowEnd < oracle.firstWindowEnd()) return;
        countsChecked++;
        if (what.equals("status")) statusRecordsChecked++;
        String requirement = targetId.substring(0, targetId.indexOf('/'));
        long expectedEvents = oracle.events(requirement, windowStart, windowEnd);
        if (expectedEvents != events) {
            statusMismatchCount++;
            if (statusMismatches.size() < SHOWN) {
                statusMismatches.add(what + " " + targetId + " [" + Report.time(windowStart) + ", " + Report.time(windowEnd)
                        + "): " + events + " events, expected " + expectedEvents);
            }
        }
    }

    private void checkStatuses(Oracle oracle, Observed seen) {
        for (Observed.Alert a : seen.alerts) {
            if (a.kind().equals(Oracle.DEVIATION) && a.events() >= 0) {
                checkCount(oracle, a.status() + " alert", a.targetId(), a.windowStart(), a.windowEnd(), a.events());
            }
        }
        for (Observed.Status s : seen.statuses) {
            maxLateEvents = Math.max(maxLateEvents, s.lateEvents());
            inputStates.merge(s.input(), 1L, Long::sum);
            checkCount(oracle, "status", s.targetId(), s.windowStart(), s.windowEnd(), s.events());
        }
    }

    private void checkIssues(Truth truth, Observed seen) {
        Map<String, Observed.Issue> last = seen.finalIssues();
        Map<String, Truth.Issue> kinds = truth.issues();
        issuesExpected = kinds.size();
        for (Truth.Issue kind : kinds.values()) {
            List<Observed.Issue> found = last.values().stream().filter(i -> i.requirement().equals(kind.requirement)
                    && i.errorType().equals(kind.errorType)).toList();
            String what = kind.errorType + " (" + kind.requirement + ")";
            if (found.size() != 1) {
                issueMismatches.add(what + ": " + found.size() + " issues, expected 1");
                continue;
            }
            Observed.Issue issue = found.get(0);
            if (issue.occurrences() != kind.occurrences) {
                issueMismatches.add(what + ": " + issue.occurrences() + " occurrences, expected " + kind.occurrences);
            }
            if (issue.users() == null || issue.users() != kind.users.size()) {
                issueMismatches.add(what + ": " + issue.users() + " affected users, expected " + kind.users.size());
            }
            if (!issue.status().equals("resolved")) issueMismatches.add(what + ": last record " + issue.status()
                    + ", not its final (resolved) one");
        }
        if (last.size() != kinds.size()) issueMismatches.add(last.size() + " issues published, expected " + kinds.size());
    }

    private void checkIntents(Observed seen) {
        Map<String, Long> bySource = new HashMap<>();
        for (Observed.Intent i : seen.intents) bySource.merge(i.sourceKind() + " " + i.sourceId(), 1L, Long::sum);
        Set<String> wanted = new HashSet<>();
        for (Observed.Issue issue : seen.finalIssues().values()) wanted.add("production_issue " + issue.issueId());
        for (Observed.Alert a : seen.alerts) {
            if (a.status().equals("firing")) wanted.add(a.kind() + " " + a.alertId());
        }
        intentsExpected = wanted.size();
        for (String source : wanted) {
            long n = bySource.getOrDefault(source, 0L);
            if (n != 1) intentMismatches.add(source + ": " + n + " intents, expected 1");
        }
        for (String source : bySource.keySet()) {
            if (!wanted.contains(source)) intentMismatches.add(source + ": an intent with no issue or alert episode");
        }
    }

    private void checkDeadLetters(Truth truth, Observed seen) {
        deadLetters = seen.deadLetterKeys.size();
        Map<String, Long> counts = new HashMap<>();
        for (String key : seen.deadLetterKeys) counts.merge(key, 1L, Long::sum);
        for (String planted : truth.planted()) {
            long n = counts.getOrDefault(planted, 0L);
            if (n != 1) deadLetterMismatches.add("planted record " + planted + ": " + n + " dead letters, expected 1");
        }
        for (String key : counts.keySet()) {
            if (!truth.planted().contains(key)) deadLetterMismatches.add("dead letter '" + key + "' was not planted");
        }
    }

    boolean passed() {
        return missing.isEmpty() && duplicated.isEmpty() && unexpected.isEmpty() && wrongResolve.isEmpty()
                && statusMismatchCount == 0 && maxLateEvents == 0 && issueMismatches.isEmpty() && intentMismatches.isEmpty()
                && deadLetterMismatches.isEmpty() && statusRecordsChecked > 0 && !expected.isEmpty();
    }
}

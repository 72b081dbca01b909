package io.homeostat.faults;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The run's report, in markdown: what was injected, what the oracle expected, what was seen, PASS or FAIL. */
final class Report {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** One injected fault: when (seconds after traffic started), what, and how long until its partitions committed again. */
    record Fault(double atSeconds, String what, double recoverySeconds, String note) {}

    final List<Fault> faults = new ArrayList<>();
    final List<String> facts = new ArrayList<>();

    static String time(long epochMs) {
        return epochMs < 0 ? "-" : TIME.format(Instant.ofEpochMilli(epochMs));
    }

    String markdown(String command, Verification v, Truth truth, long openTransactions, boolean survived) {
        StringBuilder md = new StringBuilder();
        boolean passed = v.passed() && openTransactions == 0 && survived;
        md.append("### Fault injection, ").append(Instant.now().toString(), 0, 19).append(" UTC: **")
                .append(passed ? "PASS" : "FAIL").append("**\n\n`").append(command).append("`\n\n");
        for (String fact : facts) md.append("- ").append(fact).append('\n');
        md.append("\n**Faults injected** (times in seconds after traffic started; recovery: from the fault until every spans ")
                .append("partition the failed instance owned, or every partition, committed again; a catch-up counts its downtime)\n\n")
                .append("| at s | fault | recovered after s | note |\n|---:|---|---:|---|\n");
        for (Fault f : faults) {
            md.append(String.format(Locale.ROOT, "| %.1f | %s | %s | %s |%n", f.atSeconds(), f.what(),
                    f.recoverySeconds() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", f.recoverySeconds()), f.note()));
        }
        long deviation = v.expected.stream().filter(e -> e.kind().equals(Oracle.DEVIATION)).count();
        md.append("\n**Checks** (read back with read_committed consumers; expected values from the generated data alone)\n\n")
                .append("| check | expected | seen | result |\n|---|---:|---:|---|\n");
        row(md, "alert episodes fired and resolved exactly once on the oracle's windows (" + deviation + " deviation, "
                + (v.expected.size() - deviation) + " no-data)", v.expected.size(), v.episodesSeen,
                v.missing.isEmpty() && v.wrongResolve.isEmpty());
        row(md, "alert episodes missing", 0, v.missing.size(), v.missing.isEmpty());
        row(md, "duplicated alert records (one episode fired or resolved twice)", 0, v.duplicated.size(), v.duplicated.isEmpty());
        row(md, "alerts the oracle did not expect (flaps, healthy targets)", 0, v.unexpected.size(), v.unexpected.isEmpty());
        row(md, "resolves on another window or for another reason", 0, v.wrongResolve.size(), v.wrongResolve.isEmpty());
        row(md, "window counts on status and alert records that differ from the oracle's (of " + v.countsChecked + " checked, "
                + v.statusRecordsChecked + " of them status records)",
                0, v.statusMismatchCount, v.statusMismatchCount == 0 && v.statusRecordsChecked > 0);
        row(md, "late events (largest late_events on the status topic)", 0, v.maxLateEvents, v.maxLateEvents == 0);
        row(md, "issues with the oracle's final occurrences and users (of " + v.issuesExpected + ")", v.issuesExpected,
                v.issuesExpected - v.issueMismatches.stream().map(s -> s.substring(0, s.indexOf(':'))).distinct().count(),
                v.issueMismatches.isEmpty());
        row(md, "one intent per issue and per alert episode", v.intentsExpected,
                v.intentsExpected - v.intentMismatches.size(), v.intentMismatches.isEmpty());
        row(md, "dead letters: exactly the planted records", truth.planted().size(), v.deadLetters, v.deadLetterMismatches.isEmpty());
        row(md, "open transactions left on the broker", 0, openTransactions, openTransactions == 0);
        row(md, "every instance that should be running was running at the end", 1, survived ? 1 : 0, survived);
        md.append(String.format(Locale.ROOT, "%nInput states seen on the status topic: %s.%n", v.inputStates));
        details(md, "Missing", v.missing);
        details(md, "Duplicated", v.duplicated);
        details(md, "Unexpected", v.unexpected);
        details(md, "Wrong resolves", v.wrongResolve);
        details(md, "Window counts that differ", v.statusMismatches);
        details(md, "Issues that differ", v.issueMismatches);
        details(md, "Intents that differ", v.intentMismatches);
        details(md, "Dead letters that differ", v.deadLetterMismatches);
        md.append('\n').append(passed ? "PASS" : "FAIL").append('\n');
        return md.toString();
    }

    private static void row(StringBuilder md, String check, long expected, long seen, boolean ok) {
        md.append("| ").append(check).append(" | ").append(expected).append(" | ").append(seen).append(" | ")
                .append(ok ? "ok" : "**FAILED**").append(" |\n");
    }

    private static void details(StringBuilder md, String title, List<String> lines) {
        if (lines.isEmpty()) return;
        md.append("\n").append(title).append(":\n\n");
        lines.stream().limit(Verification.SHOWN).forEach(l -> md.append("- ").append(l).append('\n'));
        if (lines.size() > Verification.SHOWN) md.append("- … ").append(lines.size() - Verification.SHOWN).append(" more\n");
    }
}

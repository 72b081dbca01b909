package io.homeostat.cli;

import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import java.util.Locale;

/** One line per production issue or feedback intent, for people. */
public final class IssueFormat {
    private IssueFormat() {}

    public static String issue(ProductionIssue issue) {
        return String.format(Locale.ROOT, "%-8s %-8s %-18s %s  %d occurrence%s, %s  %s: %s%s",
                issue.status().toUpperCase(Locale.ROOT), issue.severity(), issue.requirement(), issue.issueId(),
                issue.occurrences(), issue.occurrences() == 1 ? "" : "s", issue.impact(), shortType(issue.errorType()),
                issue.normalizedMessage(), issue.traceId() == null ? "" : "  trace " + issue.traceId());
    }

    public static String intent(FeedbackIntent intent) {
        return String.format(Locale.ROOT, "%-2s %-16s %-18s %s <- %s  %s", intent.priority(), intent.sourceKind(),
                intent.requirement(), intent.intentId(), intent.sourceId(), intent.description());
    }

    /** {@code java.lang.IllegalStateException} → {@code IllegalStateException}. */
    private static String shortType(String type) {
        int dot = type.lastIndexOf('.');
        return dot < 0 || dot == type.length() - 1 ? type : type.substring(dot + 1);
    }
}

package io.homeostat.issues;

import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import java.util.Locale;

/**
 * The seed's rules: an issue is {@code critical} when its message says "critical", else {@code high};
 * an intent is {@code P0} when its source is critical, else {@code P1}. Extended, as the contract allows,
 * to an attribute that says critical ({@code severity} or {@code error.severity}) and to log records of
 * severity FATAL or severity text CRITICAL.
 */
// Implements: REQ-RUNTIME-003 (severity and priority of production issues and intents)
public final class SeverityRules {
    /** OTLP SeverityNumber: ERROR is 17–20, FATAL 21–24. */
    public static final int SEVERITY_NUMBER_ERROR = 17;
    public static final int SEVERITY_NUMBER_FATAL = 21;

    private SeverityRules() {}

    public static boolean messageSaysCritical(String message) {
        return message != null && message.toLowerCase(Locale.ROOT).contains("critical");
    }

    public static boolean attributeSaysCritical(String severityAttribute) {
        return severityAttribute != null && severityAttribute.trim().equalsIgnoreCase("critical");
    }

    public static String issueSeverity(boolean critical) {
        return critical ? ProductionIssue.SEVERITY_CRITICAL : ProductionIssue.SEVERITY_HIGH;
    }

    /** P0 for a critical source (an issue or an alert of severity critical), else P1. */
    public static String priority(String sourceSeverity) {
        return "critical".equals(sourceSeverity) ? FeedbackIntent.P0 : FeedbackIntent.P1;
    }

    /**
     * Whether a log record is an error: severity number ERROR (17) or above, or, when the emitter set no
     * number, a severity text that names an error level.
     */
    public static boolean isErrorLog(int severityNumber, String severityText) {
        if (severityNumber > 0) return severityNumber >= SEVERITY_NUMBER_ERROR;
        if (severityText == null) return false;
        return switch (severityText.trim().toUpperCase(Locale.ROOT)) {
            case "ERROR", "SEVERE", "FATAL", "CRITICAL", "ALERT", "EMERGENCY", "PANIC" -> true;
            default -> false;
        };
    }

    /** A log record at FATAL (21) or above, or with severity text CRITICAL/FATAL, is critical. */
    public static boolean isCriticalLog(int severityNumber, String severityText) {
        if (severityNumber >= SEVERITY_NUMBER_FATAL) return true;
        if (severityText == null) return false;
        return switch (severityText.trim().toUpperCase(Locale.ROOT)) {
            case "CRITICAL", "FATAL", "ALERT", "EMERGENCY", "PANIC" -> true;
            default -> false;
        };
    }
}

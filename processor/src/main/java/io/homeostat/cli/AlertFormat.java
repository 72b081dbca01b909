package io.homeostat.cli;

import io.homeostat.model.Alert;
import java.util.Locale;

/** One line per alert, for people: what fired, how far off, and where to look. */
public final class AlertFormat {
    private AlertFormat() {}

    public static String line(Alert alert) {
        StringBuilder line = new StringBuilder();
        line.append(String.format(Locale.ROOT, "%-8s %-8s %-18s %-18s", alert.status().toUpperCase(Locale.ROOT),
                alert.severity() == null ? "" : alert.severity(), alert.requirement(), alert.metric()));
        if (alert.actual() != null) {
            line.append(String.format(Locale.ROOT, " actual %s (target %s %s", number(alert.actual()),
                    alert.operator(), number(alert.target())));
            if (alert.goodRatio() != null && alert.alertThreshold() != null) {
                line.append(String.format(Locale.ROOT, "; %.1f%% good, need %.1f%%", alert.goodRatio() * 100,
                        alert.alertThreshold() * 100));
            } else if (alert.alertThreshold() != null) {
                line.append("; alert at ").append(number(alert.alertThreshold()));
            }
            line.append(')');
        }
        if (alert.deviationPercent() != null) {
            line.append(String.format(Locale.ROOT, " deviation %.1f%%", alert.deviationPercent()));
        }
        line.append(" events ").append(alert.events());
        // Sampled spans: the events they stand for, and how many arrived.
        if (alert.spansSeen() != null && alert.spansSeen() != alert.events()) {
            line.append(" (").append(alert.spansSeen()).append(" spans seen)");
        }
        if (alert.resolvedReason() != null) line.append(" [").append(alert.resolvedReason()).append(']');
        if (!alert.sampleTraceIds().isEmpty()) line.append(" trace ").append(alert.sampleTraceIds().get(0));
        return line.toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e12
                ? Long.toString((long) value) : String.format(Locale.ROOT, "%.4g", value);
    }
}

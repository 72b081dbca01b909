package io.homeostat.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the contract writes them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("^\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)\\s*$");

    private Durations() {}

    /**
     * Parses {@code 500ms}/{@code 10s}/{@code 5m}/{@code 1h}/{@code 1d}; ISO-8601 ({@code PT5M}) is accepted too.
     *
     * @throws IllegalArgumentException with a message that names the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration; use e.g. 500ms, 10s, 5m, 1h");
        }
        Matcher m = SIMPLE.matcher(text.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long unitMillis = switch (m.group(2)) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                default -> throw new AssertionError(m.group(2));
            };
            return Duration.ofMillis(Math.round(amount * unitMillis));
        }
        if (text.trim().toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; use e.g. 500ms, 10s, 5m, 1h");
    }

    /** Formats with the largest unit that divides the duration exactly: 300000 ms → {@code 5m}. */
    public static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms != 0 && ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
        if (ms != 0 && ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
        if (ms != 0 && ms % 60_000L == 0) return ms / 60_000L + "m";
        if (ms % 1_000L == 0) return ms / 1_000L + "s";
        return ms + "ms";
    }
}

package io.homeostat.issues;

import java.util.regex.Pattern;

/**
 * Masks what varies between occurrences of the same bug, so they group into one issue: the user's own
 * id, quoted values, UUIDs, e-mail addresses, long hex ids and numbers. {@code "timeout after 2000ms for
 * user user-17"} and {@code "timeout after 1500ms for user user-4242"} both become {@code "timeout after
 * <n>ms for user user-<n>"}. Words stay, so different errors stay apart.
 */
// Implements: REQ-RUNTIME-003 (production issues grouped by normalized message)
public final class MessageNormalizer {
    /** Longer messages are cut before grouping; what follows rarely tells bugs apart. */
    static final int MAX_LENGTH = 500;
    /** Only this much of a message is read at all, which bounds the cost of a huge one. */
    static final int MAX_INPUT = 4 * MAX_LENGTH;

    private static final Pattern QUOTED = Pattern.compile("'[^'\\n]*'|\"[^\"\\n]*\"|`[^`\\n]*`");
    private static final Pattern UUID =
            Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+");
    /** Hex ids (trace ids, hashes, object addresses): eight or more hex digits with at least one digit. */
    private static final Pattern HEX = Pattern.compile("\\b(?:0x)?(?=[0-9a-fA-F]*[0-9])[0-9a-fA-F]{8,}\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private MessageNormalizer() {}

    /**
     * @param message the error message (may be {@code null})
     * @param userId  the occurrence's {@code enduser.id}, masked wherever the message repeats it; may be null
     */
    public static String normalize(String message, String userId) {
        if (message == null || message.isBlank()) return "";
        String text = message.length() > MAX_INPUT ? message.substring(0, MAX_INPUT) : message;
        if (userId != null && userId.length() >= 2) text = text.replace(userId, "<user>");
        // Cheap guards first: most messages have no quotes, no '@' and no long hex run.
        if (text.indexOf('\'') >= 0 || text.indexOf('"') >= 0 || text.indexOf('`') >= 0) {
            text = QUOTED.matcher(text).replaceAll("<str>");
        }
        if (text.indexOf('-') >= 0) text = UUID.matcher(text).replaceAll("<uuid>");
        if (text.indexOf('@') >= 0) text = EMAIL.matcher(text).replaceAll("<email>");
        if (hasHexRun(text)) text = HEX.matcher(text).replaceAll("<hex>");
        text = NUMBER.matcher(text).replaceAll("<n>");
        text = SPACES.matcher(text).replaceAll(" ").trim();
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
    }

    /** Whether the text has eight hex digits in a row, the shortest hex id masked. */
    private static boolean hasHexRun(String text) {
        int run = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            run = hex ? run + 1 : 0;
            if (run >= 8) return true;
        }
        return false;
    }
}

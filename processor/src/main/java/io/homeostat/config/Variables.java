package io.homeostat.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${VAR}}-style variables in configuration values, as the seed's {@code config/observability.yml}
 * uses them ({@code environment: "${ENV}"}), with the shell's and Docker Compose's spellings:
 * {@code ${VAR}} (must be set), {@code ${VAR:-default}} (default when unset or empty),
 * {@code ${VAR-default}} (default when unset) and {@code $$} for a literal {@code $}.
 * A variable that is not set and has no default is an error, never an empty string: a target whose
 * number silently became empty would be worse than a failed apply.
 */
public final class Variables {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\{([^}]*)}|\\$\\{");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** How the message of a variable that is not set begins. */
    public static final String NOT_SET = "environment variable ";
    private final Map<String, String> environment;

    public Variables(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public static boolean mentionsVariable(String text) {
        return text.indexOf('$') >= 0;
    }

    /**
     * @param problems receives one message per variable that cannot be expanded
     * @return the text with every reference replaced (unexpandable ones left as written)
     */
    public String expand(String text, List<String> problems) {
        if (!mentionsVariable(text)) return text;
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String match = m.group();
            String replacement;
            if (match.equals("$$")) {
                replacement = "$";
            } else if (m.group(1) == null) {
                problems.add("unclosed '${' in \"" + text + "\"");
                replacement = match;
            } else {
                replacement = resolve(m.group(1), match, problems);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private String resolve(String body, String reference, List<String> problems) {
        String name = body;
        String fallback = null;
        boolean emptyCountsAsUnset = false;
        int colonDash = body.indexOf(":-");
        int dash = body.indexOf('-');
        if (colonDash >= 0 && colonDash <= dash) {
            name = body.substring(0, colonDash);
            fallback = body.substring(colonDash + 2);
            emptyCountsAsUnset = true;
        } else if (dash >= 0) {
            name = body.substring(0, dash);
            fallback = body.substring(dash + 1);
        }
        if (!NAME.matcher(name).matches()) {
            problems.add("'" + reference + "' is not a variable reference; use ${NAME} or ${NAME:-default}");
            return reference;
        }
        String value = environment.get(name);
        boolean unset = value == null || (emptyCountsAsUnset && value.isEmpty());
        if (!unset) return value;
        if (fallback != null) return fallback;
        problems.add(NOT_SET + name + " is not set (referenced as " + reference
                + "; set it, or write ${" + name + ":-default})");
        return reference;
    }
}

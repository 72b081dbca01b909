package io.homeostat.tagging;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The naming conventions a requirement key, a business rule and a constraint must follow, checked when a
 * {@link Requirement} is built so that a mistyped key fails at once, with its reason, instead of being
 * exported and never matching a target. The defaults are the seed's: {@code REQ-F-AUTH-001},
 * {@code REQ-NFR-PERF-001}, {@code BR-001}, {@code C-001} (upper-case words and digits joined by hyphens).
 *
 * <p>Each pattern can be replaced for a whole JVM with a system property or environment variable:
 * {@code homeostat.tagging.requirement-pattern} ({@code HOMEOSTAT_TAGGING_REQUIREMENT_PATTERN}),
 * {@code homeostat.tagging.business-rule-pattern}, {@code homeostat.tagging.constraint-pattern}; or per
 * requirement with {@link Requirement#of(String, RequirementKeys)}.
 */
public final class RequirementKeys {
    public static final String DEFAULT_REQUIREMENT_PATTERN = "REQ-[A-Z0-9]+(-[A-Z0-9]+)*";
    public static final String DEFAULT_BUSINESS_RULE_PATTERN = "BR-[A-Z0-9]+(-[A-Z0-9]+)*";
    public static final String DEFAULT_CONSTRAINT_PATTERN = "C-[A-Z0-9]+(-[A-Z0-9]+)*";

    static final String REQUIREMENT_PROPERTY = "homeostat.tagging.requirement-pattern";
    static final String BUSINESS_RULE_PROPERTY = "homeostat.tagging.business-rule-pattern";
    static final String CONSTRAINT_PROPERTY = "homeostat.tagging.constraint-pattern";

    private static final RequirementKeys DEFAULTS = new RequirementKeys(DEFAULT_REQUIREMENT_PATTERN,
            DEFAULT_BUSINESS_RULE_PATTERN, DEFAULT_CONSTRAINT_PATTERN);
    private static volatile RequirementKeys configured;

    private final Pattern requirement;
    private final Pattern businessRule;
    private final Pattern constraint;

    private RequirementKeys(String requirement, String businessRule, String constraint) {
        this.requirement = compile(requirement, "requirement");
        this.businessRule = compile(businessRule, "business rule");
        this.constraint = compile(constraint, "constraint");
    }

    /** The seed's conventions: {@code REQ-*}, {@code BR-*}, {@code C-*}. */
    public static RequirementKeys defaults() {
        return DEFAULTS;
    }

    /** Conventions of your own; each pattern must match a whole key. */
    public static RequirementKeys of(String requirementPattern, String businessRulePattern, String constraintPattern) {
        return new RequirementKeys(requirementPattern, businessRulePattern, constraintPattern);
    }

    /** The conventions of this JVM: the defaults, or the system properties / environment variables above. */
    public static RequirementKeys configured() {
        RequirementKeys keys = configured;
        if (keys == null) {
            keys = new RequirementKeys(setting(REQUIREMENT_PROPERTY, DEFAULT_REQUIREMENT_PATTERN),
                    setting(BUSINESS_RULE_PROPERTY, DEFAULT_BUSINESS_RULE_PATTERN),
                    setting(CONSTRAINT_PROPERTY, DEFAULT_CONSTRAINT_PATTERN));
            configured = keys;
        }
        return keys;
    }

    /** @throws IllegalArgumentException when {@code key} is not a requirement key */
    public String requirement(String key) {
        return check(key, requirement, "requirement", "REQ-F-AUTH-001", REQUIREMENT_PROPERTY);
    }

    /** @throws IllegalArgumentException when {@code key} is not a business rule key */
    public String businessRule(String key) {
        return check(key, businessRule, "business rule", "BR-001", BUSINESS_RULE_PROPERTY);
    }

    /** @throws IllegalArgumentException when {@code key} is not a constraint key */
    public String constraint(String key) {
        return check(key, constraint, "constraint", "C-001", CONSTRAINT_PROPERTY);
    }

    public boolean isRequirement(String key) {
        return key != null && requirement.matcher(key).matches();
    }

    private static String check(String key, Pattern pattern, String what, String example, String property) {
        if (key == null || !pattern.matcher(key).matches()) {
            throw new IllegalArgumentException("invalid " + what + " key " + (key == null ? "null" : "\"" + key + "\"")
                    + ": it must match " + pattern.pattern() + " (e.g. " + example + "); set " + property
                    + " (or " + envName(property) + ") to use another convention");
        }
        return key;
    }

    private static Pattern compile(String regex, String what) {
        Objects.requireNonNull(regex, what + " pattern");
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid " + what + " key pattern \"" + regex + "\": " + e.getDescription(), e);
        }
    }

    static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) value = System.getenv(envName(property));
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    static String envName(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }
}

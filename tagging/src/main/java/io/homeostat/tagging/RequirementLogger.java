package io.homeostat.tagging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The seed's {@code RequirementLogger} for SLF4J: every line carries its requirement, so that the
 * OpenTelemetry Logback or Log4j appender (or the Java agent's) exports it as log record attributes and
 * Homeostat traces an ERROR line to its requirement as a production issue.
 *
 * <pre>{@code
 * private final RequirementLogger log = RequirementLogger.of(LoggerFactory.getLogger(AuthenticationService.class), "REQ-F-AUTH-001");
 *
 * log.warning("Login failed: invalid email", "email", email, "business_rule", "BR-001");
 * log.info("Login successful", "user_id", user.id());
 * log.error("Session store unavailable", error, "user_id", user.id());
 * }</pre>
 *
 * <p>Key-values (the seed's keyword arguments) are SLF4J 2 key-value pairs: the OpenTelemetry Logback
 * appender exports them with {@code captureKeyValuePairAttributes}, the Log4j 2 SLF4J binding turns them into
 * context data that the OpenTelemetry Log4j appender exports with {@code captureContextDataAttributes}. Each
 * line carries {@code requirement} (and the requirement's {@code business_rules} and {@code constraints});
 * a {@code business_rule} key-value also becomes the line's {@code business_rules}, so that an issue opened
 * from it names the rule. A logger made without a requirement ({@link #of(Logger)}) tags each line with the
 * requirement current when it is written.
 *
 * <p>{@link #scope(Requirement)} puts the requirement into the MDC for a block, so that plain SLF4J lines in
 * it carry it too (appenders export MDC entries with {@code captureMdcAttributes} /
 * {@code captureContextDataAttributes}).
 */
// Implements: REQ-RUNTIME-001 (logs tagged with REQ-* keys)
public final class RequirementLogger {
    private final Logger logger;
    private final Requirement requirement;

    private RequirementLogger(Logger logger, Requirement requirement) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.requirement = requirement;
    }

    /** The seed's {@code RequirementLogger(logger, "REQ-F-AUTH-001")}. */
    public static RequirementLogger of(Logger logger, String requirement) {
        return new RequirementLogger(logger, Requirement.of(requirement));
    }

    public static RequirementLogger of(Logger logger, Requirement requirement) {
        return new RequirementLogger(logger, Objects.requireNonNull(requirement, "requirement"));
    }

    /** A logger that tags each line with the requirement current when it is written (none outside one). */
    public static RequirementLogger of(Logger logger) {
        return new RequirementLogger(logger, null);
    }

    public Logger logger() {
        return logger;
    }

    /** INFO, with key-values {@code "key", value, "key", value, ...}. */
    public void info(String message, Object... keyValues) {
        log(Level.INFO, message, null, keyValues);
    }

    /** WARN (the seed's {@code warning}). */
    public void warning(String message, Object... keyValues) {
        log(Level.WARN, message, null, keyValues);
    }

    /** WARN, SLF4J's name. */
    public void warn(String message, Object... keyValues) {
        log(Level.WARN, message, null, keyValues);
    }

    /** ERROR: inside Homeostat, a production issue of this line's requirement. */
    public void error(String message, Object... keyValues) {
        log(Level.ERROR, message, null, keyValues);
    }

    /** ERROR with its exception (exported as {@code exception.type}, {@code exception.message}, {@code exception.stacktrace}). */
    public void error(String message, Throwable error, Object... keyValues) {
        log(Level.ERROR, message, error, keyValues);
    }

    /** Writes one line at {@code level}; {@code keyValues} alternate names and values (a name without value logs {@code null}). */
    public void log(Level level, String message, Throwable error, Object... keyValues) {
        if (!logger.isEnabledForLevel(level)) return;
        LoggingEventBuilder event = logger.atLevel(level).setMessage(message);
        if (error != null) event = event.setCause(error);
        for (Map.Entry<String, Object> entry : tags(keyValues).entrySet()) {
            event = event.addKeyValue(entry.getKey(), entry.getValue());
        }
        event.log();
    }

    /** The line's key-values: the requirement's tags, then the caller's, which win. */
    Map<String, Object> tags(Object... keyValues) {
        Map<String, Object> tags = new LinkedHashMap<>();
        Requirement tagged = requirement != null ? requirement : Requirement.current().orElse(null);
        if (tagged != null) {
            tagged.attributes().forEach((key, value) -> tags.put(key.getKey(), value));
        }
        if (keyValues != null) {
            for (int i = 0; i < keyValues.length; i += 2) {
                String name = String.valueOf(keyValues[i]);
                Object value = i + 1 < keyValues.length ? keyValues[i + 1] : null;
                tags.put(name, value);
                if (name.equals(RequirementAttributes.BUSINESS_RULE.getKey()) && value != null) {
                    tags.put(RequirementAttributes.BUSINESS_RULES.getKey(), value);
                }
            }
        }
        return tags;
    }

    /**
     * Puts {@code requirement}, {@code business_rules} and {@code constraints} into the SLF4J MDC until the
     * returned scope closes (on the same thread), restoring what was there before.
     */
    public static MdcScope scope(Requirement requirement) {
        Objects.requireNonNull(requirement, "requirement");
        List<String[]> previous = new ArrayList<>();
        requirement.attributes().forEach((key, value) -> {
            previous.add(new String[] {key.getKey(), MDC.get(key.getKey())});
            MDC.put(key.getKey(), String.valueOf(value));
        });
        for (String name : List.of(RequirementAttributes.BUSINESS_RULES.getKey(), RequirementAttributes.CONSTRAINTS.getKey())) {
            if (previous.stream().noneMatch(p -> p[0].equals(name)) && MDC.get(name) != null) {
                previous.add(new String[] {name, MDC.get(name)});
                MDC.remove(name); // an outer scope's rules are not this requirement's
            }
        }
        return new MdcScope(previous);
    }

    /** An MDC scope; closing it restores the MDC entries it replaced. */
    public static final class MdcScope implements AutoCloseable {
        private final List<String[]> previous;
        private boolean closed;

        private MdcScope(List<String[]> previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            for (String[] entry : previous) {
                if (entry[1] == null) MDC.remove(entry[0]);
                else MDC.put(entry[0], entry[1]);
            }
        }
    }
}

package io.homeostat.tagging.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as implementing a requirement: the seed's {@code @with_telemetry(requirement=...,
 * business_rules=[...], constraints=[...])}. With the OpenTelemetry Java agent and Homeostat's agent
 * extension ({@code -Dotel.javaagent.extensions=homeostat-tagging-agent.jar}) every call runs as
 * {@link io.homeostat.tagging.Requirement#call} runs it: a span {@code REQ-…:method} with
 * {@code requirement}, {@code function}, {@code business_rules}, {@code constraints}, status OK/ERROR with the
 * exception recorded, the latency histogram, and the requirement current for everything inside.
 *
 * <p>Keys are checked on the first call; a key that breaks the conventions ({@code REQ-*}, {@code BR-*},
 * {@code C-*}) leaves the method untagged and is reported once, as a warning, in the application's
 * {@code java.util.logging} log.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Requirement {
    /** The requirement key, e.g. {@code REQ-F-AUTH-001}. */
    String value();

    /** Business rule keys, e.g. {@code {"BR-001", "BR-002"}}. */
    String[] businessRules() default {};

    /** Constraint keys, e.g. {@code {"C-001"}}. */
    String[] constraints() default {};
}

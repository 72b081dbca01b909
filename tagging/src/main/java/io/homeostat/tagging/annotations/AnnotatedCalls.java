package io.homeostat.tagging.annotations;

import io.homeostat.tagging.RequirementCall;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the agent extension's advice calls around a method annotated with {@link Requirement}: it runs in the
 * application, with the application's OpenTelemetry API (which the agent bridges to its SDK), so the advice
 * passes only a {@link Method} and gets back a {@link RequirementCall}. Each method's annotation is read and
 * checked once.
 */
public final class AnnotatedCalls {
    private static final Logger LOG = Logger.getLogger(AnnotatedCalls.class.getName());
    private static final ClassValue<Map<Method, Optional<io.homeostat.tagging.Requirement>>> REQUIREMENTS = new ClassValue<>() {
        @Override
        protected Map<Method, Optional<io.homeostat.tagging.Requirement>> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private AnnotatedCalls() {}

    /** Begins the call of {@code method}; {@code null} when it carries no (valid) {@code @Requirement}. */
    public static RequirementCall begin(Method method) {
        if (method == null) return null;
        Optional<io.homeostat.tagging.Requirement> requirement = REQUIREMENTS.get(method.getDeclaringClass())
                .computeIfAbsent(method, AnnotatedCalls::read);
        return requirement.map(r -> r.begin(method.getName())).orElse(null);
    }

    /** Ends a call begun by {@link #begin(Method)} ({@code null} is ignored). */
    public static void end(RequirementCall call, Throwable error) {
        if (call != null) call.end(error);
    }

    /** The requirement {@code method}'s annotation names, checked; empty (and warned once) when it is invalid. */
    public static Optional<io.homeostat.tagging.Requirement> read(Method method) {
        Requirement annotation = method.getAnnotation(Requirement.class);
        if (annotation == null) return Optional.empty();
        try {
            return Optional.of(io.homeostat.tagging.Requirement.of(annotation.value())
                    .businessRules(annotation.businessRules())
                    .constraints(annotation.constraints()));
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "@Requirement on " + method.getDeclaringClass().getName() + "." + method.getName()
                    + " is ignored, the method runs untagged: " + e.getMessage());
            return Optional.empty();
        }
    }
}

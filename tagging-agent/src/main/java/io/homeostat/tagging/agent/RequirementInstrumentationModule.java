package io.homeostat.tagging.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;

import io.opentelemetry.javaagent.extension.instrumentation.InstrumentationModule;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import java.util.List;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Honours {@code @io.homeostat.tagging.annotations.Requirement} in applications that have the tagging library:
 * disable with {@code -Dotel.instrumentation.homeostat-requirement.enabled=false}.
 */
public final class RequirementInstrumentationModule extends InstrumentationModule {
    static final String ANNOTATION = "io.homeostat.tagging.annotations.Requirement";
    /** The application-side entry point the advice calls (in the application's copy of the library). */
    static final String CALLS = "io.homeostat.tagging.annotations.AnnotatedCalls";

    public RequirementInstrumentationModule() {
        super("homeostat-requirement", "homeostat-tagging");
    }

    @Override
    public ElementMatcher.Junction<ClassLoader> classLoaderMatcher() {
        return hasClassesNamed(ANNOTATION, CALLS);
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return List.of(new RequirementInstrumentation());
    }

    @Override
    public int order() {
        // After the agent's own instrumentations (its @WithSpan runs at 1000): a method that is both
        // @WithSpan and @Requirement gets the requirement's span inside the other.
        return 1001;
    }
}

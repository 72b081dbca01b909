package io.homeostat.tagging.agent;

import static io.opentelemetry.javaagent.extension.matcher.AgentElementMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;

import io.homeostat.tagging.RequirementCall;
import io.homeostat.tagging.annotations.AnnotatedCalls;
import io.opentelemetry.javaagent.extension.instrumentation.TypeInstrumentation;
import io.opentelemetry.javaagent.extension.instrumentation.TypeTransformer;
import java.lang.reflect.Method;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Wraps every method annotated with {@code @Requirement} as {@code Requirement.call} wraps a function. The
 * advice is inlined into the application's method and calls {@link AnnotatedCalls} in the application's own
 * copy of the tagging library, which records through the application's OpenTelemetry API (bridged by the
 * agent to its SDK): one implementation of the seed's decorator for both styles.
 */
final class RequirementInstrumentation implements TypeInstrumentation {
    private static final ElementMatcher.Junction<MethodDescription> ANNOTATED =
            isMethod().and(not(isAbstract())).and(isAnnotatedWith(named(RequirementInstrumentationModule.ANNOTATION)));

    @Override
    public ElementMatcher<ClassLoader> classLoaderOptimization() {
        return hasClassesNamed(RequirementInstrumentationModule.ANNOTATION);
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return declaresMethod(ANNOTATED);
    }

    @Override
    public void transform(TypeTransformer transformer) {
        transformer.applyAdviceToMethod(ANNOTATED, RequirementInstrumentation.class.getName() + "$RequirementAdvice");
    }

    @SuppressWarnings("unused")
    public static final class RequirementAdvice {
        private RequirementAdvice() {}

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static RequirementCall onEnter(@Advice.Origin Method method) {
            return AnnotatedCalls.begin(method);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void onExit(@Advice.Enter RequirementCall call, @Advice.Thrown Throwable error) {
            AnnotatedCalls.end(call, error);
        }
    }
}

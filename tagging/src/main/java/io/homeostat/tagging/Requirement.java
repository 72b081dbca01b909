package io.homeostat.tagging;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A requirement, its business rules and constraints, and what the seed's {@code @with_telemetry} decorator
 * does around a function that implements them:
 *
 * <pre>{@code
 * private static final Requirement LOGIN = Requirement.of("REQ-F-AUTH-001")
 *         .businessRules("BR-001", "BR-002", "BR-003")
 *         .constraints("C-001")
 *         .latencyHistogram("login_latency_ms", "ms");
 *
 * LoginResult login(String email, String password) {
 *     return LOGIN.call("login", () -> authenticate(email, password));
 * }
 * }</pre>
 *
 * <p>{@link #call} and {@link #run} start a span named {@code REQ-F-AUTH-001:login} with the attributes
 * {@code requirement}, {@code function}, {@code business_rules} and {@code constraints} (comma-separated, as
 * the seed writes them), make it and the requirement current in the OpenTelemetry {@link Context}, run the
 * work, set status OK, or ERROR with the exception's message and {@code recordException} when it throws
 * (the exception is rethrown unchanged), and record the elapsed milliseconds in a histogram (default
 * {@value #DEFAULT_HISTOGRAM} in {@code ms}) with the same attributes. Everything started inside inherits the
 * requirement: spans and log records through the SDK processors in {@code io.homeostat.tagging.sdk} (or the
 * agent extension), metrics through {@link RequirementAttributes#current(Attributes)}, log lines through
 * {@link RequirementLogger}. With {@link #propagateInBaggage()}, the requirement also travels in W3C
 * {@link Baggage} to the services this one calls.
 *
 * <p>Instances are immutable and thread-safe; keep them in constants. Keys are checked when built
 * ({@link RequirementKeys}): {@code Requirement.of("REQ_AUTH")} throws with the convention it breaks.
 */
// Implements: REQ-RUNTIME-001 (telemetry tagged with REQ-* keys)
public final class Requirement {
    /** The histogram the seed's decorator records into when none is configured. */
    public static final String DEFAULT_HISTOGRAM = "requirement.duration";
    public static final String DEFAULT_HISTOGRAM_UNIT = "ms";
    /** The instrumentation scope of the spans and the histogram. */
    public static final String INSTRUMENTATION_SCOPE = "io.homeostat.tagging";

    static final ContextKey<Requirement> CONTEXT_KEY = ContextKey.named("homeostat-requirement");
    static final String HISTOGRAM_PROPERTY = "homeostat.tagging.histogram";
    static final String HISTOGRAM_UNIT_PROPERTY = "homeostat.tagging.histogram-unit";
    static final String BAGGAGE_PROPERTY = "homeostat.tagging.baggage";

    private final String key;
    private final List<String> businessRules;
    private final List<String> constraints;
    private final RequirementKeys keys;
    private final String histogramName;
    private final String histogramUnit;
    private final List<Double> histogramBuckets;
    private final OpenTelemetry openTelemetry;
    private final boolean baggage;
    private final Attributes attributes;
    /** Span and metric attributes per function name (a handful per requirement). */
    private final ConcurrentHashMap<String, Attributes> callAttributes = new ConcurrentHashMap<>();
    private volatile Instruments instruments;

    private Requirement(String key, List<String> businessRules, List<String> constraints, RequirementKeys keys,
                        String histogramName, String histogramUnit, List<Double> histogramBuckets,
                        OpenTelemetry openTelemetry, boolean baggage) {
        this.key = key;
        this.businessRules = businessRules;
        this.constraints = constraints;
        this.keys = keys;
        this.histogramName = histogramName;
        this.histogramUnit = histogramUnit;
        this.histogramBuckets = histogramBuckets;
        this.openTelemetry = openTelemetry;
        this.baggage = baggage;
        AttributesBuilder builder = Attributes.builder().put(RequirementAttributes.REQUIREMENT, key);
        if (!businessRules.isEmpty()) builder.put(RequirementAttributes.BUSINESS_RULES, String.join(",", businessRules));
        if (!constraints.isEmpty()) builder.put(RequirementAttributes.CONSTRAINTS, String.join(",", constraints));
        this.attributes = builder.build();
    }

    /**
     * A requirement checked against this JVM's key conventions ({@link RequirementKeys#configured()}).
     *
     * @throws IllegalArgumentException when {@code key} is not a requirement key ({@code REQ-*})
     */
    public static Requirement of(String key) {
        return of(key, RequirementKeys.configured());
    }

    /** A requirement checked against {@code keys}. */
    public static Requirement of(String key, RequirementKeys keys) {
        Objects.requireNonNull(keys, "keys");
        return new Requirement(keys.requirement(key), List.of(), List.of(), keys,
                RequirementKeys.setting(HISTOGRAM_PROPERTY, DEFAULT_HISTOGRAM),
                RequirementKeys.setting(HISTOGRAM_UNIT_PROPERTY, DEFAULT_HISTOGRAM_UNIT), null, null,
                Boolean.parseBoolean(RequirementKeys.setting(BAGGAGE_PROPERTY, "false")));
    }

    /** The same requirement with these business rules ({@code BR-*}), replacing any before. */
    public Requirement businessRules(String... rules) {
        List<String> checked = Arrays.stream(rules).map(keys::businessRule).distinct().toList();
        return new Requirement(key, checked, constraints, keys, histogramName, histogramUnit, histogramBuckets, openTelemetry, baggage);
    }

    /** The same requirement with these constraints ({@code C-*}), replacing any before. */
    public Requirement constraints(String... constraintKeys) {
        List<String> checked = Arrays.stream(constraintKeys).map(keys::constraint).distinct().toList();
        return new Requirement(key, businessRules, checked, keys, histogramName, histogramUnit, histogramBuckets, openTelemetry, baggage);
    }

    /**
     * Records each call's latency into the histogram {@code name} with {@code unit} (the seed's
     * {@code login_latency_ms}, {@code ms}). The value is in milliseconds whatever the unit says. The default
     * ({@value #DEFAULT_HISTOGRAM}) can also be set with {@code homeostat.tagging.histogram} /
     * {@code homeostat.tagging.histogram-unit} (or {@code HOMEOSTAT_TAGGING_HISTOGRAM}...).
     */
    public Requirement latencyHistogram(String name, String unit) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("histogram name must not be blank");
        return new Requirement(key, businessRules, constraints, keys, name.trim(), unit == null ? "" : unit,
                histogramBuckets, openTelemetry, baggage);
    }

    /** Bucket boundaries (milliseconds) advised to the SDK for the latency histogram, e.g. the seed's 50..2000. */
    public Requirement latencyBuckets(double... boundaries) {
        List<Double> buckets = Arrays.stream(boundaries).boxed().toList();
        for (int i = 1; i < buckets.size(); i++) {
            if (!(buckets.get(i) > buckets.get(i - 1))) throw new IllegalArgumentException("bucket boundaries must increase: " + buckets);
        }
        return new Requirement(key, businessRules, constraints, keys, histogramName, histogramUnit, buckets, openTelemetry, baggage);
    }

    /** No latency histogram: only the span (for a requirement measured by its spans or its own metrics). */
    public Requirement withoutLatencyHistogram() {
        return new Requirement(key, businessRules, constraints, keys, null, null, histogramBuckets, openTelemetry, baggage);
    }

    /** Records with {@code openTelemetry} instead of {@link GlobalOpenTelemetry} (the agent's, when it runs). */
    public Requirement openTelemetry(OpenTelemetry openTelemetry) {
        return new Requirement(key, businessRules, constraints, keys, histogramName, histogramUnit, histogramBuckets,
                Objects.requireNonNull(openTelemetry, "openTelemetry"), baggage);
    }

    /**
     * Also puts {@code requirement}, {@code business_rules} and {@code constraints} into the W3C {@link Baggage}
     * while a call runs, so that the services it calls (with the {@code baggage} propagator, the SDK's and
     * agent's default) tag their telemetry with it too. Off by default: baggage leaves the process, in the
     * headers of every outgoing request. Default for a JVM: {@code homeostat.tagging.baggage=true}.
     */
    public Requirement propagateInBaggage() {
        return new Requirement(key, businessRules, constraints, keys, histogramName, histogramUnit, histogramBuckets, openTelemetry, true);
    }

    public String key() {
        return key;
    }

    public List<String> businessRules() {
        return businessRules;
    }

    public List<String> constraints() {
        return constraints;
    }

    /** {@code requirement}, and {@code business_rules} / {@code constraints} when there are any. */
    public Attributes attributes() {
        return attributes;
    }

    /** The requirement current in {@code context}: the innermost call's, else one that arrived in Baggage. */
    public static Optional<Requirement> fromContext(Context context) {
        Requirement own = context.get(CONTEXT_KEY);
        return own != null ? Optional.of(own) : fromBaggage(context);
    }

    /** The requirement of the innermost {@code run}/{@code call} in this process that {@code context} is in. */
    public static Optional<Requirement> calledIn(Context context) {
        return Optional.ofNullable(context.get(CONTEXT_KEY));
    }

    /** The requirement a caller put into {@code context}'s W3C Baggage ({@link #propagateInBaggage()}). */
    public static Optional<Requirement> fromBaggage(Context context) {
        return RequirementBaggage.fromBaggage(Baggage.fromContext(context));
    }

    /** The requirement current on this thread, if any. */
    public static Optional<Requirement> current() {
        return fromContext(Context.current());
    }

    /** {@code context} with this requirement current in it (and in its Baggage, when propagated). */
    public Context storeIn(Context context) {
        Context with = context.with(CONTEXT_KEY, this);
        return baggage ? with.with(RequirementBaggage.put(Baggage.fromContext(with), this)) : with;
    }

    /** Runs {@code work} as the seed's decorator runs a function; the function is named by its caller's method. */
    public <E extends Throwable> void run(ThrowingRunnable<E> work) throws E {
        run(callerMethod(), work);
    }

    /** Runs {@code work} as the seed's decorator runs {@code function}. */
    public <E extends Throwable> void run(String function, ThrowingRunnable<E> work) throws E {
        call(function, () -> {
            work.run();
            return null;
        });
    }

    /** Calls {@code work} as the seed's decorator calls a function; the function is named by its caller's method. */
    public <T, E extends Throwable> T call(ThrowingSupplier<T, E> work) throws E {
        return call(callerMethod(), work);
    }

    /** Calls {@code work} as the seed's decorator calls {@code function}, and returns its result. */
    public <T, E extends Throwable> T call(String function, ThrowingSupplier<T, E> work) throws E {
        RequirementCall call = begin(function);
        try {
            T result = work.get();
            call.end(null);
            return result;
        } catch (Throwable error) {
            call.end(error);
            throw error;
        }
    }

    /**
     * Starts a call by hand, for code that cannot pass a lambda (frameworks, the agent extension): the span is
     * started and current until {@link RequirementCall#end(Throwable)}, which must run on the same thread.
     */
    public RequirementCall begin(String function) {
        if (function == null || function.isBlank()) throw new IllegalArgumentException("function name must not be blank");
        Instruments in = instruments();
        Attributes callAttributes = attributesFor(function);
        Context parent = Context.current();
        Span span = in.tracer.spanBuilder(key + ":" + function).setParent(parent).setAllAttributes(callAttributes).startSpan();
        return new RequirementCall(span, storeIn(parent.with(span)).makeCurrent(), in.histogram, callAttributes, System.nanoTime());
    }

    Attributes attributesFor(String function) {
        return callAttributes.computeIfAbsent(function,
                f -> attributes.toBuilder().put(RequirementAttributes.FUNCTION, f).build());
    }

    private Instruments instruments() {
        OpenTelemetry otel = openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.getOrNoop();
        Instruments in = instruments;
        if (in == null || in.openTelemetry != otel) {
            // Built once per OpenTelemetry instance: the global one may be set after this constant was made.
            Tracer tracer = otel.getTracer(INSTRUMENTATION_SCOPE);
            DoubleHistogram histogram = null;
            if (histogramName != null) {
                DoubleHistogramBuilder builder = otel.getMeter(INSTRUMENTATION_SCOPE).histogramBuilder(histogramName)
                        .setUnit(histogramUnit).setDescription("Latency of the calls implementing a requirement");
                if (histogramBuckets != null) builder.setExplicitBucketBoundariesAdvice(histogramBuckets);
                histogram = builder.build();
            }
            in = new Instruments(otel, tracer, histogram);
            instruments = in;
        }
        return in;
    }

    private static String callerMethod() {
        // Frame 0 is this method, 1 the run/call overload, 2 the caller's method.
        return StackWalker.getInstance().walk(frames -> frames.skip(2).findFirst()
                .map(StackWalker.StackFrame::getMethodName).orElse("call"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Requirement r && r.key.equals(key) && r.businessRules.equals(businessRules)
                && r.constraints.equals(constraints);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, businessRules, constraints);
    }

    @Override
    public String toString() {
        return key + (businessRules.isEmpty() ? "" : " " + businessRules) + (constraints.isEmpty() ? "" : " " + constraints);
    }

    private record Instruments(OpenTelemetry openTelemetry, Tracer tracer, DoubleHistogram histogram) {}

    /** A {@link Runnable} that may throw {@code E}. */
    @FunctionalInterface
    public interface ThrowingRunnable<E extends Throwable> {
        void run() throws E;
    }

    /** A {@link java.util.function.Supplier} that may throw {@code E}. */
    @FunctionalInterface
    public interface ThrowingSupplier<T, E extends Throwable> {
        T get() throws E;
    }

    /** Status ERROR's description: the exception's message, as the seed's {@code str(e)}, else its type. */
    static String describe(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getName() : message;
    }

    static void fail(Span span, Throwable error) {
        span.setStatus(StatusCode.ERROR, describe(error));
        span.recordException(error);
    }
}

package io.homeostat.testing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The seed's customer portal, simulated for the processor's tests with synthetic timestamps (a minute of
 * traffic in a moment; the demo runs the real example service in examples/login-service instead): each login
 * is a server span {@code POST /login} tagged with the
 * latency requirement REQ-NFR-PERF-001 and constraint C-001, and a child span
 * {@code AuthenticationService.login} tagged with REQ-F-AUTH-001 and its business rules, failing with a
 * recorded exception now and then — what the seed's {@code @with_telemetry} decorator records. With a
 * meter it also records the seed's metrics: {@code login_latency_ms} (histogram, the seed's buckets) and
 * {@code login_attempts} (counter by {@code status}).
 */
public final class LoginTraffic {
    /** How the service behaves in a phase: log-normal latency and a failure probability. */
    public record Behaviour(String name, double medianLatencyMs, double latencySigma, double failureRate) {
        public static Behaviour healthy() {
            return new Behaviour("healthy", 120, 0.5, 0.002);
        }

        public static Behaviour degraded() {
            return new Behaviour("degraded", 420, 0.6, 0.06);
        }
    }

    static final AttributeKey<String> REQUIREMENT = AttributeKey.stringKey("requirement");
    static final AttributeKey<String> BUSINESS_RULES = AttributeKey.stringKey("business_rules");
    static final AttributeKey<String> CONSTRAINTS = AttributeKey.stringKey("constraints");

    /** The seed's {@code login_latency_ms} buckets. */
    public static final java.util.List<Double> LATENCY_BUCKETS = java.util.List.of(50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0);

    private final Tracer tracer;
    private final SplittableRandom random;
    private final DoubleHistogram latency;
    private final LongCounter attempts;
    private long logins;

    public LoginTraffic(Tracer tracer, long seed) {
        this(tracer, null, seed);
    }

    /** @param meter records the seed's metrics too, when not {@code null} */
    public LoginTraffic(Tracer tracer, Meter meter, long seed) {
        this.tracer = tracer;
        this.random = new SplittableRandom(seed);
        this.latency = meter == null ? null : meter.histogramBuilder("login_latency_ms").setUnit("ms")
                .setDescription("Login response time in milliseconds")
                .setExplicitBucketBoundariesAdvice(LATENCY_BUCKETS).build();
        this.attempts = meter == null ? null : meter.counterBuilder("login_attempts")
                .setDescription("Number of login attempts").build();
    }

    /** Records one login that ended at {@code end}; returns whether it failed. */
    public boolean login(Behaviour behaviour, Instant end) {
        logins++;
        double latencyMs = behaviour.medianLatencyMs() * Math.exp(behaviour.latencySigma() * gaussian());
        boolean failed = random.nextDouble() < behaviour.failureRate();
        long endNanos = end.getEpochSecond() * 1_000_000_000L + end.getNano();
        long startNanos = endNanos - (long) (latencyMs * 1_000_000);
        String user = "user-" + random.nextInt(5_000);

        Span request = tracer.spanBuilder("POST /login").setSpanKind(SpanKind.SERVER)
                .setStartTimestamp(startNanos, TimeUnit.NANOSECONDS)
                .setAllAttributes(Attributes.of(REQUIREMENT, "REQ-NFR-PERF-001", CONSTRAINTS, "C-001",
                        AttributeKey.stringKey("http.request.method"), "POST",
                        AttributeKey.stringKey("http.route"), "/login"))
                .startSpan();
        Span login = tracer.spanBuilder("REQ-F-AUTH-001:login").setParent(Context.current().with(request))
                .setStartTimestamp(startNanos + 1_000_000, TimeUnit.NANOSECONDS)
                .setAllAttributes(Attributes.of(REQUIREMENT, "REQ-F-AUTH-001", BUSINESS_RULES, "BR-001,BR-002,BR-003",
                        CONSTRAINTS, "C-001", AttributeKey.stringKey("enduser.id"), user,
                        AttributeKey.stringKey("function"), "login"))
                .startSpan();
        if (failed) {
            IllegalStateException error = new IllegalStateException(
                    "Session store unavailable: timeout after 2000ms for user " + user);
            login.recordException(error);
            login.setStatus(StatusCode.ERROR, error.getMessage());
        } else {
            login.setStatus(StatusCode.OK);
        }
        login.end(endNanos - 1_000_000, TimeUnit.NANOSECONDS);
        request.setAttribute(AttributeKey.longKey("http.response.status_code"), failed ? 500L : 200L);
        if (failed) request.setStatus(StatusCode.ERROR);
        request.end(endNanos, TimeUnit.NANOSECONDS);
        if (latency != null) {
            latency.record(latencyMs, Attributes.of(REQUIREMENT, "REQ-NFR-PERF-001", CONSTRAINTS, "C-001"));
            attempts.add(1, Attributes.of(REQUIREMENT, "REQ-F-AUTH-001",
                    AttributeKey.stringKey("status"), failed ? "failure" : "success"));
        }
        return failed;
    }

    public long logins() {
        return logins;
    }

    /** Standard normal deviate (Box–Muller). */
    private double gaussian() {
        double u1 = Math.max(1e-12, random.nextDouble());
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}

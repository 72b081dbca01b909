package io.homeostat.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Spans shaped like those an instrumented HTTP service exports through the OpenTelemetry Java agent:
 * resource attributes of the SDK and host, an instrumentation scope, the HTTP semantic-convention
 * attributes, a user agent, and on errors a status message and an {@code exception} event with a stack
 * trace. Requirement {@code i} belongs to service {@code i % services}; its latency is log-normal around
 * its own median (5 to 400 ms).
 */
public final class SpanFactory {
    public static final String REQUIREMENT_PREFIX = "REQ-BENCH-";
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};
    private static final String[] THINGS = {"orders", "carts", "users", "sessions", "payments", "invoices", "products",
        "search", "inventory", "shipments", "reviews", "coupons"};
    private static final String USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    private static final String STACK = """
            java.lang.IllegalStateException: upstream declined the request
            \tat com.example.shop.payments.PaymentClient.charge(PaymentClient.java:118)
            \tat com.example.shop.checkout.CheckoutService.placeOrder(CheckoutService.java:87)
            \tat com.example.shop.checkout.CheckoutController.checkout(CheckoutController.java:42)
            \tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
            \tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
            """;

    private final int requirements;
    private final int services;
    private final String[] requirementKeys;
    private final String[] names;
    private final String[] routes;
    private final String[] methods;
    private final double[] medianMs;
    private final Resource[] resources;
    private final InstrumentationScope scope;

    public SpanFactory(int requirements, int services) {
        this.requirements = requirements;
        this.services = Math.max(1, Math.min(services, requirements));
        requirementKeys = new String[requirements];
        names = new String[requirements];
        routes = new String[requirements];
        methods = new String[requirements];
        medianMs = new double[requirements];
        for (int i = 0; i < requirements; i++) {
            requirementKeys[i] = requirementKey(i);
            methods[i] = METHODS[i % METHODS.length];
            routes[i] = "/api/v1/" + THINGS[i % THINGS.length] + "/" + (i / THINGS.length) + "/{id}";
            names[i] = methods[i] + " " + routes[i];
            // 5 ms .. 400 ms, spread log-uniformly over the keys by a fixed permutation
            medianMs[i] = 5.0 * Math.pow(80.0, ((i * 37L) % requirements) / (double) Math.max(1, requirements - 1));
        }
        resources = new Resource[this.services];
        for (int s = 0; s < this.services; s++) {
            resources[s] = Resource.newBuilder()
                    .addAttributes(text("service.name", "shop-service-" + s))
                    .addAttributes(text("service.version", "2.14." + s))
                    .addAttributes(text("service.namespace", "shop"))
                    .addAttributes(text("deployment.environment.name", "production"))
                    .addAttributes(text("host.name", "ip-10-0-" + s + "-17.eu-west-1.compute.internal"))
                    .addAttributes(text("telemetry.sdk.name", "opentelemetry"))
                    .addAttributes(text("telemetry.sdk.language", "java"))
                    .addAttributes(text("telemetry.sdk.version", "1.68.0"))
                    .addAttributes(integer("process.pid", 4000 + s))
                    .build();
        }
        scope = InstrumentationScope.newBuilder().setName("io.opentelemetry.spring-webmvc-6.0").setVersion("2.10.0-alpha").build();
    }

    public static String requirementKey(int index) {
        return REQUIREMENT_PREFIX + String.format("%04d", index);
    }

    public int requirements() {
        return requirements;
    }

    public int services() {
        return services;
    }

    public int serviceOf(int requirement) {
        return requirement % services;
    }

    public Resource resource(int service) {
        return resources[service];
    }

    public InstrumentationScope scope() {
        return scope;
    }

    public double medianMs(int requirement) {
        return medianMs[requirement];
    }

    public String key(int requirement) {
        return requirementKeys[requirement];
    }

    /** A log-normal latency around the requirement's median (sigma 0.5), in ms. */
    public double durationMs(int requirement, SplittableRandom random) {
        return medianMs[requirement] * Math.exp(0.5 * gaussian(random));
    }

    public Span span(int requirement, long endNanos, double durationMs, boolean error, SplittableRandom random) {
        return span(requirement, requirementKeys[requirement], endNanos, durationMs, error, random);
    }

    /** A span shaped like requirement {@code profile}'s, carrying {@code requirementKey} (none when null). */
    public Span span(int profile, String requirementKey, long endNanos, double durationMs, boolean error,
                     SplittableRandom random) {
        int requirement = profile;
        byte[] traceId = new byte[16];
        byte[] spanId = new byte[8];
        fill(traceId, random);
        fill(spanId, random);
        Span.Builder span = Span.newBuilder()
                .setTraceId(ByteString.copyFrom(traceId))
                .setSpanId(ByteString.copyFrom(spanId))
                .setName(names[requirement])
                .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                .setStartTimeUnixNano(endNanos - Math.max(1L, Math.round(durationMs * 1_000_000.0)))
                .setEndTimeUnixNano(endNanos)
                .addAttributes(text("http.request.method", methods[requirement]))
                .addAttributes(text("http.route", routes[requirement]))
                .addAttributes(text("url.scheme", "https"))
                .addAttributes(integer("http.response.status_code", error ? 500 : 200))
                .addAttributes(text("server.address", "shop.example.com"))
                .addAttributes(text("network.protocol.version", "1.1"))
                .addAttributes(text("user_agent.original", USER_AGENT));
        if (requirementKey != null) span.addAttributes(text("requirement", requirementKey));
        if (random.nextInt(4) == 0) {
            byte[] parent = new byte[8];
            fill(parent, random);
            span.setParentSpanId(ByteString.copyFrom(parent));
        }
        if (error) {
            span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("upstream declined the request"));
            span.addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(endNanos - 1000)
                    .addAttributes(text("exception.type", "java.lang.IllegalStateException"))
                    .addAttributes(text("exception.message", "upstream declined the request"))
                    .addAttributes(text("exception.stacktrace", STACK)));
            span.addAttributes(text("error.type", "java.lang.IllegalStateException"));
        }
        return span.build();
    }

    /** Spans grouped per service (one {@code ResourceSpans} each, in service order), as an exporter batches them. */
    public static <T> List<List<T>> perService(int services) {
        List<List<T>> groups = new ArrayList<>(services);
        for (int s = 0; s < services; s++) groups.add(new ArrayList<>());
        return groups;
    }

    static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static void fill(byte[] bytes, SplittableRandom random) {
        for (int i = 0; i < bytes.length; i += 8) {
            long bits = random.nextLong();
            for (int j = i; j < Math.min(bytes.length, i + 8); j++) {
                bytes[j] = (byte) bits;
                bits >>>= 8;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}

package io.homeostat.demo;

import io.homeostat.examples.login.AuthenticationService;
import io.homeostat.examples.login.LoginEndpoint;
import io.homeostat.examples.login.SimulatedSessionStore;
import io.homeostat.examples.login.UserDirectory;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.exporter.kafka.KafkaLogRecordExporter;
import io.homeostat.exporter.kafka.KafkaMetricExporter;
import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.tagging.sdk.RequirementLogRecordProcessor;
import io.homeostat.tagging.sdk.RequirementSpanProcessor;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.instrumentation.log4j.appender.v2_17.OpenTelemetryAppender;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.InternalTelemetryVersion;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;

/**
 * The seed's customer portal as a running service: the example login service ({@link LoginEndpoint} over
 * {@link AuthenticationService}, tagged with homeostat-tagging) with the OpenTelemetry SDK set up as a service
 * without a Collector sets it up: the tagging processors, and spans, the seed's metrics and log records
 * exported to Kafka with homeostat-exporter-kafka. Logins arrive at a steady rate and really take the time the
 * session store's {@link SimulatedSessionStore.Behaviour} says.
 */
final class DemoService implements AutoCloseable {
    static final int USERS = 5_000;
    static final String PASSWORD = "correct horse battery staple";
    /** About one login in two hundred has a mistyped email (BR-001: a warning, not an error). */
    static final double INVALID_EMAIL_RATE = 0.005;

    private final OpenTelemetrySdk sdk;
    private final SimulatedSessionStore sessions;
    private final LoginEndpoint endpoint;
    private final ExecutorService requests = Executors.newFixedThreadPool(256, daemon());
    private final SplittableRandom random;

    /** Topics of the contract the service exports to. */
    record Topics(String spans, String metrics, String logs) {}

    /**
     * @param sampleRate how the service samples its traces ({@link DemoSampling}): 1 keeps every span; below 1 the
     *     spans of the traces {@code TraceIdRatioBased(sampleRate)} keeps, and every failed span
     * @param extraSpanProcessors see every span the service records, sampled or not
     */
    DemoService(Producer<byte[], byte[]> producer, Topics topics, KafkaExporterEncoding encoding, long seed,
                double sampleRate, List<SpanProcessor> extraSpanProcessors) {
        DemoSampling.check(sampleRate);
        Resource resource = Resource.getDefault().merge(Resource.builder()
                .put(AttributeKey.stringKey("service.name"), "customer-portal")
                .put(AttributeKey.stringKey("service.version"), "1.4.2")
                .put(AttributeKey.stringKey("deployment.environment.name"), "demo")
                .build());
        SdkTracerProviderBuilder tracing = SdkTracerProvider.builder().setResource(resource)
                .setSampler(DemoSampling.headSampler(sampleRate))
                .addSpanProcessor(RequirementSpanProcessor.create())
                .addSpanProcessor(BatchSpanProcessor.builder(DemoSampling.exporter(
                                new KafkaSpanExporter(producer, topics.spans(), encoding), sampleRate))
                        .setScheduleDelay(Duration.ofMillis(500)).setMaxExportBatchSize(512)
                        .setMeterProvider(MeterProvider.noop()).build());
        extraSpanProcessors.forEach(tracing::addSpanProcessor);
        this.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracing.build())
                .setMeterProvider(SdkMeterProvider.builder().setResource(resource)
                        .registerMetricReader(PeriodicMetricReader.builder(new KafkaMetricExporter(producer, topics.metrics(), encoding))
                                .setInterval(Duration.ofSeconds(1))
                                .setInternalTelemetryVersion(InternalTelemetryVersion.LEGACY).build())
                        .build())
                .setLoggerProvider(SdkLoggerProvider.builder().setResource(resource)
                        .addLogRecordProcessor(RequirementLogRecordProcessor.create())
                        .addLogRecordProcessor(BatchLogRecordProcessor.builder(new KafkaLogRecordExporter(producer, topics.logs(), encoding))
                                .setScheduleDelay(Duration.ofMillis(500)).setMeterProvider(MeterProvider.noop()).build())
                        .build())
                .build();
        // The service's code records through the global API, as instrumented code does. (The SDK's own metrics,
        // which would go to the global meter provider too, are off: they name no requirement, and Homeostat would
        // count them as unattributed telemetry of the service.)
        GlobalOpenTelemetry.set(sdk);
        OpenTelemetryAppender.install(sdk);

        UserDirectory users = new UserDirectory();
        for (int i = 0; i < USERS; i++) users.add("user-" + i, "user-" + i + "@example.com", PASSWORD);
        this.sessions = new SimulatedSessionStore(SimulatedSessionStore.Behaviour.healthy(), seed);
        this.endpoint = new LoginEndpoint(new AuthenticationService(users, sessions));
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /** What one phase sent. */
    record PhaseResult(int logins, int failed) {}

    /**
     * Sends {@code rate} logins per second for {@code length} while the session store behaves as
     * {@code behaviour}; waits for the phase's logins to be answered. {@code failed} counts HTTP 500s.
     */
    PhaseResult phase(SimulatedSessionStore.Behaviour behaviour, Duration length, int rate) {
        sessions.behave(behaviour);
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        long periodNanos = 1_000_000_000L / Math.max(1, rate);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long next = start;
        int logins = 0;
        while (System.nanoTime() < end) {
            String email = "user-" + random.nextInt(USERS) + (random.nextDouble() < INVALID_EMAIL_RATE ? "-at-example.com" : "@example.com");
            requests.execute(() -> {
                try {
                    if (endpoint.post(email, PASSWORD) == 500) failed.incrementAndGet();
                } finally {
                    answered.incrementAndGet();
                }
            });
            logins++;
            next += periodNanos;
            sleepNanos(next - System.nanoTime());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (answered.get() < logins && System.nanoTime() < deadline) sleepNanos(TimeUnit.MILLISECONDS.toNanos(20));
        return new PhaseResult(logins, failed.get());
    }

    @Override
    public void close() {
        requests.shutdown();
        try {
            requests.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sdk.shutdown().join(30, TimeUnit.SECONDS);
        GlobalOpenTelemetry.resetForTest(); // so that a test can run another demo service in the same JVM
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) return;
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "login-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

package io.homeostat.testing;

import io.homeostat.exporter.kafka.KafkaMetricExporter;
import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.time.TestClock;
import java.time.Instant;
import java.util.List;

/**
 * Metrics recorded with the real OpenTelemetry SDK ({@link SdkMeterProvider}) on a test clock, collected
 * and encoded by the SDK's official OTLP marshaler: the seed's instruments, {@code login_latency_ms}
 * (histogram with the seed's buckets) and {@code login_attempts} (counter).
 */
public final class SdkMetrics implements AutoCloseable {
    public static final List<Double> SEED_BUCKETS = List.of(50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0);
    private final TestClock clock;
    private final InMemoryMetricReader reader;
    private final SdkMeterProvider provider;
    private final DoubleHistogram latency;
    private final LongCounter attempts;

    public SdkMetrics(String serviceName, Instant start, boolean delta) {
        clock = TestClock.create(start);
        reader = delta ? InMemoryMetricReader.builder()
                .setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred()).build()
                : InMemoryMetricReader.create();
        provider = SdkMeterProvider.builder().setClock(clock)
                .setResource(Resource.getDefault().merge(Resource.builder()
                        .put(AttributeKey.stringKey("service.name"), serviceName).build()))
                .registerMetricReader(reader).build();
        Meter meter = provider.get("io.homeostat.test");
        latency = meter.histogramBuilder("login_latency_ms").setUnit("ms")
                .setExplicitBucketBoundariesAdvice(SEED_BUCKETS).build();
        attempts = meter.counterBuilder("login_attempts").build();
    }

    public SdkMetrics latency(String requirement, double ms) {
        latency.record(ms, Attributes.of(AttributeKey.stringKey("requirement"), requirement));
        return this;
    }

    public SdkMetrics attempt(String requirement, String status) {
        attempts.add(1, Attributes.of(AttributeKey.stringKey("requirement"), requirement,
                AttributeKey.stringKey("status"), status));
        return this;
    }

    /** A failed attempt as the seed's login records it, with the rule that failed ({@code business_rule}, singular). */
    public SdkMetrics attempt(String requirement, String status, String businessRule) {
        attempts.add(1, Attributes.of(AttributeKey.stringKey("requirement"), requirement,
                AttributeKey.stringKey("status"), status, AttributeKey.stringKey("business_rule"), businessRule));
        return this;
    }

    /** Collects at {@code now} (the SDK stamps points with its clock) and encodes one export request. */
    public byte[] collect(Instant now, OtlpEncoding encoding) {
        clock.setTime(now);
        return KafkaMetricExporter.marshal(reader.collectAllMetrics(), ExportEncodings.of(encoding));
    }

    @Override
    public void close() {
        provider.close();
    }
}

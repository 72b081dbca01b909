package io.homeostat.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.homeostat.otlp.OtlpEncoding;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Structure-aware fuzzing of every input topic, deterministic for a seed: records built from real OpenTelemetry
 * SDK output ({@link SdkSpans}, {@link SdkMetrics}, {@link SdkLogs}) and then mutated (byte flips, truncations,
 * splices, insertions), and well-formed requests with extreme values: exponential histograms at every scale from
 * -10 to 20 (and beyond) with huge offsets, counts of 2^63 and more (negative as a Java long), NaN and infinite
 * sums, gauges and bounds, negative and zero counts, unsorted or mismatched bounds, times at 0 and far in the
 * future, 10 000 attributes, 1 MB strings, deeply nested values, empty requests. Targets: valid ones, mutated
 * JSON, extreme numbers, bad windows, wrong types, garbage bytes, tombstones.
 */
public final class FuzzRecords {
    /** One input record, and what it is (for failure messages). */
    public record Input(byte[] key, byte[] value, Headers headers, String what) {}

    public static final List<String> REQUIREMENTS = List.of("REQ-FUZZ-001", "REQ-FUZZ-002", "BR-FUZZ-003", "C-FUZZ-004");
    private static final String MB = "x".repeat(1 << 20);
    private static final long MAX_UNSIGNED = -1L; // 2^64 - 1 as a uint64
    private static final long TWO_63 = Long.MIN_VALUE; // 2^63 as a uint64

    private final SplittableRandom random;
    private final long nowNanos;
    /**
     * Giants (a 1 MB string, 10 000 attributes, a value nested 100+ deep) are rare: about one record in
     * {@value #GIANT_ONE_IN} may hold one, so that the run's time goes to the many records, not to copying megabytes.
     */
    private static final int GIANT_ONE_IN = 250;
    private int giants;
    private final List<byte[]> spanCorpus = new ArrayList<>();
    private final List<byte[]> metricCorpus = new ArrayList<>();
    private final List<byte[]> logCorpus = new ArrayList<>();
    private final List<String> targetCorpus = new ArrayList<>();

    public FuzzRecords(long seed, Instant now) {
        this.random = new SplittableRandom(seed);
        this.nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        buildCorpus(now);
    }

    /** Real SDK output: the base every mutation starts from. */
    private void buildCorpus(Instant now) {
        try (SdkSpans spans = new SdkSpans("fuzz-service");
             SdkMetrics cumulative = new SdkMetrics("fuzz-service", now.minusSeconds(60), false);
             SdkMetrics delta = new SdkMetrics("fuzz-service", now.minusSeconds(60), true);
             SdkLogs logs = new SdkLogs("fuzz-service")) {
            for (int i = 0; i < 12; i++) {
                String requirement = REQUIREMENTS.get(i % REQUIREMENTS.size());
                spans.spans(requirement, 1 + i * 3, now.plusMillis(i * 10L), new double[] {5, 50, 500, 5000}, i % 3);
                if (i % 4 == 0) spans.failedSpan("checkout", Map.of("requirement", requirement, "enduser.id", "u" + i),
                        now, new IllegalStateException("Payment gateway timeout after 3000ms"));
                spanCorpus.add(spans.batch(i % 4 == 0 ? OtlpEncoding.JSON : OtlpEncoding.PROTOBUF));
                SdkMetrics sdk = i % 2 == 0 ? cumulative : delta;
                for (int j = 0; j <= i; j++) sdk.latency(requirement, 10.0 * (j + 1)).attempt(requirement, j % 5 == 0 ? "failure" : "success");
                metricCorpus.add(sdk.collect(now.minusSeconds(12 - i), i % 4 == 0 ? OtlpEncoding.JSON : OtlpEncoding.PROTOBUF));
                logs.log(i % 2 == 0 ? Severity.ERROR : Severity.INFO, "Refund failed for user u" + i,
                        Map.of("requirement", requirement, "enduser.id", "u" + i), now, i % 3 == 0 ? new IllegalArgumentException("refund exceeds captured amount") : null);
                logCorpus.add(logs.batch(i % 4 == 0 ? OtlpEncoding.JSON : OtlpEncoding.PROTOBUF));
            }
        }
        for (String name : List.of("target-contract.json", "target-counter.json", "target-gauge.json",
                "target-histogram.json", "target-latency.json", "target-ratio.json", "target-success-rate.json")) {
            try {
                targetCorpus.add(java.nio.file.Files.readString(RepoFiles.resolve("schemas/examples/" + name)));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    // --- per topic ---------------------------------------------------------------------------------------------

    private void newRecord() {
        giants = random.nextInt(GIANT_ONE_IN) == 0 ? 1 : 0;
    }

    /** Whether this record gets its giant here (at most one per record; about one call in {@code oneIn} asks). */
    private boolean giant(int oneIn) {
        if (giants == 0 || random.nextInt(oneIn) != 0) return false;
        giants--;
        return true;
    }

    public Input span() {
        newRecord();
        int kind = random.nextInt(100);
        if (kind < 20) return plain(pick(spanCorpus), "SDK spans");
        if (kind < 55) return mutated(pick(spanCorpus), "SDK spans");
        return encoded(extremeSpans(), "extreme spans");
    }

    public Input metric() {
        newRecord();
        int kind = random.nextInt(100);
        if (kind < 20) return plain(pick(metricCorpus), "SDK metrics");
        if (kind < 50) return mutated(pick(metricCorpus), "SDK metrics");
        return encoded(extremeMetrics(), "extreme metrics");
    }

    public Input log() {
        newRecord();
        int kind = random.nextInt(100);
        if (kind < 20) return plain(pick(logCorpus), "SDK logs");
        if (kind < 55) return mutated(pick(logCorpus), "SDK logs");
        return encoded(extremeLogs(), "extreme logs");
    }

    public Input target() {
        newRecord();
        int kind = random.nextInt(100);
        String id = REQUIREMENTS.get(random.nextInt(REQUIREMENTS.size())) + "/fuzz-" + random.nextInt(40);
        byte[] key = id.getBytes(StandardCharsets.UTF_8);
        if (kind < 5) return new Input(key, null, new RecordHeaders(), "tombstone");
        if (kind < 8) return new Input(random.nextBoolean() ? null : new byte[0], utf8(pick(targetCorpus)), new RecordHeaders(), "no key");
        if (kind < 25) return new Input(key, utf8(pick(targetCorpus)), new RecordHeaders(), "example target");
        if (kind < 50) return new Input(key, mutate(utf8(pick(targetCorpus))), new RecordHeaders(), "mutated target bytes");
        if (kind < 60) return new Input(key, randomBytes(random.nextInt(200)), new RecordHeaders(), "garbage target");
        return new Input(key, utf8(extremeTarget()), new RecordHeaders(), "extreme target");
    }

    // --- mutation ----------------------------------------------------------------------------------------------

    private Input plain(byte[] value, String what) {
        return new Input(null, value, headers(value, false), what);
    }

    private Input mutated(byte[] value, String what) {
        byte[] bytes = mutate(value);
        return new Input(null, bytes, headers(bytes, random.nextInt(10) == 0), "mutated " + what);
    }

    private byte[] mutate(byte[] original) {
        byte[] bytes = original.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds && bytes.length > 0; r++) {
            switch (random.nextInt(6)) {
                case 0, 1 -> { // flip a few bytes
                    int flips = 1 + random.nextInt(8);
                    for (int i = 0; i < flips; i++) bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                }
                case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length)); // truncate
                case 3 -> { // duplicate a chunk somewhere else
                    int from = random.nextInt(bytes.length);
                    int length = Math.min(bytes.length - from, 1 + random.nextInt(64));
                    bytes = splice(bytes, random.nextInt(bytes.length + 1), Arrays.copyOfRange(bytes, from, from + length));
                }
                case 4 -> bytes = splice(bytes, random.nextInt(bytes.length + 1), randomBytes(1 + random.nextInt(16)));
                default -> { // an extreme token where a digit is (JSON) or an extreme varint (protobuf)
                    int at = random.nextInt(bytes.length);
                    byte[] token = utf8(pick(List.of("18446744073709551615", "9223372036854775808", "-1", "1e309", "NaN",
                            "-Infinity", "0", "\"\"", "null", "[]", "{}", "99999999999999999999999")));
                    bytes = splice(bytes, at, token);
                }
            }
        }
        return bytes;
    }

    private static byte[] splice(byte[] bytes, int at, byte[] insert) {
        byte[] out = new byte[bytes.length + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at, out, at + insert.length, bytes.length - at);
        return out;
    }

    private Headers headers(byte[] value, boolean lie) {
        RecordHeaders headers = new RecordHeaders();
        int choice = random.nextInt(4);
        if (choice == 0) return headers; // no header: sniffed
        boolean json = value.length > 0 && value[0] == '{';
        if (lie) json = !json;
        headers.add("content-type", (json ? "application/json" : "application/x-protobuf").getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private Input encoded(Message request, String what) {
        boolean json = random.nextInt(5) == 0; // OTLP/JSON decodes an order of magnitude slower: a fifth, not more
        byte[] bytes;
        if (json) {
            try {
                bytes = utf8(JsonFormat.printer().omittingInsignificantWhitespace().print(request));
            } catch (InvalidProtocolBufferException e) {
                bytes = request.toByteArray();
                json = false;
            }
        } else {
            bytes = request.toByteArray();
        }
        RecordHeaders headers = new RecordHeaders();
        if (random.nextBoolean()) {
            headers.add("content-type", (json ? "application/json" : "application/x-protobuf").getBytes(StandardCharsets.UTF_8));
        }
        return new Input(null, bytes, headers, what + (json ? " (JSON)" : " (protobuf)"));
    }

    // --- extreme values -----------------------------------------------------------------------------------------

    /** Mostly now (a record holding one far-future time goes to the dead-letter topic whole), sometimes extreme. */
    private long time() {
        int r = random.nextInt(100);
        if (r < 2) return 0;
        if (r < 3) return TWO_63; // after 2262 as uint64, negative as a long
        if (r < 4) return MAX_UNSIGNED;
        if (r < 5) return nowNanos + 365L * 24 * 3600 * 1_000_000_000L; // a year ahead
        if (r < 6) return Long.MAX_VALUE;
        if (r < 8) return 1; // 1970
        if (r < 12) return nowNanos - 3_600_000_000_000L; // an hour ago
        return nowNanos - random.nextLong(2_000_000_000L);
    }

    private long count() {
        return switch (random.nextInt(14)) {
            case 0 -> TWO_63;
            case 1 -> MAX_UNSIGNED;
            case 2 -> Long.MAX_VALUE;
            case 3 -> 1L << 53;
            case 4 -> (1L << 53) + 1;
            case 5 -> 0;
            case 6 -> -5; // 2^64 - 5
            default -> random.nextInt(1_000);
        };
    }

    private double number() {
        return switch (random.nextInt(16)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> Double.MAX_VALUE;
            case 4 -> -Double.MAX_VALUE;
            case 5 -> Double.MIN_VALUE;
            case 6 -> -0.0;
            case 7 -> 0.0;
            case 8 -> -random.nextDouble() * 1e6;
            case 9 -> 1e300;
            default -> random.nextDouble() * 1_000;
        };
    }

    private String text() {
        if (giant(4)) return MB;
        return switch (random.nextInt(60)) {
            case 0 -> "z".repeat(5_000);
            case 1 -> "";
            case 2 -> "   ";
            case 3 -> "\u0000\uFFFF\uD83D\uDE00";
            case 4 -> "y".repeat(300);
            default -> "v" + random.nextInt(50);
        };
    }

    private String requirementValue() {
        if (giant(4)) return MB;
        return switch (random.nextInt(40)) {
            case 0 -> "R".repeat(10_000);
            case 1 -> "";
            case 2 -> "R".repeat(256);
            case 3 -> " REQ-FUZZ-001 ";
            default -> pick(REQUIREMENTS);
        };
    }

    private AnyValue anyValue(int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        return switch (kind) {
            case 0 -> AnyValue.newBuilder().setIntValue(random.nextLong()).build();
            case 1 -> AnyValue.newBuilder().setDoubleValue(number()).build();
            case 2 -> AnyValue.newBuilder().setBoolValue(random.nextBoolean()).build();
            case 3 -> AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(randomBytes(random.nextInt(20)))).build();
            case 4 -> AnyValue.getDefaultInstance();
            case 5 -> AnyValue.newBuilder().setStringValue(text()).build();
            case 6 -> AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(anyValue(depth - 1))
                    .addValues(anyValue(0))).build();
            default -> AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                    .addValues(KeyValue.newBuilder().setKey("k").setValue(anyValue(depth - 1)))).build();
        };
    }

    /** A value nested {@code depth} deep (protobuf parsers stop at 100 levels of messages). */
    private AnyValue nested(int depth) {
        AnyValue value = AnyValue.newBuilder().setStringValue("bottom").build();
        for (int i = 0; i < depth; i++) {
            value = i % 2 == 0 ? AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(value)).build()
                    : AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                            .addValues(KeyValue.newBuilder().setKey("n").setValue(value))).build();
        }
        return value;
    }

    private List<KeyValue> attributes(boolean withRequirement) {
        List<KeyValue> attributes = new ArrayList<>();
        int shape = giant(6) ? random.nextInt(3) : 3 + random.nextInt(100);
        int n = shape == 0 ? 10_000 : shape == 3 ? 200 : random.nextInt(6);
        for (int i = 0; i < n; i++) {
            attributes.add(KeyValue.newBuilder().setKey(shape == 1 && i == 0 ? MB : "a" + i)
                    .setValue(shape == 2 && i == 0 ? nested(80 + random.nextInt(60))
                            : shape == 4 && i == 0 ? nested(1 + random.nextInt(40)) : anyValue(2)).build());
        }
        if (withRequirement) {
            AnyValue value = random.nextInt(20) == 0 ? AnyValue.newBuilder().setIntValue(7).build()
                    : AnyValue.newBuilder().setStringValue(requirementValue()).build();
            attributes.add(random.nextInt(attributes.size() + 1), KeyValue.newBuilder().setKey("requirement").setValue(value).build());
        }
        if (random.nextInt(10) == 0) {
            attributes.add(KeyValue.newBuilder().setKey("business_rules").setValue(anyValue(1)).build());
        }
        return attributes;
    }

    private Resource resource() {
        List<KeyValue> attributes = new ArrayList<>(attributes(random.nextInt(5) == 0));
        if (random.nextInt(6) != 0) {
            attributes.add(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder()
                    .setStringValue(giant(3) ? MB : random.nextInt(30) == 0 ? "s".repeat(400) : "fuzz-" + random.nextInt(5))).build());
        }
        return Resource.newBuilder().addAllAttributes(attributes).build();
    }

    private InstrumentationScope scope() {
        return InstrumentationScope.newBuilder().setName(text()).setVersion("1").addAllAttributes(attributes(random.nextInt(5) == 0)).build();
    }

    private ByteString id(int usual) {
        return switch (random.nextInt(20)) {
            case 0 -> ByteString.EMPTY;
            case 1 -> ByteString.copyFrom(new byte[usual]); // all zero
            case 2 -> ByteString.copyFrom(randomBytes(random.nextInt(40)));
            case 3 -> ByteString.copyFrom(new byte[giant(2) ? 1 << 20 : 100]);
            default -> ByteString.copyFrom(randomBytes(usual));
        };
    }

    // spans

    private ExportTraceServiceRequest extremeSpans() {
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        int resources = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
        for (int r = 0; r < resources; r++) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(resource());
            int scopes = random.nextInt(3);
            for (int s = 0; s < scopes; s++) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(scope());
                int n = random.nextInt(12);
                for (int i = 0; i < n; i++) ss.addSpans(extremeSpan());
                rs.addScopeSpans(ss);
            }
            request.addResourceSpans(rs);
        }
        return request.build();
    }

    private Span extremeSpan() {
        long start = time();
        long end = switch (random.nextInt(6)) {
            case 0 -> start - random.nextLong(1, 1_000_000_000L); // ends before it starts
            case 1 -> time();
            default -> start + random.nextLong(50_000_000L);
        };
        Span.Builder span = Span.newBuilder().setTraceId(id(16)).setSpanId(id(8)).setName(text())
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end).addAllAttributes(attributes(random.nextInt(3) != 0))
                .setKindValue(random.nextInt(8) - 1)
                .setStatus(Status.newBuilder().setCodeValue(random.nextInt(5) - 1).setMessage(random.nextInt(4) == 0 ? text() : ""));
        int events = giant(10) ? 5_000 : random.nextInt(10) == 0 ? random.nextInt(50) : random.nextInt(3);
        for (int e = 0; e < events; e++) {
            span.addEvents(Span.Event.newBuilder().setName(random.nextBoolean() ? "exception" : text()).setTimeUnixNano(time())
                    .addAttributes(KeyValue.newBuilder().setKey("exception.type").setValue(AnyValue.newBuilder().setStringValue(text())))
                    .addAttributes(KeyValue.newBuilder().setKey("exception.message").setValue(AnyValue.newBuilder().setStringValue(text())))
                    .addAttributes(KeyValue.newBuilder().setKey("exception.stacktrace").setValue(AnyValue.newBuilder()
                            .setStringValue(giant(3) ? MB : "java.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)")))
                    .addAttributes(KeyValue.newBuilder().setKey("enduser.id").setValue(anyValue(1))));
        }
        if (random.nextInt(8) == 0) span.addLinks(Span.Link.newBuilder().setTraceId(id(16)).setSpanId(id(8)).addAllAttributes(attributes(false)));
        return span.build();
    }

    // metrics

    private ExportMetricsServiceRequest extremeMetrics() {
        ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
        int resources = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(2);
        for (int r = 0; r < resources; r++) {
            ResourceMetrics.Builder rm = ResourceMetrics.newBuilder().setResource(resource());
            int scopes = random.nextInt(3);
            for (int s = 0; s < scopes; s++) {
                ScopeMetrics.Builder sm = ScopeMetrics.newBuilder().setScope(scope());
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) sm.addMetrics(extremeMetric());
                rm.addScopeMetrics(sm);
            }
            request.addResourceMetrics(rm);
        }
        return request.build();
    }

    private AggregationTemporality temporality() {
        return switch (random.nextInt(5)) {
            case 0 -> AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED;
            case 1, 2 -> AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
            default -> AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
        };
    }

    private Metric extremeMetric() {
        String name = giant(5) ? MB : random.nextInt(50) == 0 ? "m".repeat(300) : "fuzz_metric_" + random.nextInt(6);
        Metric.Builder metric = Metric.newBuilder().setName(name).setUnit("ms");
        int points = random.nextInt(4);
        switch (random.nextInt(6)) {
            case 0 -> {
                Gauge.Builder gauge = Gauge.newBuilder();
                for (int i = 0; i < points; i++) gauge.addDataPoints(numberPoint());
                metric.setGauge(gauge);
            }
            case 1 -> {
                Sum.Builder sum = Sum.newBuilder().setAggregationTemporality(temporality()).setIsMonotonic(random.nextBoolean());
                for (int i = 0; i < points; i++) sum.addDataPoints(numberPoint());
                metric.setSum(sum);
            }
            case 2 -> {
                Histogram.Builder histogram = Histogram.newBuilder().setAggregationTemporality(temporality());
                for (int i = 0; i < points; i++) histogram.addDataPoints(histogramPoint());
                metric.setHistogram(histogram);
            }
            case 3, 4 -> {
                ExponentialHistogram.Builder histogram = ExponentialHistogram.newBuilder().setAggregationTemporality(temporality());
                for (int i = 0; i < points; i++) histogram.addDataPoints(exponentialPoint());
                metric.setExponentialHistogram(histogram);
            }
            default -> {
                Summary.Builder summary = Summary.newBuilder();
                for (int i = 0; i < points; i++) summary.addDataPoints(summaryPoint());
                metric.setSummary(summary);
            }
        }
        return metric.build();
    }

    private NumberDataPoint numberPoint() {
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder().addAllAttributes(attributes(random.nextInt(4) != 0))
                .setTimeUnixNano(time()).setStartTimeUnixNano(random.nextBoolean() ? 0 : time());
        switch (random.nextInt(3)) {
            case 0 -> p.setAsInt(random.nextBoolean() ? random.nextLong() : random.nextInt(100));
            case 1 -> p.setAsDouble(number());
            default -> { } // no value
        }
        return p.build();
    }

    private HistogramDataPoint histogramPoint() {
        HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().addAllAttributes(attributes(random.nextInt(4) != 0))
                .setTimeUnixNano(time()).setStartTimeUnixNano(random.nextBoolean() ? 0 : time());
        int bounds = random.nextInt(8);
        double bound = random.nextInt(10) == 0 ? -Double.MAX_VALUE : random.nextDouble() * 10;
        for (int i = 0; i < bounds; i++) {
            int style = random.nextInt(12);
            bound = style == 0 ? number() : style == 1 ? bound - 1 : style == 2 ? bound : bound + random.nextDouble() * 100;
            p.addExplicitBounds(bound);
        }
        int buckets = random.nextInt(5) == 0 ? random.nextInt(10) : random.nextInt(8) == 0 ? 0 : bounds + 1;
        long total = 0;
        for (int i = 0; i < buckets; i++) {
            long c = random.nextInt(6) == 0 ? count() : random.nextInt(100);
            p.addBucketCounts(c);
            total += c;
        }
        p.setCount(random.nextInt(4) == 0 ? count() : total);
        if (random.nextBoolean()) p.setSum(random.nextInt(3) == 0 ? number() : total * 3.0);
        if (random.nextInt(3) == 0) p.setMin(number());
        if (random.nextInt(3) == 0) p.setMax(number());
        return p.build();
    }

    private ExponentialHistogramDataPoint exponentialPoint() {
        int scale = random.nextInt(10) == 0 ? random.nextInt(-40, 40) : random.nextInt(-10, 21);
        ExponentialHistogramDataPoint.Builder p = ExponentialHistogramDataPoint.newBuilder()
                .addAllAttributes(attributes(random.nextInt(4) != 0)).setTimeUnixNano(time())
                .setStartTimeUnixNano(random.nextBoolean() ? 0 : time()).setScale(scale);
        long total = 0;
        for (int side = 0; side < 2; side++) {
            ExponentialHistogramDataPoint.Buckets.Builder buckets = ExponentialHistogramDataPoint.Buckets.newBuilder();
            double limit = 1024 * Math.pow(2, scale);
            int offset = switch (random.nextInt(8)) {
                case 0 -> Integer.MAX_VALUE - random.nextInt(3);
                case 1 -> Integer.MIN_VALUE + random.nextInt(3);
                case 2 -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit - 1)); // the last bucket of doubles
                case 3 -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, limit)); // the first beyond
                case 4 -> 1; // the reported crash at scale -10
                case 5 -> (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, -1075 * Math.pow(2, scale)));
                default -> random.nextInt(-200, 200);
            };
            buckets.setOffset(offset);
            int n = giant(3) ? 100_000 : random.nextInt(12) == 0 ? 2_000 : random.nextInt(6);
            for (int i = 0; i < n; i++) {
                long c = random.nextInt(10) == 0 ? count() : random.nextInt(3) == 0 ? 0 : random.nextInt(50);
                buckets.addBucketCounts(c);
                total += c;
            }
            if (side == 0) p.setPositive(buckets); else p.setNegative(buckets);
        }
        long zero = random.nextInt(5) == 0 ? count() : random.nextInt(5);
        p.setZeroCount(zero);
        total += zero;
        p.setCount(random.nextInt(5) == 0 ? count() : total);
        if (random.nextBoolean()) p.setSum(number());
        if (random.nextInt(3) == 0) p.setMin(number());
        if (random.nextInt(3) == 0) p.setMax(number());
        return p.build();
    }

    private SummaryDataPoint summaryPoint() {
        SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder().addAllAttributes(attributes(random.nextInt(4) != 0))
                .setTimeUnixNano(time()).setStartTimeUnixNano(random.nextBoolean() ? 0 : time())
                .setCount(count()).setSum(number());
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
                    .setQuantile(random.nextInt(4) == 0 ? number() : random.nextDouble()).setValue(number()));
        }
        return p.build();
    }

    // logs

    private ExportLogsServiceRequest extremeLogs() {
        ExportLogsServiceRequest.Builder request = ExportLogsServiceRequest.newBuilder();
        int resources = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(2);
        for (int r = 0; r < resources; r++) {
            ResourceLogs.Builder rl = ResourceLogs.newBuilder().setResource(resource());
            int scopes = random.nextInt(3);
            for (int s = 0; s < scopes; s++) {
                ScopeLogs.Builder sl = ScopeLogs.newBuilder().setScope(scope());
                int n = random.nextInt(10);
                for (int i = 0; i < n; i++) sl.addLogRecords(logRecord());
                rl.addScopeLogs(sl);
            }
            request.addResourceLogs(rl);
        }
        return request.build();
    }

    private LogRecord logRecord() {
        List<KeyValue> attributes = new ArrayList<>(attributes(random.nextInt(3) != 0));
        if (random.nextBoolean()) {
            attributes.add(KeyValue.newBuilder().setKey("exception.type").setValue(AnyValue.newBuilder().setStringValue(text())).build());
            attributes.add(KeyValue.newBuilder().setKey("exception.stacktrace").setValue(AnyValue.newBuilder()
                    .setStringValue(giant(3) ? MB : "x\n\tat a.B.c(B.java:1)")).build());
        }
        return LogRecord.newBuilder().setTimeUnixNano(time()).setObservedTimeUnixNano(time())
                .setSeverityNumberValue(random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(25))
                .setSeverityText(pick(List.of("ERROR", "FATAL", "INFO", "", "error", text())))
                .setBody(giant(3) ? nested(80 + random.nextInt(60)) : random.nextInt(10) == 0 ? nested(1 + random.nextInt(40)) : anyValue(2))
                .addAllAttributes(attributes).setTraceId(id(16)).setSpanId(id(8)).setFlags(random.nextInt()).build();
    }

    // targets

    private String extremeTarget() {
        String requirement = random.nextInt(10) == 0 ? requirementValue() : pick(REQUIREMENTS);
        String metric = pick(List.of("span.duration_ms", "span.success_rate", "span.error_rate", "span.count", "span.rate",
                "fuzz_metric_1", "login_latency_ms", "", text()));
        String number = pick(List.of("1e308", "-1e308", "1e309", "\"NaN\"", "0", "-0", "0.99", "500", "9223372036854775808",
                "4.9e-324", "\"500\"", "null", "true", "[]", "{}"));
        String window = pick(List.of("\"5m\"", "\"1s\"", "\"0s\"", "\"-1s\"", "\"1e9h\"", "\"999999999999999999d\"", "\"\"",
                "\"abc\"", "\"100ms\"", "\"2562047788015216h\"", "5", "null"));
        String operator = pick(List.of("\"lt\"", "\"gte\"", "\"eq\"", "\"below\"", "\"\"", "7"));
        StringBuilder json = new StringBuilder("{\"requirement\": " + quote(requirement) + ", \"metric\": " + quote(metric)
                + ", \"target\": " + number + ", \"operator\": " + operator + ", \"window\": " + window);
        if (random.nextBoolean()) json.append(", \"alert_threshold\": ").append(pick(List.of("0.95", "2", "-1", "1e308", "\"x\"")));
        if (random.nextBoolean()) json.append(", \"min_events\": ").append(pick(List.of("1", "0", "-5", "9223372036854775807", "1e20", "2.5")));
        if (random.nextInt(4) == 0) json.append(", \"for\": ").append(window);
        if (random.nextInt(4) == 0) json.append(", \"no_data_after\": ").append(window);
        if (random.nextInt(4) == 0) json.append(", \"tolerance\": ").append(number);
        if (random.nextInt(4) == 0) json.append(", \"critical_deviation_percent\": ").append(number);
        if (random.nextInt(6) == 0) json.append(", \"where\": {\"status\": ").append(pick(List.of("\"ok\"", "[]", "7", "{}", "[\"a\", 1]"))).append('}');
        if (random.nextInt(6) == 0) json.append(", \"ratio\": {\"good\": {\"metric\": \"fuzz_metric_1\"}, \"total\": ")
                .append(pick(List.of("{\"metric\": \"fuzz_metric_2\"}", "null", "{}", "7"))).append('}');
        if (random.nextInt(8) == 0) json.append(", \"labels\": {\"team\": ").append(quote(text())).append('}');
        if (random.nextInt(10) == 0) json.append(", \"deep\": ").append("[".repeat(2000)).append("]".repeat(2000));
        if (random.nextInt(10) == 0) json.append(", \"unknown_field\": 1");
        if (random.nextInt(10) == 0) json.append(", \"requirement\": \"REQ-DUPLICATE\"");
        json.append('}');
        return json.toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.append('"').toString();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = (byte) random.nextInt(256);
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

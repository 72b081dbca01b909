package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.homeostat.evaluate.CardinalityLimits;
import io.homeostat.model.Json;
import io.homeostat.model.OverflowStatus;
import io.homeostat.model.UnattributedStatus;
import io.homeostat.testing.Schemas;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sender that puts a user id into {@code requirement} or {@code service.name}, through the whole topology: what
 * the processor keeps (store entries, metric sensors, status records) stays within the caps, a requirement with
 * a target is still admitted, the overflow is reported, and idle values expire and free the caps.
 */
class CardinalityTopologyTest {
    static final CardinalityLimits LIMITS = new CardinalityLimits(500, 100, 50, Duration.ofSeconds(20));
    static final double[] FAST = {20, 30, 40};

    @TempDir Path stateDir;

    @Test
    void oneHundredThousandJunkRequirementsAndServicesStayWithinTheCaps() {
        try (TopologyHarness h = new TopologyHarness(stateDir, LIMITS)) {
            h.putTarget("REQ-A/span.count", """
                    {"requirement": "REQ-A", "metric": "span.count", "target": 1, "operator": "gte", "window": "2s"}""");
            h.second("REQ-A", 5, FAST, 0);
            for (int batch = 0; batch < 100; batch++) {
                int first = batch * 1_000;
                // 1 000 spans, each with a requirement of its own ("user-<n>"), from one service
                h.pipeSpans(request(1, s -> "checkout", i -> "user-" + (first + i), 1_000, h));
                // 1 000 spans without a requirement, each from a service of its own ("svc-user-<n>")
                h.pipeSpans(request(1_000, s -> "svc-user-" + (first + s), i -> null, 1, h));
                if (batch % 10 == 9) h.tick();
            }
            // The caps are full: a target applied now, for a requirement never seen, still gets its data judged.
            h.putTarget("REQ-B/span.count", """
                    {"requirement": "REQ-B", "metric": "span.count", "target": 1, "operator": "gte", "window": "2s"}""");
            h.seconds(4, "REQ-B", 5, FAST, 0);

            Set<String> requirements = requirementsIn(h, RequirementWindows.SPAN_SLICES_STORE);
            assertThat(requirements).as("requirements with slices: the cap, and the two with a target")
                    .hasSize(LIMITS.maxRequirements() + 2).contains("REQ-A", "REQ-B");
            assertThat(entries(h, EvaluateProcessor.UNATTRIBUTED_STORE)).as("services counted").isEqualTo(LIMITS.maxServices());
            List<MetricName> serviceSensors = metrics(h, "spans-unattributed-total");
            assertThat(serviceSensors).as("a counter per service, up to the cap, and one for the others")
                    .hasSize(LIMITS.maxServices() + 1)
                    .anySatisfy(m -> assertThat(m.tags()).containsEntry("service", UnattributedCounters.OTHER));
            assertThat(counter(h, "spans-unattributed", UnattributedCounters.OTHER)).isEqualTo(100_000 - LIMITS.maxServices());
            assertThat(h.counter("requirements-refused")).as("spans of refused requirements, counted")
                    .isEqualTo(100_000 - LIMITS.maxRequirements());
            assertThat(h.counter("unattributed-services-refused")).isEqualTo(100_000 - LIMITS.maxServices());

            Map<String, JsonNode> statuses = statuses(h);
            assertThat(statuses.get("REQ-B/span.count").path("events").asLong()).as("REQ-B judged on its spans").isPositive();
            assertThat(statuses.keySet()).filteredOn(k -> k.startsWith(UnattributedStatus.KEY_PREFIX)).hasSize(LIMITS.maxServices());
            JsonNode overflow = statuses.entrySet().stream().filter(e -> e.getKey().startsWith(OverflowStatus.KEY_PREFIX))
                    .map(Map.Entry::getValue).findFirst().orElseThrow();
            assertThat(overflow.path("refusing").asBoolean()).isTrue();
            assertThat(overflow.path("requirements").path("limit").asLong()).isEqualTo(LIMITS.maxRequirements());
            assertThat(overflow.path("requirements").path("tracked").asLong()).isEqualTo(LIMITS.maxRequirements());
            assertThat(overflow.path("requirements").path("refused_items").asLong()).isEqualTo(100_000 - LIMITS.maxRequirements());
            assertThat(overflow.path("requirements").path("last_refused").asText()).isEqualTo("user-99999");
            assertThat(overflow.path("services").path("tracked").asLong()).isEqualTo(LIMITS.maxServices());
            assertThat(overflow.path("services").path("refused_items").asLong()).isEqualTo(100_000 - LIMITS.maxServices());
        }
    }

    @Test
    void idleRequirementsAndServicesExpireAndFreeTheCaps() {
        CardinalityLimits small = new CardinalityLimits(3, 10, 3, Duration.ofSeconds(10));
        try (TopologyHarness h = new TopologyHarness(stateDir, small)) {
            h.pipeSpans(request(1, s -> "checkout", i -> "user-" + i, 5, h));
            h.pipeSpans(request(5, s -> "svc-user-" + s, i -> null, 1, h));
            h.tick();
            assertThat(requirementsIn(h, RequirementWindows.SPAN_SLICES_STORE)).containsExactlyInAnyOrder("user-0", "user-1", "user-2");
            assertThat(h.counter("requirements-refused")).isEqualTo(2);
            Map<String, JsonNode> statuses = statuses(h);
            assertThat(statuses).containsKeys(UnattributedStatus.key("svc-user-0"), UnattributedStatus.key("svc-user-2"));
            assertThat(metrics(h, "spans-unattributed-total")).hasSize(4);

            h.idle(11);
            assertThat(requirementsIn(h, RequirementWindows.SPAN_SLICES_STORE)).as("forgotten with their slices").isEmpty();
            assertThat(entries(h, EvaluateProcessor.UNATTRIBUTED_STORE)).isZero();
            List<TestRecord<String, byte[]>> tombstones = h.status.readRecordsToList().stream()
                    .filter(r -> r.value() == null).toList();
            assertThat(tombstones).extracting(TestRecord::key).as("a tombstone for each forgotten service")
                    .containsExactlyInAnyOrder(UnattributedStatus.key("svc-user-0"), UnattributedStatus.key("svc-user-1"),
                            UnattributedStatus.key("svc-user-2"));
            assertThat(h.counter("requirements-expired")).isEqualTo(3);
            assertThat(h.counter("unattributed-services-expired")).isEqualTo(3);

            // The places are free again: new values are admitted, and the decoder's idle counters are gone.
            h.pipeSpans(request(1, s -> "checkout", i -> "user-new-" + i, 2, h));
            h.pipeSpans(request(1, s -> "svc-new", i -> null, 1, h));
            h.tick();
            assertThat(requirementsIn(h, RequirementWindows.SPAN_SLICES_STORE)).containsExactlyInAnyOrder("user-new-0", "user-new-1");
            assertThat(h.counter("requirements-refused")).as("nothing refused since").isEqualTo(2);
            assertThat(metrics(h, "spans-unattributed-total")).extracting(m -> m.tags().get("service"))
                    .as("the idle services' counters were removed").containsExactlyInAnyOrder("svc-new", UnattributedCounters.OTHER);
        }
    }

    @Test
    void theOverflowRecordMatchesItsSchemaAndEndsWhenTheRefusalsStop() {
        CardinalityLimits small = new CardinalityLimits(1, 10, 10, Duration.ofMinutes(30));
        try (TopologyHarness h = new TopologyHarness(stateDir, small)) {
            h.pipeSpans(request(1, s -> "checkout", i -> "user-" + i, 3, h));
            h.idle(2); // the decoder's flush, then the requirement task's next evaluation
            List<JsonNode> overflow = overflowRecords(h);
            assertThat(overflow).singleElement().satisfies(o -> {
                assertThat(o.path("refusing").asBoolean()).isTrue();
                assertThat(o.path("requirements").path("refused").asLong()).isEqualTo(2);
            });
            h.idle(5);
            assertThat(overflowRecords(h)).as("nothing new refused: nothing published").isEmpty();
            h.idle((int) (io.homeostat.evaluate.CardinalityCap.QUIET_MS / 1000));
            assertThat(overflowRecords(h)).as("once when the refusals have stopped").singleElement()
                    .satisfies(o -> assertThat(o.path("refusing").asBoolean()).isFalse());
        }
    }

    private static List<JsonNode> overflowRecords(TopologyHarness h) {
        List<JsonNode> out = new ArrayList<>();
        statusRecords(h).forEach(r -> {
            if (r.key().startsWith(OverflowStatus.KEY_PREFIX)) out.add(json(r.value()));
        });
        return out;
    }

    /** The latest status per key (tombstones remove it), every record checked against the schema. */
    private static Map<String, JsonNode> statuses(TopologyHarness h) {
        Map<String, JsonNode> latest = new java.util.TreeMap<>();
        for (TestRecord<String, byte[]> r : statusRecords(h)) {
            if (r.value() == null) latest.remove(r.key());
            else latest.put(r.key(), json(r.value()));
        }
        return latest;
    }

    private static List<TestRecord<String, byte[]>> statusRecords(TopologyHarness h) {
        List<TestRecord<String, byte[]>> records = h.status.readRecordsToList();
        for (TestRecord<String, byte[]> r : records) if (r.value() != null) Schemas.assertValid("status.schema.json", r.value());
        return records;
    }

    private static JsonNode json(byte[] value) {
        try {
            return Json.MAPPER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The requirements that have a slice in the store (a span-slice key is the requirement, 0x00, 8 bytes). */
    private static Set<String> requirementsIn(TopologyHarness h, String store) {
        Set<String> requirements = new HashSet<>();
        KeyValueStore<Bytes, byte[]> slices = h.driver.getKeyValueStore(store);
        try (KeyValueIterator<Bytes, byte[]> it = slices.all()) {
            while (it.hasNext()) {
                byte[] key = it.next().key.get();
                requirements.add(new String(key, 0, key.length - 9, StandardCharsets.UTF_8));
            }
        }
        return requirements;
    }

    private static long entries(TopologyHarness h, String store) {
        long n = 0;
        KeyValueStore<Object, Object> kv = h.driver.getKeyValueStore(store);
        try (KeyValueIterator<Object, Object> it = kv.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private static List<MetricName> metrics(TopologyHarness h, String name) {
        List<MetricName> names = new ArrayList<>();
        for (MetricName m : h.driver.metrics().keySet()) {
            if (m.group().equals(HomeostatTopology.METRICS_GROUP) && m.name().equals(name)) names.add(m);
        }
        return names;
    }

    private static double counter(TopologyHarness h, String name, String service) {
        for (Map.Entry<MetricName, ? extends Metric> e : h.driver.metrics().entrySet()) {
            if (e.getKey().name().equals(name + "-total") && service.equals(e.getKey().tags().get("service"))) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return 0;
    }

    /**
     * An OTLP trace export request: {@code services} resources (named by {@code service}), each with
     * {@code spansPerService} spans ending now, span {@code i} carrying {@code requirement(i)} (none for null).
     */
    private static byte[] request(int services, IntFunction<String> service, IntFunction<String> requirement,
                                  int spansPerService, TopologyHarness h) {
        long endNanos = (h.now().toEpochMilli() + 500) * 1_000_000L;
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        int n = 0;
        for (int s = 0; s < services; s++) {
            ScopeSpans.Builder scope = ScopeSpans.newBuilder();
            for (int i = 0; i < spansPerService; i++, n++) {
                Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[16]))
                        .setSpanId(ByteString.copyFrom(new byte[8])).setName("GET /")
                        .setStartTimeUnixNano(endNanos - 20_000_000L).setEndTimeUnixNano(endNanos);
                String key = requirement.apply(n);
                if (key != null) span.addAttributes(text("requirement", key));
                scope.addSpans(span);
            }
            request.addResourceSpans(ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(text("service.name", service.apply(s))))
                    .addScopeSpans(scope));
        }
        return request.build().toByteArray();
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}

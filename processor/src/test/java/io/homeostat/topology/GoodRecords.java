package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Json;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.Schemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A known good record after bad ones: a target of a requirement of its own, spans of that requirement, a few
 * ticks of the wall clock, and the status topic must show the target judged over those spans. Proves the
 * topology still decodes, routes, windows and judges.
 */
final class GoodRecords {
    private static final AtomicInteger CANARIES = new AtomicInteger();

    private GoodRecords() {}

    /** How many records the check piped into the spans and the targets topic. */
    record Piped(int spans, int targets) {}

    static Piped assertStillProcessing(TopologyHarness h) {
        String requirement = "REQ-CANARY-" + CANARIES.incrementAndGet();
        String targetId = requirement + "/span.count";
        h.putTarget(targetId, """
                {"requirement": "%s", "metric": "span.count", "target": 1, "operator": "gte", "window": "1s"}"""
                .formatted(requirement));
        List<JsonNode> statuses = new ArrayList<>();
        int spanRecords = 0;
        for (int i = 0; i < 8 && statuses.stream().noneMatch(s -> s.path("events").asLong() >= 3); i++) {
            // A second of traffic: the requirement's slices close as its data moves on.
            h.sdk().spans(requirement, 3, h.now().plusMillis(500), new double[] {20}, 0);
            h.pipeSpans(h.sdk().batch(OtlpEncoding.PROTOBUF));
            spanRecords++;
            h.tick();
            for (TestRecord<String, byte[]> record : h.status.readRecordsToList()) {
                if (record.value() != null) Schemas.assertValid("status.schema.json", record.value());
                if (!targetId.equals(record.key()) || record.value() == null) continue;
                try {
                    statuses.add(Json.MAPPER.readTree(record.value()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        assertThat(statuses).as("status of the canary target %s after the bad records", targetId)
                .anySatisfy(s -> {
                    assertThat(s.path("events").asLong()).isEqualTo(3);
                    assertThat(s.path("state").asText()).isEqualTo("ok");
                });
        h.deleteTarget(targetId);
        return new Piped(spanRecords, 2);
    }
}

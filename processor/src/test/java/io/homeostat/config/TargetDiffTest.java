package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.config.TargetDiff.Action;
import io.homeostat.config.TargetDiff.Change;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetDiffTest {
    private static List<ResolvedTarget> desired() throws Exception {
        return TargetFilesTest.load(TargetFilesTest.seed(), TargetFilesTest.SEED_ENV).targets();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyTopicGetsEverythingAdded() throws Exception {
        List<Change> changes = TargetDiff.compute(desired(), Map.of(), false);
        assertThat(changes).extracting(Change::action).containsExactly(Action.ADDED, Action.ADDED);
        assertThat(changes).allMatch(c -> c.action().writes());
    }

    @Test
    void targetsAreComparedByMeaningNotBytes() throws Exception {
        Map<String, byte[]> topic = new LinkedHashMap<>();
        // Written by hand, defaults left out, fields in another order: the same target as the file's.
        topic.put("REQ-NFR-PERF-001/login_latency_ms", bytes("""
                {"operator": "lt", "requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500,
                 "alert_threshold": 0.95, "constraint": "C-001", "window": "60s"}"""));
        topic.put("REQ-F-AUTH-001/span.success_rate", bytes("""
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.97, "sampling": {"always_sample_errors": true, "sample_rate": 0.10}}"""));
        List<Change> changes = TargetDiff.compute(desired(), topic, false);
        assertThat(changes.get(0).action()).isEqualTo(Action.UNCHANGED);
        assertThat(changes.get(1).action()).isEqualTo(Action.CHANGED);
        assertThat(changes.get(1).details()).containsExactly("alert_threshold: 0.97 -> 0.98");
    }

    @Test
    void whatOnlyTheTopicHasIsDeletedOnlyWithPrune() throws Exception {
        Map<String, byte[]> topic = new LinkedHashMap<>();
        topic.put("REQ-OLD-001/span.count", bytes("""
                {"requirement": "REQ-OLD-001", "metric": "span.count", "target": 1, "operator": "gte"}"""));
        topic.put("REQ-F-AUTH-001/span.success_rate", bytes("not json"));

        List<Change> kept = TargetDiff.compute(desired(), topic, false);
        assertThat(kept).extracting(Change::id, Change::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple("REQ-NFR-PERF-001/login_latency_ms", Action.ADDED),
                org.assertj.core.groups.Tuple.tuple("REQ-F-AUTH-001/span.success_rate", Action.CHANGED),
                org.assertj.core.groups.Tuple.tuple("REQ-OLD-001/span.count", Action.NOT_IN_FILE));
        assertThat(kept.get(1).details()).singleElement().asString().startsWith("replaces an invalid value");
        assertThat(kept.get(2).action().writes()).isFalse();

        List<Change> pruned = TargetDiff.compute(desired(), topic, true);
        assertThat(pruned.get(2).action()).isEqualTo(Action.DELETED);
        assertThat(pruned.get(2).action().writes()).isTrue();
        assertThat(TargetDiff.count(pruned, Action.DELETED)).isEqualTo(1);
    }

    @Test
    void theWrittenValueIsTheContractsTargetJson() throws Exception {
        String json = new String(TargetDiff.value(desired().get(1)), StandardCharsets.UTF_8);
        assertThat(json).contains("\"requirement\":\"REQ-F-AUTH-001\"", "\"metric\":\"span.success_rate\"",
                "\"alert_threshold\":0.98", "\"window\":\"1m\"");
        io.homeostat.testing.Schemas.assertValid("target.schema.json", bytes(json));
    }
}

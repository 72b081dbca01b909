package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.Alert;
import io.homeostat.model.FeedbackIntent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertIntentsTest {
    static Alert alert(String alertId, String status, String kind, String severity, Double actual, String reason) {
        return new Alert("60b0fb3d95adf088", alertId, status, kind, "REQ-NFR-PERF-001/span.duration_ms",
                "REQ-NFR-PERF-001", "span.duration_ms", "lt", 500, 0.95, actual, 0.41, actual == null ? null : 66.4,
                severity, 800, "2026-11-24T10:00:00.000Z", "2026-11-24T10:00:20.000Z", "2026-11-24T10:00:21.000Z",
                null, "2026-11-24T10:00:21.000Z", reason, "Login response time < 500ms", "C-001", List.of("BR-003"),
                Map.of(), Map.of(), List.of("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    @Test
    void theFirstFiringRecordOfAnEpisodeMakesOneIntentThatLinksBackToTheAlert() {
        Alert firing = alert("60b0fb3d95adf088-1000", "firing", "deviation", "critical", 831.96, null);
        AlertIntents.Decision d = AlertIntents.next(null, firing, 5_000);
        FeedbackIntent intent = d.intent();
        assertThat(intent.intentId()).isEqualTo(TraceIds.intentId("60b0fb3d95adf088-1000"));
        assertThat(intent.sourceKind()).isEqualTo("deviation");
        assertThat(intent.sourceId()).isEqualTo(firing.alertId());
        assertThat(intent.priority()).isEqualTo("P0");
        assertThat(intent.description()).isEqualTo("Restore homeostasis of REQ-NFR-PERF-001: span.duration_ms 832 vs target lt 500");
        assertThat(intent.constraints()).containsExactly("C-001");
        assertThat(intent.businessRules()).containsExactly("BR-003");
        assertThat(intent.evidence().traceIds()).containsExactly("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(intent.evidence().events()).isEqualTo(800);
        assertThat(intent.evidence().windowStart()).isEqualTo(firing.windowStart());

        assertThat(AlertIntents.next(d.mark(), firing, 6_000).intent()).as("the same episode again").isNull();
        assertThat(AlertIntents.next(d.mark(), alert(firing.alertId(), "resolved", "deviation", "critical", 400.0, "target_met"), 7_000).intent())
                .isNull();
        AlertIntents.Decision next = AlertIntents.next(d.mark(), alert("60b0fb3d95adf088-9000", "firing", "deviation", "critical", 900.0, null), 9_000);
        assertThat(next.intent().intentId()).as("a new episode is new work").isNotEqualTo(intent.intentId());
    }

    @Test
    void aWarningEpisodeThatTurnsCriticalRaisesItsIntentToP0UnderTheSameId() {
        AlertIntents.Decision first = AlertIntents.next(null, alert("fp-1", "firing", "deviation", "warning", 538.3, null), 1_000);
        assertThat(first.intent().priority()).isEqualTo("P1");
        AlertIntents.Decision raised = AlertIntents.next(first.mark(), alert("fp-1", "firing", "deviation", "critical", 832.0, null), 3_000);
        assertThat(raised.intent().priority()).isEqualTo("P0");
        assertThat(raised.intent().intentId()).isEqualTo(first.intent().intentId());
        assertThat(raised.intent().createdAt()).isEqualTo(first.intent().createdAt());
        assertThat(AlertIntents.next(raised.mark(), alert("fp-1", "firing", "deviation", "warning", 538.3, null), 5_000).intent())
                .as("never lowered, never repeated").isNull();
    }

    @Test
    void noDataEpisodesAreNoDataIntents() {
        FeedbackIntent intent = AlertIntents.next(null, alert("fp-2", "firing", "no_data", "warning", null, null), 1_000).intent();
        assertThat(intent.sourceKind()).isEqualTo("no_data");
        assertThat(intent.description()).isEqualTo("Restore homeostasis of REQ-NFR-PERF-001: span.duration_ms no data vs target lt 500");
    }

    @Test
    void aDeletedTargetForgetsItsMark() {
        AlertIntents.Mark mark = new AlertIntents.Mark("fp-1", "P1", 1_000);
        assertThat(AlertIntents.next(mark, alert("fp-1", "resolved", "deviation", "warning", 500.0, "target_deleted"), 2_000).mark()).isNull();
        assertThat(AlertIntents.next(mark, alert("fp-1", "resolved", "deviation", "warning", 400.0, "target_met"), 2_000).mark()).isEqualTo(mark);
    }

    @Test
    void numbersInDescriptionsHaveFourSignificantDigits() {
        assertThat(FeedbackIntents.number(831.96)).isEqualTo("832");
        assertThat(FeedbackIntents.number(0.97881)).isEqualTo("0.9788");
        assertThat(FeedbackIntents.number(500.0)).isEqualTo("500");
        assertThat(FeedbackIntents.number(0.99)).isEqualTo("0.99");
    }
}

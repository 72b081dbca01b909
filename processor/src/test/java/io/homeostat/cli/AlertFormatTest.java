package io.homeostat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import org.junit.jupiter.api.Test;

/** The one-line form of an alert (alerts tail, the demo) says what sampled spans stand for and how many arrived. */
class AlertFormatTest {
    private static final String SAMPLED = """
            {"fingerprint":"5e9ef4e94b3a1c6f","alert_id":"5e9ef4e94b3a1c6f-1795514425000","status":"firing","kind":"deviation",
             "target_id":"REQ-F-AUTH-001/span.success_rate","requirement":"REQ-F-AUTH-001","metric":"span.success_rate",
             "operator":"gte","target":0.99,"alert_threshold":0.98,"actual":0.9612,"good_ratio":null,"deviation_percent":2.91,
             "severity":"warning","events":1030,"window_start":"2026-11-24T10:00:00.000Z","window_end":"2026-11-24T10:00:20.000Z",
             "starts_at":"2026-11-24T10:00:25.000Z","ends_at":null,"timestamp":"2026-11-24T10:00:25.000Z","resolved_reason":null,
             "description":null,"constraint":null,"business_rules":[],"labels":{},"annotations":{},
             "sample_trace_ids":["4bf92f3577b34da6a3ce929d0e0e4736"],"spans_seen":SEEN}""";

    private static String line(String spansSeen) throws Exception {
        return AlertFormat.line(Json.MAPPER.readValue(SAMPLED.replace("SEEN", spansSeen), Alert.class));
    }

    @Test
    void sampledSpansShowTheEventsAndTheSpansSeen() throws Exception {
        assertThat(line("139")).contains("events 1030 (139 spans seen)");
    }

    @Test
    void unsampledSpansAndMetricsShowTheEventsAlone() throws Exception {
        assertThat(line("1030")).contains("events 1030").doesNotContain("spans seen");
        assertThat(line("null")).contains("events 1030").doesNotContain("spans seen");
    }
}

package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkSpans;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanBatchAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:15:00Z");

    @Test
    void onePartialPerRequirementAndSliceAndUnattributedCountedPerService() throws Exception {
        try (SdkSpans sdk = new SdkSpans("checkout")) {
            sdk.spans("REQ-A", 30, T0.plusMillis(200), new double[] {10, 20, 30}, 3);
            sdk.spans("REQ-A", 20, T0.plusMillis(1200), new double[] {40}, 0);
            sdk.spans("REQ-B", 10, T0.plusMillis(300), new double[] {5}, 1);
            sdk.span("untagged", Map.of(), T0, 1, false);
            sdk.span("untagged", Map.of(), T0, 1, false);
            var request = OtlpDecoder.decodeTraces(sdk.batch(OtlpEncoding.PROTOBUF), OtlpEncoding.PROTOBUF);

            SpanBatchAggregator.Result result = SpanBatchAggregator.aggregate(request, 1000, 0);

            long t0 = T0.toEpochMilli();
            assertThat(result.spans()).isEqualTo(62);
            assertThat(result.partials()).containsOnlyKeys(
                    new SliceKey("REQ-A", t0), new SliceKey("REQ-A", t0 + 1000), new SliceKey("REQ-B", t0));
            SpanAggregate a0 = result.partials().get(new SliceKey("REQ-A", t0));
            assertThat(a0.count()).isEqualTo(30);
            assertThat(a0.errors()).isEqualTo(3);
            assertThat(a0.durationsMs().mean()).isEqualTo(20.0, org.assertj.core.api.Assertions.within(0.01));
            assertThat(result.partials().get(new SliceKey("REQ-A", t0 + 1000)).count()).isEqualTo(20);
            assertThat(result.partials().get(new SliceKey("REQ-B", t0)).errors()).isEqualTo(1);
            assertThat(result.unattributedByService()).containsExactly(Map.entry("checkout", 2L));
        }
    }
}

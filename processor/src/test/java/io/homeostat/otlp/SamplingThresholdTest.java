package io.homeostat.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The adjusted counts of the OpenTelemetry specification ("TraceState: Probability Sampling", its table of 1-in-N
 * thresholds and their exact adjusted counts; "TraceState handling", the {@code th} value).
 */
class SamplingThresholdTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ot=th:0                          | 1.0",
        "ot=th:8                          | 2.0",
        "ot=th:c                          | 4.0",
        "ot=th:e                          | 8.0",
        "ot=th:f                          | 16.0",
        "ot=th:aaab                       | 3.00004577706569",
        "ot=th:e66                        | 9.990243902439024",
        "ot=th:e666                       | 9.99938968568813",
        "ot=th:e6666                      | 9.999961853172863",
        "ot=th:fd70a4                     | 100.00009536752259",
        "ot=th:ffbe77                     | 1000.012874769029",
        // hex digits in either case, trailing zeros allowed, 14 digits at most
        "ot=th:E666                       | 9.99938968568813",
        "ot=th:80000000000000             | 2.0",
        "ot=th:ffffffffffffff             | 72057594037927936.0",
        // where the entry and the sub-key stand
        "ot=rv:0123456789abcd;th:8        | 2.0",
        "ot=th:8;rv:0123456789abcd        | 2.0",
        "congo=t61rcWkgMzE,ot=th:c        | 4.0",
        "congo=t61rcWkgMzE , ot=th:c ,x=y | 4.0",
        "ot=th:8;th:c                     | 2.0",
    })
    void adjustedCountsAreThoseOfTheSpecification(String traceState, double adjustedCount) {
        assertThat(SamplingThreshold.adjustedCount(traceState)).isEqualTo(adjustedCount);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ot=th:", "ot=th:123456789abcdef", "ot=th:xyz", "ot=th:-1", "ot=th: 8", "ot=p:8;r:62",
        "ot=rv:0123456789abcd", "other=th:8", "xot=th:8", "ot=th:8é", "ot-th:8", "th:8"})
    void noEntryNoThresholdOrAnInvalidOneIsUnknown(String traceState) {
        assertThat(SamplingThreshold.adjustedCount(traceState)).isNaN();
    }

    @Test
    void nullIsUnknown() {
        assertThat(SamplingThreshold.adjustedCount((String) null)).isNaN();
    }
}

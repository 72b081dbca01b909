package io.homeostat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms,500", "10s,10000", "5m,300000", "1h,3600000", "1d,86400000", "1.5s,1500", "PT2M,120000"})
    void parsesTheContractsDurations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"300000,5m", "1500,1500ms", "0,0s", "7200000,2h", "90000,90s"})
    void formatsWithTheLargestExactUnit(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @Test
    void rejectsNonsenseWithAHelpfulMessage() {
        assertThatThrownBy(() -> Durations.parse("5 minutes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use e.g. 500ms, 10s, 5m, 1h");
    }
}

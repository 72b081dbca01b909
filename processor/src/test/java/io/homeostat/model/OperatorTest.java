package io.homeostat.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OperatorTest {
    @Test
    void eachOperatorComparesActualWithTarget() {
        assertThat(Operator.LT.holds(499, 500, 0)).isTrue();
        assertThat(Operator.LT.holds(500, 500, 0)).isFalse();
        assertThat(Operator.LTE.holds(500, 500, 0)).isTrue();
        assertThat(Operator.GT.holds(500, 500, 0)).isFalse();
        assertThat(Operator.GTE.holds(0.99, 0.99, 0)).isTrue();
        assertThat(Operator.GTE.holds(0.989, 0.99, 0)).isFalse();
        assertThat(Operator.EQ.holds(10.4, 10, 0.5)).isTrue();
        assertThat(Operator.EQ.holds(10.6, 10, 0.5)).isFalse();
        assertThat(Operator.EQ.holds(10, 10, 0)).isTrue();
    }

    @Test
    void codesAreTheContractsSpelling() {
        assertThat(Operator.fromCode(" GTE ")).isEqualTo(Operator.GTE);
        assertThatThrownBy(() -> Operator.fromCode("ge")).hasMessageContaining("use one of lt, lte, gt, gte, eq");
    }
}

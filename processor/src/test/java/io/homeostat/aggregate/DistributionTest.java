package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.model.Operator;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DistributionTest {

    @Test
    void quantilesAreWithinOnePercentOfTheExactValues() {
        SplittableRandom random = new SplittableRandom(7);
        double[] values = new double[20_000];
        Distribution d = new Distribution();
        for (int i = 0; i < values.length; i++) {
            values[i] = 120 * Math.exp(0.8 * gaussian(random)); // log-normal latencies
            d.accept(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            double exact = values[(int) Math.floor(q * (values.length - 1))];
            assertThat(d.quantile(q)).as("p%s", q * 100).isCloseTo(exact, within(exact * 0.0101));
        }
        assertThat(d.count()).isEqualTo(values.length);
        assertThat(d.mean()).isCloseTo(Arrays.stream(values).average().orElseThrow(), within(1e-6));
    }

    @Test
    void fractionSatisfyingCountsValuesMeetingTheBound() {
        Distribution d = new Distribution();
        for (int ms = 1; ms <= 1000; ms++) d.accept(ms);
        d.accept(0.0);
        // Judged per bin: only values within 1 % of the bound (here 495..505 and 891..909) can be misjudged.
        assertThat(d.fractionSatisfying(Operator.LT, 500, 0)).isCloseTo(500.0 / 1001, within(11.0 / 1001));
        assertThat(d.fractionSatisfying(Operator.GTE, 900, 0)).isCloseTo(101.0 / 1001, within(19.0 / 1001));
        assertThat(d.fractionSatisfying(Operator.LT, 100_000, 0)).isEqualTo(1.0);
        assertThat(d.fractionSatisfying(Operator.GT, 0, 0)).isEqualTo(1000.0 / 1001); // the zero is not > 0
        assertThat(new Distribution().fractionSatisfying(Operator.LT, 1, 0)).isNaN();
    }

    @Test
    void mergeEqualsRecordingEverythingInOne() {
        Distribution a = new Distribution();
        Distribution b = new Distribution();
        Distribution all = new Distribution();
        for (int i = 1; i <= 500; i++) {
            (i % 2 == 0 ? a : b).accept(i * 1.7);
            all.accept(i * 1.7);
        }
        a.merge(b);
        assertThat(a.count()).isEqualTo(all.count());
        for (double q : new double[] {0.1, 0.5, 0.99}) assertThat(a.quantile(q)).isEqualTo(all.quantile(q));
    }

    @Test
    void bytesRoundTrip() {
        Distribution d = new Distribution();
        for (int i = 0; i < 1000; i++) d.accept(i % 37 * 13.5);
        byte[] bytes = d.toBytes();
        byte[] padded = new byte[bytes.length + 10];
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        Distribution back = Distribution.fromBytes(padded, 5, bytes.length);
        assertThat(back.count()).isEqualTo(d.count());
        assertThat(back.sum()).isEqualTo(d.sum());
        assertThat(back.quantile(0.95)).isEqualTo(d.quantile(0.95));
    }

    @Test
    void aWeightedDistributionWeighsEachGroupAndKeepsCountAndSumExact() {
        // 90 successes at 100 ms and 10 errors at 2000 ms, all counted once; the successes stand for 10 each, the
        // errors (a part of the base) for 1 each; plus 5 spans at 50 ms that already stand for 4 each.
        Distribution base = new Distribution();
        Distribution errors = new Distribution();
        for (int i = 0; i < 90; i++) base.accept(100);
        for (int i = 0; i < 10; i++) {
            base.accept(2000);
            errors.accept(2000);
        }
        Distribution exact = new Distribution();
        for (int i = 0; i < 5; i++) exact.accept(50, 4);
        Distribution weighted = Distribution.weighted(base, 10, errors, 1, exact);
        assertThat(weighted.count()).isCloseTo(900 + 10 + 20, within(1e-9));
        assertThat(weighted.sum()).isCloseTo(900 * 100 + 10 * 2000 + 20 * 50, within(1e-6));
        assertThat(weighted.quantile(0.98)).isCloseTo(100, within(1.0)); // the errors are 10 of 930 now
        assertThat(weighted.quantile(0.995)).isCloseTo(2000, within(20.0));
        assertThat(weighted.fractionSatisfying(Operator.LT, 500, 0)).isCloseTo(920.0 / 930, within(1e-9));
        // Weights of 1: the plain merge.
        Distribution plain = Distribution.weighted(base, 1, errors, 1, null);
        assertThat(plain.count()).isEqualTo(100);
        assertThat(plain.sum()).isEqualTo(base.sum());
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(Math.max(1e-12, random.nextDouble()))) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}

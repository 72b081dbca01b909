package io.homeostat.bench;

import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Waits for a counter to reach a total, sampling it every few milliseconds, and times the interval from
 * its first movement to the total (so that start-up and rebalancing are not counted as processing).
 */
public final class Progress {
    private static final long SAMPLE_MS = 10;

    /** @param firstNanos when the counter was first seen above zero; CPU likewise */
    public record Interval(long firstNanos, long doneNanos, long firstCpuNanos, long doneCpuNanos, double firstBrokerCpu,
                           double doneBrokerCpu, long count) {
        public double seconds() {
            return (doneNanos - firstNanos) / 1e9;
        }

        public double cpuSeconds() {
            return firstCpuNanos < 0 ? -1 : (doneCpuNanos - firstCpuNanos) / 1e9;
        }

        public double brokerCpuSeconds() {
            return firstBrokerCpu < 0 || doneBrokerCpu < 0 ? -1 : doneBrokerCpu - firstBrokerCpu;
        }
    }

    private Progress() {}

    public static Interval await(LongSupplier counter, long total, long timeoutMs, long brokerPid, String what)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        long first = -1;
        long firstCpu = -1;
        double firstBroker = -1;
        long count = 0;
        while (System.nanoTime() < deadline) {
            count = counter.getAsLong();
            if (count > 0 && first < 0) {
                first = System.nanoTime();
                firstCpu = Probes.processCpuNanos();
                firstBroker = brokerPid > 0 ? Probes.processCpuSeconds(brokerPid) : -1;
            }
            if (count >= total) {
                return new Interval(first, System.nanoTime(), firstCpu, Probes.processCpuNanos(), firstBroker,
                        brokerPid > 0 ? Probes.processCpuSeconds(brokerPid) : -1, count);
            }
            Thread.sleep(SAMPLE_MS);
        }
        throw new TimeoutException(what + ": counted " + count + " of " + total + " spans within " + timeoutMs / 1000 + " s");
    }
}

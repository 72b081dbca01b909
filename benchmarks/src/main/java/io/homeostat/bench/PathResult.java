package io.homeostat.bench;

/**
 * What a path measured.
 *
 * @param spans        spans counted (for the Streams paths: merged into windows, plus those dropped as late)
 * @param lateSpans    of those, spans dropped as late (not merged)
 * @param records      Kafka records (OTLP requests) read, where the path knows it
 * @param seconds      wall time from the first span counted to the last
 * @param cpuSeconds   CPU time of the path's JVM over the same interval (all its threads)
 * @param brokerCpuSeconds CPU time of the broker over the same interval (-1: unknown)
 * @param memory       heap and state after the run, when asked for
 * @param scrapes      Homeostat: HTTP scrapes ({@code /metrics} and {@code /api/v1/targets}) answered during the run
 */
public record PathResult(String path, long spans, long lateSpans, long records, double seconds, double cpuSeconds,
                         double brokerCpuSeconds, MemorySnapshot memory, long scrapes) {

    public PathResult(String path, long spans, long lateSpans, long records, double seconds, double cpuSeconds,
                      double brokerCpuSeconds, MemorySnapshot memory) {
        this(path, spans, lateSpans, records, seconds, cpuSeconds, brokerCpuSeconds, memory, 0);
    }

    public double spansPerSecond() {
        return seconds <= 0 ? 0 : spans / seconds;
    }
}

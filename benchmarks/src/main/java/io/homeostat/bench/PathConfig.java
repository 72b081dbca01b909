package io.homeostat.bench;

import java.util.Map;
import java.util.Properties;

/**
 * What one measured path is given: where the data is, how much of it there is, and for the Kafka Streams
 * paths their slice, grace, application id and state directory.
 *
 * @param path          {@link PathName} of the path
 * @param client        Kafka client properties (bootstrap servers)
 * @param topic         the dataset's topic, read from the beginning
 * @param partitions    partitions of the topics a path creates
 * @param expectedSpans the path is done when it has counted this many spans
 * @param requirements  requirement keys of the dataset (Homeostat gets two targets per key)
 * @param runId         unique per run: application id, topic prefix, consumer group
 * @param stateDir      Kafka Streams state directory
 * @param timeoutMs     give up after this long
 * @param probeMemory   measure heap after GC and state stores once done
 * @param brokerPid     the broker's process id, to measure its CPU time too (-1: unknown)
 * @param warmup        first run through the same dataset, unmeasured, in the same JVM
 * @param caps          Homeostat's cardinality caps: {@code ""} the defaults, {@code off} none, or
 *                      {@code requirements/series/services} per task
 * @param scrapeMs      Homeostat: serve HTTP as {@code homeostat run} does and scrape {@code /metrics} and
 *                      {@code /api/v1/targets} (what the status page polls) this often during the run; 0: no HTTP
 */
public record PathConfig(String path, Map<String, String> client, String topic, int partitions, long expectedSpans,
                         int requirements, String runId, String stateDir, long sliceMs, long graceMs, long timeoutMs,
                         boolean probeMemory, long brokerPid, boolean warmup, String caps, long scrapeMs) {

    /**
     * The warm-up run: the same path on the same dataset with its own application id, group and state, and no
     * probes. It runs the code the measured run will run, so that the JIT compiles it before the clock starts,
     * as it has long since done in a processor that has been running for minutes.
     */
    public PathConfig warmupRun() {
        return new PathConfig(path, client, topic, partitions, expectedSpans, requirements, runId + "-warmup",
                stateDir + "-warmup", sliceMs, graceMs, timeoutMs, false, brokerPid, false, caps, scrapeMs);
    }

    /** The cardinality limits {@link #caps} names. */
    public io.homeostat.evaluate.CardinalityLimits cardinality() {
        if (caps == null || caps.isBlank()) return io.homeostat.evaluate.CardinalityLimits.defaults();
        if (caps.equals("off")) return io.homeostat.evaluate.CardinalityLimits.unbounded();
        String[] parts = caps.split("/");
        return new io.homeostat.evaluate.CardinalityLimits(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]), io.homeostat.evaluate.CardinalityLimits.DEFAULT_IDLE_EXPIRY);
    }

    public Properties clientProperties() {
        Properties props = new Properties();
        props.putAll(client);
        return props;
    }
}

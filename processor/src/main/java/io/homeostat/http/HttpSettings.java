package io.homeostat.http;

import java.util.Objects;
import org.apache.kafka.streams.state.HostInfo;

/**
 * How {@code homeostat run} serves HTTP.
 *
 * @param bindAddress      the address to listen on ({@code 0.0.0.0}: every interface)
 * @param port             the port to listen on (1-65535)
 * @param advertised       the address other instances reach this one at: Kafka Streams' {@code application.server},
 *                         which the status API uses to ask the instance that owns a key
 * @param sliceMs          the processor's slice, for the per-slice series of a target's window
 * @param maxTargetMetrics at most this many targets get per-target series on {@code /metrics} (the cardinality cap)
 * @param threads          the stream threads configured (live fails when fewer are alive)
 * @param debugMetrics     whether Kafka Streams records its DEBUG-level metrics ({@code metrics.recording.level})
 */
public record HttpSettings(String bindAddress, int port, HostInfo advertised, long sliceMs, int maxTargetMetrics,
                           int threads, boolean debugMetrics) {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_MAX_TARGET_METRICS = 1000;

    public HttpSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(advertised, "advertised");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("HTTP port must be in 1-65535, was " + port);
        if (maxTargetMetrics < 0) throw new IllegalArgumentException("the per-target metrics cap must be >= 0, was " + maxTargetMetrics);
        if (sliceMs <= 0) throw new IllegalArgumentException("slice must be positive");
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1");
    }
}

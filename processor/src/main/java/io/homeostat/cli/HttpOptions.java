package io.homeostat.cli;

import io.homeostat.http.HttpSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import picocli.CommandLine.Option;

/**
 * {@code homeostat run}'s HTTP endpoint: the status page, {@code /metrics}, the probes and the status API. Each
 * option also from {@code HOMEOSTAT_<OPTION>}, e.g. {@code HOMEOSTAT_HTTP_PORT=9000}.
 */
public final class HttpOptions {
    @Option(names = "--http", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve the status page, /metrics, /health/live, /health/ready and the status API /api/v1 "
                    + "(default: ${DEFAULT-VALUE}; --no-http, or --http-port 0, turns it off).")
    boolean enabled = true;

    @Option(names = "--http-port", defaultValue = "" + HttpSettings.DEFAULT_PORT, paramLabel = "PORT",
            description = "Port of the HTTP endpoint; 0 turns it off (default: ${DEFAULT-VALUE}; env HOMEOSTAT_HTTP_PORT).")
    int port = HttpSettings.DEFAULT_PORT;

    @Option(names = "--http-bind-address", defaultValue = HttpSettings.DEFAULT_BIND_ADDRESS, paramLabel = "ADDRESS",
            description = "Address the HTTP endpoint listens on: 0.0.0.0 every interface, 127.0.0.1 this host only "
                    + "(default: ${DEFAULT-VALUE}; env HOMEOSTAT_HTTP_BIND_ADDRESS).")
    String bindAddress = HttpSettings.DEFAULT_BIND_ADDRESS;

    @Option(names = "--http-advertised-address", paramLabel = "HOST[:PORT]",
            description = {"Where the other instances reach this one's HTTP endpoint (Kafka Streams' application.server; "
                    + "the status API asks the instance that owns a key there).",
                    "Default: the bind address, or this host's name when it listens on every interface; the port is "
                            + "--http-port. In Kubernetes, the pod's IP: HOMEOSTAT_HTTP_ADVERTISED_ADDRESS=$(POD_IP)."})
    String advertisedAddress;

    @Option(names = "--metrics-max-targets", defaultValue = "" + HttpSettings.DEFAULT_MAX_TARGET_METRICS, paramLabel = "N",
            description = "At most this many targets of this instance get per-target series on /metrics (the worst states "
                    + "first; the rest are counted in homeostat_target_series_omitted) (default: ${DEFAULT-VALUE}).")
    int maxTargetMetrics = HttpSettings.DEFAULT_MAX_TARGET_METRICS;

    boolean on() {
        return enabled && port != 0;
    }

    /**
     * The settings, or {@code null} when the endpoint is off. Puts {@code application.server} into {@code props}
     * unless the user set it (then that is the advertised address).
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    HttpSettings settings(Duration slice, int threads, Properties props) {
        if (!on()) return null;
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--http-port must be 0 (off) or 1-65535, was " + port);
        if (maxTargetMetrics < 0) {
            throw new IllegalArgumentException("--metrics-max-targets must be 0 or more, was " + maxTargetMetrics);
        }
        HostInfo advertised;
        Object userServer = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (userServer != null && !String.valueOf(userServer).isBlank()) {
            advertised = hostInfo(String.valueOf(userServer), "-X " + StreamsConfig.APPLICATION_SERVER_CONFIG);
        } else {
            advertised = advertisedAddress == null || advertisedAddress.isBlank()
                    ? new HostInfo(defaultAdvertisedHost(), port)
                    : hostInfo(advertisedAddress.contains(":") && !advertisedAddress.startsWith("[")
                            ? advertisedAddress : advertisedAddress + ":" + port, "--http-advertised-address");
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
        }
        String level = String.valueOf(props.getOrDefault(StreamsConfig.METRICS_RECORDING_LEVEL_CONFIG, "INFO"));
        return new HttpSettings(bindAddress, port, advertised, slice.toMillis(), maxTargetMetrics, threads,
                !level.equalsIgnoreCase("INFO"));
    }

    private String defaultAdvertisedHost() {
        if (!isWildcard(bindAddress)) return bindAddress;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static boolean isWildcard(String address) {
        return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]") || address.isBlank();
    }

    private static HostInfo hostInfo(String endpoint, String option) {
        try {
            HostInfo info = HostInfo.buildFromEndpoint(endpoint);
            if (info == null || info.port() < 1 || info.port() > 65535) throw new IllegalArgumentException("no port");
            return info;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be HOST:PORT, was '" + endpoint + "'");
        }
    }
}

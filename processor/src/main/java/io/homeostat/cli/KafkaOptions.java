package io.homeostat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.homeostat.model.Durations;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import picocli.CommandLine.Option;

/** How to reach Kafka; shared by every command that talks to it. */
public final class KafkaOptions {
    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env HOMEOSTAT_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "A Kafka client/Streams properties file (security, SASL, ...); env HOMEOSTAT_KAFKA_CONFIG.")
    Path kafkaConfig;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE", split = EnvironmentDefaults.MAP_SPLIT,
            splitSynopsisLabel = ",",
            description = "Any Kafka client or Streams property, repeatable; wins over --kafka-config; env "
                    + "HOMEOSTAT_KAFKA_PROPERTY (pairs separated by newlines, or by commas before the next KEY=).")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long to wait for Kafka to answer at first, before giving up with an error (default: ${DEFAULT-VALUE}).")
    Duration timeout = Duration.ofSeconds(5);

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** bootstrap.servers, then the properties file, then -X pairs: later wins. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (kafkaConfig != null) {
            try (InputStream in = Files.newInputStream(kafkaConfig)) {
                props.load(in);
            } catch (NoSuchFileException e) {
                throw new CommandFailure("cannot read --kafka-config " + kafkaConfig + ": no such file", e);
            } catch (AccessDeniedException e) {
                throw new CommandFailure("cannot read --kafka-config " + kafkaConfig + ": permission denied", e);
            } catch (IOException | IllegalArgumentException e) {
                throw new CommandFailure("cannot read --kafka-config " + kafkaConfig + ": " + e.getMessage(), e);
            }
        }
        props.putAll(kafkaProperties);
        return props;
    }

    /**
     * Fails with one clear line, within {@code --timeout}, when Kafka cannot be reached: first a plain TCP connection
     * to each bootstrap server (so that an unreachable broker is named without Kafka's clients retrying and logging
     * for a minute), then a request to the cluster.
     */
    public void checkReachable() {
        Properties props = clientProperties();
        String servers = String.valueOf(props.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
        List<String> problems = new ArrayList<>();
        boolean anyOpen = false;
        for (String server : servers.split(",")) {
            String address = server.trim();
            if (address.isEmpty()) continue;
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new CommandFailure("'" + address + "' in --bootstrap-servers is not HOST:PORT");
            }
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new CommandFailure("'" + address + "' in --bootstrap-servers is not HOST:PORT");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
                anyOpen = true;
                break;
            } catch (IOException e) {
                problems.add(address + " (" + reason(e) + ")");
            }
        }
        if (!anyOpen) {
            throw new CommandFailure("cannot reach Kafka at " + String.join(", ", problems)
                    + "; is the broker up? (--bootstrap-servers, env HOMEOSTAT_BOOTSTRAP_SERVERS)");
        }
        Properties admin = new Properties();
        admin.putAll(props);
        int ms = (int) Math.max(1, timeout.toMillis());
        admin.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        admin.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        Admin client = Admin.create(admin);
        try {
            client.describeCluster(new DescribeClusterOptions().timeoutMs(ms)).nodes().get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CommandFailure("Kafka at " + servers + " did not answer within " + Durations.format(timeout)
                    + " (is it a Kafka broker, and are the security settings right? --timeout, --kafka-config)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new CommandFailure("Kafka at " + servers + " did not answer within " + Durations.format(timeout)
                        + " (is it a Kafka broker, and are the security settings right? --timeout, --kafka-config)", e);
            }
            throw new CommandFailure("Kafka at " + servers + " refused the connection: " + cause.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while connecting to Kafka at " + servers, e);
        } finally {
            client.close(Duration.ZERO); // a broker that does not answer would hold a graceful close forever
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (e instanceof java.net.SocketTimeoutException) return "no answer within the timeout";
        if (e instanceof java.net.UnknownHostException) return "unknown host";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

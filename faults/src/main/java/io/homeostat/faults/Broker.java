package io.homeostat.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's own Kafka broker: {@code scripts/kafka-local} with a directory and port of its own (as
 * {@code scripts/bench} does), killed with {@code kill -9} and started again on the same data.
 */
final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final Path repo;
    private final Path dir;
    private final int port;

    Broker(Path repo, Path dir, int port) {
        this.repo = repo;
        this.dir = dir;
        this.port = port;
    }

    String bootstrapServers() {
        return "localhost:" + port;
    }

    Properties client() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return props;
    }

    /** Formats (first time only) and starts the broker; the harness creates its topics itself. */
    void start() throws IOException, InterruptedException {
        int exit = script("start");
        if (exit != 0) throw new IllegalStateException("scripts/kafka-local start failed (exit " + exit + "); see " + dir.resolve("logs"));
        awaitReady(Duration.ofMinutes(2));
    }

    /** {@code kill -9} of the broker process. */
    void kill() throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readString(dir.resolve("broker.pid")).trim());
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("broker " + pid + " did not die", e);
            }
        });
        LOG.info("Broker killed (kill -9, pid {})", pid);
    }

    int script(String command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(repo.resolve("scripts/kafka-local").toString(), command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka-local.log").toFile()));
        Files.createDirectories(dir);
        Map<String, String> env = builder.environment();
        env.put("KAFKA_LOCAL_DIR", dir.toString());
        env.put("KAFKA_LOCAL_PORT", Integer.toString(port));
        env.put("KAFKA_LOCAL_HEAP", "512m");
        env.put("KAFKA_LOCAL_CREATE_TOPICS", "false");
        return builder.start().waitFor();
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (portOpen()) {
                try (Admin admin = Admin.create(client())) {
                    admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    // not ready yet
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the broker on port " + port + " did not become ready within " + timeout);
    }

    private boolean portOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("localhost", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return bootstrapServers() + ", data in " + dir;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("stop");
    }
}

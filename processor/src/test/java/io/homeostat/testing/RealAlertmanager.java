package io.homeostat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Alertmanager ({@code prometheus-alertmanager}, via {@link ExternalTools}) as one node
 * ({@code --cluster.listen-address=}) on a free loopback port, with its own storage directory and a route
 * that groups by {@code requirement} and calls a webhook, with short group_wait/group_interval for tests and a
 * long repeat_interval (so a second notification of the same group is a duplicate, not a repeat). It can be
 * stopped and started again on the same port and storage.
 */
public final class RealAlertmanager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path binary;
    private final Path dir;
    private final int port;
    private Process process;
    private int starts;

    /** Writes the configuration and starts Alertmanager; skips the test if it cannot be installed. */
    public RealAlertmanager(Path dir, String webhookUrl) throws Exception {
        this.binary = ExternalTools.require("alertmanager");
        this.dir = dir;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            this.port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("alertmanager.yml"), """
                global:
                  resolve_timeout: 5m
                route:
                  receiver: test
                  group_by: [requirement]
                  group_wait: 1s
                  group_interval: 1s
                  repeat_interval: 1h
                receivers:
                  - name: test
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(webhookUrl));
        start();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void start() throws Exception {
        if (process != null && process.isAlive()) throw new IllegalStateException("already running");
        starts++;
        Path log = dir.resolve("alertmanager-" + starts + ".log");
        process = new ProcessBuilder(binary.toString(), "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=", "--log.level=info")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Alertmanager exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Alertmanager did not become ready within 60 s: " + Files.readString(log));
    }

    /** Stops it (SIGTERM) and waits; alerts it held in memory are gone, its notification log stays on disk. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }

    /** {@code GET /api/v2/<path>} as JSON. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v2/" + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) throw new IOException(path + ": HTTP " + response.statusCode() + " " + response.body());
        return JSON.readTree(response.body());
    }

    /** The alerts Alertmanager holds as active (resolved ones are not listed). */
    public List<JsonNode> alerts() throws IOException, InterruptedException {
        List<JsonNode> alerts = new java.util.ArrayList<>();
        get("alerts").forEach(alerts::add);
        return alerts;
    }

    public String version() throws IOException, InterruptedException {
        return get("status").path("versionInfo").path("version").asText();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

package io.homeostat.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.homeostat.model.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code homeostat run}'s HTTP endpoint (the JDK's own HTTP server, no framework): the status page at {@code /},
 * {@code /metrics} (Prometheus), {@code /health/live} and {@code /health/ready}, and the status API under
 * {@code /api/v1/}. Read-only: GET and HEAD, anything else is 405. It serves nothing of the Kafka configuration.
 */
public final class HttpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoint.class);
    static final int HANDLER_THREADS = 4;
    private static final String JSON = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final MetricsRegistry metrics;
    private final Health health;
    private final StatusApi api;
    private final StatusPage page;

    private HttpEndpoint(HttpServer server, ExecutorService executor, MetricsRegistry metrics, Health health, StatusApi api,
                         StatusPage page) {
        this.server = server;
        this.executor = executor;
        this.metrics = metrics;
        this.health = health;
        this.api = api;
        this.page = page;
    }

    /**
     * Listens and serves at once (the probes answer while Kafka Streams starts). Call before {@code streams.start()}:
     * it registers the restore listener that readiness needs.
     *
     * @param stoppedByFailure whether a stream thread's failure stopped the client (live fails)
     * @throws IOException when the address cannot be listened on (in use, not an address of this host)
     */
    public static HttpEndpoint start(KafkaStreams streams, HttpSettings settings, BooleanSupplier stoppedByFailure)
            throws IOException {
        Health health = new Health(streams, settings.threads(), stoppedByFailure);
        streams.setGlobalStateRestoreListener(health);
        HttpServer server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 0);
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(HANDLER_THREADS, r -> {
            Thread t = new Thread(r, "homeostat-http-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LocalStores stores = new LocalStores(streams, settings.sliceMs());
        MetricsRegistry metrics = new MetricsRegistry(streams, stores, settings.maxTargetMetrics(), settings.debugMetrics());
        StatusApi api = new StatusApi(streams, stores, settings.advertised(), new Peers(), System::currentTimeMillis);
        HttpEndpoint endpoint = new HttpEndpoint(server, executor, metrics, health, api, StatusPage.load());
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    /** The address listened on (the port is the real one). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            boolean head = "HEAD".equals(method);
            if (!head && !"GET".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendJson(exchange, ApiResponse.error(405, "method_not_allowed",
                        "the endpoint is read-only: GET and HEAD only"), false);
                return;
            }
            String path = exchange.getRequestURI().getPath();
            try {
                route(exchange, path == null ? "/" : path, head);
            } catch (RuntimeException e) {
                LOG.warn("HTTP {} {} failed", method, path, e);
                sendJson(exchange, ApiResponse.error(500, "internal", "the request failed: " + e.getClass().getSimpleName()
                        + " (logged by the processor)"), head);
            }
        }
    }

    private void route(HttpExchange exchange, String path, boolean head) throws IOException {
        switch (path) {
            case "/", "/index.html" -> {
                page.headers().forEach(exchange.getResponseHeaders()::set);
                send(exchange, 200, StatusPage.CONTENT_TYPE, page.html(), head);
            }
            case "/metrics" -> {
                String contentType = MetricsRegistry.contentType(exchange.getRequestHeaders().getFirst("Accept"));
                ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
                metrics.scrape(out, contentType);
                send(exchange, 200, contentType, out.toByteArray(), head);
            }
            case "/health/live" -> probe(exchange, health.live(), head);
            case "/health/ready", "/health" -> probe(exchange, health.ready(), head);
            default -> {
                if (path.startsWith(StatusApi.PREFIX)) {
                    Map<String, String> query;
                    try {
                        query = query(exchange.getRequestURI().getRawQuery());
                    } catch (IllegalArgumentException e) {
                        sendJson(exchange, ApiResponse.error(400, "bad_request", "the query string is not URL-encoded: "
                                + e.getMessage()), head);
                        return;
                    }
                    sendJson(exchange, api.handle(path, query), head);
                } else {
                    sendJson(exchange, ApiResponse.notFound("no such page: " + path + " (the status page is /, the "
                            + "API /api/v1/targets, metrics /metrics, probes /health/live and /health/ready)"), head);
                }
            }
        }
    }

    private static void probe(HttpExchange exchange, Health.Probe probe, boolean head) throws IOException {
        send(exchange, probe.up() ? 200 : 503, JSON, Json.MAPPER.writeValueAsBytes(probe.body()), head);
    }

    private static void sendJson(HttpExchange exchange, ApiResponse response, boolean head) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        send(exchange, response.status(), JSON, Json.MAPPER.writeValueAsBytes(response.body()), head);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, boolean head)
            throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
        if (head) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The query's parameters (decoded; the last of a repeated one wins). */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return params;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(key, value);
        }
        return params;
    }


    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
    }
}

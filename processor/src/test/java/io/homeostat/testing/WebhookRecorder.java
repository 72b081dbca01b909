package io.homeostat.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP receiver on a free loopback port that records every JSON body POSTed to it: what Alertmanager's
 * webhook (or the bridge's webhook mode) delivered. It can be told to answer with an error for a while.
 */
public final class WebhookRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> received = new ArrayList<>();
    private final AtomicInteger failWith = new AtomicInteger(0);
    private final AtomicInteger refused = new AtomicInteger();

    public WebhookRecorder() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "webhook-recorder");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange; InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                int status = failWith.get();
                if (status != 0) {
                    refused.incrementAndGet();
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                synchronized (received) {
                    received.add(JSON.readTree(bytes));
                    received.notifyAll();
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** From now on answer every request with {@code status} (e.g. 503); 0 accepts again. */
    public void answer(int status) {
        failWith.set(status);
    }

    /** Requests answered with an error so far. */
    public int refused() {
        return refused.get();
    }

    public List<JsonNode> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The messages received so far that match. */
    public List<JsonNode> received(Predicate<JsonNode> which) {
        return received().stream().filter(which).toList();
    }

    /** Waits until at least {@code count} matching messages have arrived; the matching ones. */
    public List<JsonNode> await(Predicate<JsonNode> which, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (true) {
                List<JsonNode> matching = received.stream().filter(which).toList();
                if (matching.size() >= count) return matching;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " matching webhook message(s) within " + timeout
                            + ", got " + matching.size() + "; all received: " + received);
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

package io.homeostat.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What watches a processor in production, while the bench measures it: a Prometheus scrape of {@code /metrics} and
 * the status page's poll of {@code /api/v1/targets}, every interval. Counts the scrapes answered with 200 (both
 * requests), so that the report shows the endpoint really served during the run.
 */
final class Scraper implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-scraper");
        t.setDaemon(true);
        return t;
    });
    private final List<URI> uris;
    private final AtomicLong answered = new AtomicLong();

    private Scraper(String base) {
        uris = List.of(URI.create(base + "/metrics"), URI.create(base + "/api/v1/targets"));
    }

    static Scraper start(String base, long intervalMs) {
        Scraper scraper = new Scraper(base);
        scraper.timer.scheduleAtFixedRate(scraper::scrape, 0, intervalMs, TimeUnit.MILLISECONDS);
        return scraper;
    }

    private void scrape() {
        boolean ok = true;
        for (URI uri : uris) {
            try {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                ok &= response.statusCode() == 200;
            } catch (IOException e) {
                ok = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (ok) answered.incrementAndGet();
    }

    long answered() {
        return answered.get();
    }

    /** A port free on the loopback address now (the endpoint's settings want a real port, not 0). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

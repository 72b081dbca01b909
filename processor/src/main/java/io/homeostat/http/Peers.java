package io.homeostat.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.model.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The other instances of the application, asked over HTTP for what their stores hold (their {@code application.server}
 * address, as Kafka Streams' metadata names it). Only GET, only the status API's own paths.
 */
final class Peers {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** What an instance answered: its status code and JSON body. */
    record Answer(int status, JsonNode body) {}

    /** GET {@code path} (not encoded: it is encoded here) with {@code query} from {@code host}. */
    CompletableFuture<Answer> get(HostInfo host, String path, String query) {
        URI uri;
        try {
            uri = new URI("http", null, host.host(), host.port(), path, query, null);
        } catch (URISyntaxException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).thenApply(response -> {
            try {
                return new Answer(response.statusCode(), Json.MAPPER.readTree(response.body()));
            } catch (IOException e) {
                throw new IllegalStateException("not JSON (HTTP " + response.statusCode() + ")", e);
            }
        });
    }

    static String describe(HostInfo host) {
        return host.host() + ":" + host.port();
    }
}

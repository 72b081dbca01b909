package io.homeostat.forward;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** JSON over HTTP with the JDK's client: one request, its status and its answer; never throws for the network. */
final class HttpPoster implements AutoCloseable {
    /** Alertmanager's and webhooks' JSON: the field names as the records declare them. */
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int BODY_SNIPPET = 300;

    private final HttpClient client;
    private final Duration timeout;
    private final Map<String, String> headers;

    /** @param status the HTTP status, or -1 when there was no answer ({@code body} then says why) */
    record Response(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The other side says the request itself is wrong; sending it again cannot help. */
        boolean invalid() {
            return status == 400 || status == 422;
        }

        /** For logs and dead letters: the status and the start of the answer. */
        String describe() {
            String start = body.length() > BODY_SNIPPET ? body.substring(0, BODY_SNIPPET) + "…" : body;
            return status < 0 ? body : "HTTP " + status + (start.isBlank() ? "" : ": " + start);
        }
    }

    HttpPoster(Duration timeout, Map<String, String> headers) {
        this.timeout = timeout;
        this.headers = Map.copyOf(headers);
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    Response post(URI uri, Object payload) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + payload.getClass().getSimpleName() + " as JSON", e);
        }
        return send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json"));
    }

    Response get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private Response send(HttpRequest.Builder request) {
        request.timeout(timeout).header("User-Agent", "homeostat-alerts-forward");
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body() == null ? "" : response.body().strip());
        } catch (HttpTimeoutException e) {
            return new Response(-1, "no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return new Response(-1, "connection refused or unreachable");
        } catch (IOException e) {
            return new Response(-1, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, "interrupted");
        }
    }

    /** The JDK 17 client has no close: its threads are daemons, and go with the last reference. */
    @Override
    public void close() {}
}

package io.homeostat.forward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.homeostat.model.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alertmanager's API v2, {@code POST /api/v2/alerts}, to every member of a cluster, as Prometheus does: the
 * members share notification state (who was told what) but not alerts, so each gets every alert; a batch is
 * delivered once at least one member accepted it, and a member that missed it gets it with the next re-send.
 *
 * <p>Alertmanager accepts the valid alerts of a request and answers 400 naming the invalid ones; the
 * receiver then posts that request's alerts one by one to learn which were refused (posting an alert again is
 * harmless: its label set is its identity).
 */
final class AlertmanagerReceiver implements Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerReceiver.class);
    /** Alertmanager's default {@code global.resolve_timeout}. */
    static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofMinutes(5);
    static final int MAX_ALERTS_PER_REQUEST = 500;

    private final List<URI> bases;
    private final HttpPoster http;
    private final Duration resendInterval;

    AlertmanagerReceiver(List<URI> bases, HttpPoster http, Duration resendInterval) {
        if (bases.isEmpty()) throw new IllegalArgumentException("no Alertmanager URL");
        this.bases = List.copyOf(bases);
        this.http = http;
        this.resendInterval = resendInterval;
    }

    @Override
    public String describe() {
        return "Alertmanager " + String.join(", ", bases.stream().map(URI::toString).toList());
    }

    /** Logs each member's version and {@code resolve_timeout}, warning when re-sends are not well inside it. */
    @Override
    public void probe() {
        for (URI base : bases) {
            HttpPoster.Response response = http.get(base.resolve("api/v2/status"));
            if (!response.ok()) {
                LOG.warn("Alertmanager {} did not answer its status ({}); alerts wait for it", base, response.describe());
                continue;
            }
            try {
                JsonNode status = HttpPoster.JSON.readTree(response.body());
                String version = status.path("versionInfo").path("version").asText("?");
                Duration resolveTimeout = resolveTimeout(status.path("config").path("original").asText(""))
                        .orElse(DEFAULT_RESOLVE_TIMEOUT);
                LOG.info("Alertmanager {}: version {}, resolve_timeout {}; firing alerts are re-sent every {}", base, version,
                        Durations.format(resolveTimeout), Durations.format(resendInterval));
                if (resendInterval.multipliedBy(2).compareTo(resolveTimeout) > 0) {
                    LOG.warn("--resend-interval {} is not well inside Alertmanager {}'s resolve_timeout {}: a firing alert "
                                    + "may be resolved by Alertmanager between two re-sends; use at most {}",
                            Durations.format(resendInterval), base, Durations.format(resolveTimeout),
                            Durations.format(resolveTimeout.dividedBy(2)));
                }
            } catch (java.io.IOException | RuntimeException e) {
                LOG.info("Alertmanager {} is up (its status could not be read: {})", base, e.getMessage());
            }
        }
    }

    /** {@code global.resolve_timeout} of the configuration Alertmanager reports, if it says. */
    static Optional<Duration> resolveTimeout(String configYaml) {
        if (configYaml == null || configYaml.isBlank()) return Optional.empty();
        try {
            JsonNode value = new YAMLMapper().readTree(configYaml).path("global").path("resolve_timeout");
            return value.isTextual() ? Optional.of(Durations.parse(value.asText())) : Optional.empty();
        } catch (java.io.IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Delivery deliver(List<AlertmanagerAlert> alerts) {
        List<AlertmanagerAlert> batch = List.copyOf(alerts);
        return () -> attempt(batch);
    }

    private Outcome attempt(List<AlertmanagerAlert> batch) {
        if (batch.isEmpty()) return Outcome.accepted(Map.of());
        Map<Integer, String> rejected = null;
        List<String> failures = new ArrayList<>();
        for (URI base : bases) {
            Map<Integer, String> refusedHere = new HashMap<>();
            String failure = post(base.resolve("api/v2/alerts"), batch, refusedHere);
            if (failure != null) {
                failures.add(base + ": " + failure);
                continue;
            }
            // An alert counts as refused only if every member that answered refused it.
            if (rejected == null) {
                rejected = refusedHere;
            } else {
                rejected.keySet().retainAll(refusedHere.keySet());
            }
        }
        if (rejected == null) return Outcome.failed(String.join("; ", failures));
        if (!failures.isEmpty()) {
            LOG.warn("Delivered {} alert(s), but not to every Alertmanager ({}); they get them with the next re-send",
                    batch.size(), String.join("; ", failures));
        }
        return Outcome.accepted(rejected);
    }

    /** @return null when this member answered for every alert (refused ones in {@code refused}), else why not */
    private String post(URI endpoint, List<AlertmanagerAlert> batch, Map<Integer, String> refused) {
        for (int from = 0; from < batch.size(); from += MAX_ALERTS_PER_REQUEST) {
            List<AlertmanagerAlert> chunk = batch.subList(from, Math.min(batch.size(), from + MAX_ALERTS_PER_REQUEST));
            HttpPoster.Response response = http.post(endpoint, chunk);
            if (response.ok()) continue;
            if (!response.invalid()) return response.describe();
            if (chunk.size() == 1) {
                refused.put(from, response.describe());
                continue;
            }
            // Which of them? Alertmanager kept the valid ones; one by one tells the rest.
            for (int i = 0; i < chunk.size(); i++) {
                HttpPoster.Response single = http.post(endpoint, List.of(chunk.get(i)));
                if (single.invalid()) {
                    refused.put(from + i, single.describe());
                } else if (!single.ok()) {
                    return single.describe();
                }
            }
        }
        return null;
    }

    /** Every URL as given, with a trailing slash so that {@code api/v2/...} resolves below it. */
    static List<URI> bases(List<String> urls) {
        Map<String, URI> unique = new LinkedHashMap<>();
        for (String url : urls) {
            String trimmed = url.strip();
            URI uri = URI.create(trimmed.endsWith("/") ? trimmed : trimmed + "/");
            unique.putIfAbsent(uri.toString(), uri);
        }
        return List.copyOf(unique.values());
    }
}

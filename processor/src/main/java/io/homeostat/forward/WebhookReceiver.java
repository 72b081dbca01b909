package io.homeostat.forward;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhooks that take Alertmanager's webhook payload ({@link WebhookMessage}), for teams without Alertmanager.
 * Every URL is a separate receiver: a batch is delivered when every URL accepted every message of it. A
 * retry sends only what is still missing (the messages a URL has not accepted yet), so a receiver that was
 * up is not told twice because another was down.
 */
final class WebhookReceiver implements Receiver {
    private final List<URI> urls;
    private final HttpPoster http;
    private final String receiverName;
    private final String externalUrl;

    WebhookReceiver(List<URI> urls, HttpPoster http, String receiverName, String externalUrl) {
        if (urls.isEmpty()) throw new IllegalArgumentException("no webhook URL");
        this.urls = List.copyOf(urls);
        this.http = http;
        this.receiverName = receiverName;
        this.externalUrl = externalUrl;
    }

    @Override
    public String describe() {
        return "webhook " + String.join(", ", urls.stream().map(URI::toString).toList());
    }

    @Override
    public Delivery deliver(List<AlertmanagerAlert> alerts) {
        List<AlertmanagerAlert> batch = List.copyOf(alerts);
        List<WebhookMessage> messages = WebhookMessage.group(batch, receiverName, externalUrl);
        Set<String> done = new HashSet<>(); // "<url index>/<message index>"
        Map<Integer, String> rejected = new HashMap<>();
        return () -> {
            List<String> failures = new ArrayList<>();
            for (int u = 0; u < urls.size(); u++) {
                for (int m = 0; m < messages.size(); m++) {
                    if (done.contains(u + "/" + m)) continue;
                    HttpPoster.Response response = http.post(urls.get(u), messages.get(m));
                    if (response.ok()) {
                        done.add(u + "/" + m);
                    } else if (response.invalid()) {
                        // The receiver refuses this message for good: its alerts are reported, not retried.
                        done.add(u + "/" + m);
                        for (String fingerprint : messages.get(m).fingerprints()) {
                            for (int i = 0; i < batch.size(); i++) {
                                if (batch.get(i).fingerprint().equals(fingerprint)) {
                                    rejected.put(i, urls.get(u) + " refused it: " + response.describe());
                                }
                            }
                        }
                    } else {
                        failures.add(urls.get(u) + ": " + response.describe());
                        break; // this URL is failing: try it again with the next attempt
                    }
                }
            }
            return failures.isEmpty() ? Outcome.accepted(rejected) : Outcome.failed(String.join("; ", failures));
        };
    }
}

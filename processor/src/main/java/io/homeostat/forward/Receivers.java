package io.homeostat.forward;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the receivers from URLs as people give them, saying plainly what is wrong with one. */
public final class Receivers {
    private Receivers() {}

    /**
     * Alertmanager's API at each URL (the members of one cluster): {@code http://am:9093}, or with a path
     * prefix ({@code --web.route-prefix}) {@code http://proxy/alertmanager}.
     */
    public static Receiver alertmanager(List<String> urls, Duration timeout, Map<String, String> headers,
                                        Duration resendInterval) {
        return new AlertmanagerReceiver(AlertmanagerReceiver.bases(check(urls, "--alertmanager")),
                new HttpPoster(timeout, headers), resendInterval);
    }

    /** Webhooks that take Alertmanager's webhook payload; each one gets every notification. */
    public static Receiver webhook(List<String> urls, Duration timeout, Map<String, String> headers, String receiverName,
                                   String externalUrl) {
        List<URI> uris = new ArrayList<>();
        for (String url : check(urls, "--webhook")) {
            URI uri = URI.create(url.strip());
            if (!uris.contains(uri)) uris.add(uri);
        }
        return new WebhookReceiver(uris, new HttpPoster(timeout, headers), receiverName, externalUrl);
    }

    /**
     * @throws IllegalArgumentException naming the URL and what is wrong with it
     */
    static List<String> check(List<String> urls, String option) {
        if (urls == null || urls.isEmpty()) throw new IllegalArgumentException(option + " needs at least one URL");
        for (String url : urls) {
            URI uri;
            try {
                uri = URI.create(url.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " '" + url + "' is not a URL: " + e.getMessage());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException(option + " '" + url + "' must start with http:// or https://");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new IllegalArgumentException(option + " '" + url + "' has no host");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(option + " '" + url + "': credentials in the URL are not sent; use "
                        + "--header Authorization=... instead");
            }
        }
        return urls;
    }
}

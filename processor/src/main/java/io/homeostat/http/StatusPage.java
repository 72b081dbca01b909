package io.homeostat.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status page: one self-contained HTML file in the jar (its CSS and JS inline; no build chain, nothing from
 * elsewhere, for closed networks). It is served with a Content-Security-Policy that allows exactly its own inline
 * style and script (by their SHA-256) and requests to this origin: even text that slipped into the page as HTML
 * could not run.
 */
final class StatusPage {
    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    static final String RESOURCE = "status.html";
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

    private final byte[] html;
    private final Map<String, String> headers;

    private StatusPage(byte[] html, String policy) {
        this.html = html;
        this.headers = Map.of("Content-Security-Policy", policy);
    }

    static StatusPage load() {
        try (InputStream in = StatusPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the jar");
            byte[] html = in.readAllBytes();
            String text = new String(html, StandardCharsets.UTF_8);
            String policy = "default-src 'none'; script-src " + hash(only(SCRIPT, text)) + "; style-src "
                    + hash(only(STYLE, text)) + "; connect-src 'self'; img-src data:; base-uri 'none'; "
                    + "form-action 'none'; frame-ancestors 'none'";
            return new StatusPage(html, policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] html() {
        return html;
    }

    Map<String, String> headers() {
        return headers;
    }

    private static String only(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) throw new IllegalStateException(RESOURCE + " has no " + pattern.pattern());
        String content = m.group(1);
        if (m.find()) throw new IllegalStateException(RESOURCE + " has more than one " + pattern.pattern());
        return content;
    }

    private static String hash(String inline) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(inline.getBytes(StandardCharsets.UTF_8));
            return "'sha256-" + Base64.getEncoder().encodeToString(digest) + "'";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

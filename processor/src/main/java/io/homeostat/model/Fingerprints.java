package io.homeostat.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Stable ids derived from content, never from a clock, so that a replay converges on the same records. */
public final class Fingerprints {
    private Fingerprints() {}

    /** 16 hex digits (64 bits, as Prometheus fingerprints) of the target id and its sorted labels. */
    public static String alert(String targetId, Map<String, String> labels) {
        StringBuilder text = new StringBuilder(targetId);
        new TreeMap<>(labels).forEach((k, v) -> text.append('\n').append(k).append('=').append(v));
        return sha256Hex(text.toString()).substring(0, 16);
    }

    /**
     * A no-data alert is a separate identity from the target's deviation alert (both can be open at once
     * when {@code no_data_after} is shorter than the window); deviation keeps the plain fingerprint.
     */
    public static String alert(String targetId, Map<String, String> labels, String kind) {
        if (Alert.KIND_DEVIATION.equals(kind)) return alert(targetId, labels);
        return sha256Hex(targetId + "\n\u0000alert_kind=" + kind + "\n" + new TreeMap<>(labels)).substring(0, 16);
    }

    /** An alert episode: the fingerprint and when the episode began firing. */
    public static String alertId(String fingerprint, long startsAtMs) {
        return fingerprint + "-" + startsAtMs;
    }

    public static String sha256Hex(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}

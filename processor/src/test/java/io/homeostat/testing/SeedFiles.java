package io.homeostat.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The seed's config/observability.yml (copied verbatim into config/), and variants of it for tests. */
public final class SeedFiles {
    /** The seed refers to ${ENV} and ${VERSION}; these values make it complete. */
    public static final Map<String, String> ENV = Map.of("ENV", "production", "VERSION", "1.4.2");

    private SeedFiles() {}

    public static String observabilityYml() {
        try {
            return Files.readString(RepoFiles.resolve("config/observability.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The broken variant: a bad operator, an unknown field typo, a target that is not a number, a
     * metric nothing declares, and an entry with no metric at all.
     */
    public static String broken() {
        String broken = observabilityYml()
                .replace("operator: \"lt\"  # less than", "operator: \"below\"  # not an operator")
                .replace("alert_threshold: 0.95  # Alert if > 5% exceed target", "alert_treshold: 0.95  # typo")
                .replace("target: 0.99", "target: \"high\"")
                .replace("metric: \"login_success_rate\"", "metric: \"login_sucess_count\"");
        if (broken.equals(observabilityYml())) throw new IllegalStateException("the seed file changed");
        return broken + """

                    REQ-F-AUTH-002:
                      target: 3
                      operator: "lte"
                """;
    }

    /**
     * The seed with REQ-F-AUTH-001's login_success_rate as the ratio of its declared login_attempts counter
     * ({@code good} its successes, {@code total} successes and failures), {@code total} naming {@code totalMetric}.
     */
    public static String withRatio(String totalMetric) {
        String seed = observabilityYml();
        String ratio = seed.replace("      metric: \"login_success_rate\"\n", """
                      metric: "login_success_rate"
                      ratio:
                        good: {metric: "login_attempts", where: {status: "success"}}
                        total: {metric: "%s", where: {status: ["success", "failure"]}}
                """.formatted(totalMetric));
        if (ratio.equals(seed)) throw new IllegalStateException("the seed file changed");
        return ratio;
    }

    /** The seed without its REQ-NFR-PERF-001 entry. */
    public static String withoutLatencyTarget() {
        String seed = observabilityYml();
        int start = seed.indexOf("    REQ-NFR-PERF-001:");
        int end = seed.indexOf("    REQ-F-AUTH-001:");
        if (start < 0 || end < start) throw new IllegalStateException("the seed file changed");
        return seed.substring(0, start) + seed.substring(end);
    }

    /** The 1-based number of the first line containing {@code needle}. */
    public static int lineOf(String text, String needle) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) return i + 1;
        }
        throw new AssertionError("no line with " + needle);
    }
}

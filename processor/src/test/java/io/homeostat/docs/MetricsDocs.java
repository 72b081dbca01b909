package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/metrics-and-logs.md against a real {@code /metrics} scrape: every metric the page names is exported, and
 * every {@code homeostat_*} metric exported is on the page (by its full name, or as a counter of the page's table:
 * {@code homeostat_<counter>_total} and {@code _rate}). Called by the broker test that scrapes a running processor.
 */
public final class MetricsDocs {
    static final Path PAGE = RepoFiles.resolve("docs/metrics-and-logs.md");
    private static final Pattern NAMED = Pattern.compile("`((?:homeostat|kafka|jvm|process)_[a-z0-9_]+)");
    private static final Pattern FAMILY = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) ", Pattern.MULTILINE);
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", Pattern.MULTILINE);
    private static final Pattern COUNTER = Pattern.compile("`([a-z]+(?:-[a-z]+)+)`");

    private MetricsDocs() {}

    /** @param scrape a {@code /metrics} answer in the Prometheus text format 0.0.4 */
    public static void assertTrueTo(String scrape) throws IOException {
        String page = Files.readString(PAGE);
        Set<String> series = new TreeSet<>();
        Matcher s = SERIES.matcher(scrape);
        while (s.find()) series.add(s.group(1));
        Set<String> families = new TreeSet<>();
        Matcher f = FAMILY.matcher(scrape);
        while (f.find()) families.add(f.group(1));
        assertThat(families).as("families in the scrape").isNotEmpty();

        Set<String> named = new TreeSet<>();
        Matcher n = NAMED.matcher(page);
        while (n.find()) named.add(n.group(1));
        assertThat(named).as("metric names on %s", PAGE).hasSizeGreaterThan(10);
        Set<String> exported = new TreeSet<>(series);
        exported.addAll(families);
        assertThat(exported).as("the scrape has every metric %s names", PAGE).containsAll(named);

        Set<String> counters = new TreeSet<>();
        Matcher c = COUNTER.matcher(page);
        while (c.find()) counters.add(c.group(1));
        Set<String> undocumented = new TreeSet<>();
        for (String family : families) {
            if (!family.startsWith("homeostat_") || named.contains(family)) continue;
            String base = family.substring("homeostat_".length()).replaceFirst("_(total|rate)$", "");
            if (!counters.contains(base.replace('_', '-'))) undocumented.add(family);
        }
        assertThat(undocumented).as("homeostat_* metrics exported but not on %s", PAGE).isEmpty();
    }
}

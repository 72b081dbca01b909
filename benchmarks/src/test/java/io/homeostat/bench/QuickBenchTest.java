package io.homeostat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The harness's quick mode on a real broker, every path in this JVM: checks that the floor, Homeostat (exactly
 * once, as shipped) and the naive topology each count every span of the dataset. Correctness only; the
 * numbers it measures here mean nothing and are not looked at.
 */
class QuickBenchTest {
    @TempDir Path workDir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void floorHomeostatAndNaiveCountTheSameSpans() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka()) {
            LoadHarness harness = new LoadHarness();
            new CommandLine(harness).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(
                    "--bootstrap-servers", kafka.bootstrapServers(), "--quick", "--in-process",
                    "--paths", "floor,homeostat,naive", "--no-latency", "--no-memory", "--no-jmh", "--no-warmup",
                    "--caps", "100/100/50", "--partitions", "2", "--scrape-interval", "100ms",
                    "--work-dir", workDir.toString());

            assertThat(harness.call()).isZero();

            long produced = harness.report.written.get("main").spans();
            assertThat(produced).isEqualTo(20_000);
            assertThat(harness.report.throughput).extracting(PathResult::path)
                    .containsExactly("FLOOR", "HOMEOSTAT", "NAIVE");
            assertThat(harness.report.throughput).allSatisfy(result ->
                    assertThat(result.spans()).as(result.path()).isEqualTo(produced));
            // Homeostat served HTTP while it was measured: /metrics and the status API answered the scraper.
            PathResult homeostat = harness.report.throughput.get(1);
            assertThat(homeostat.scrapes()).as("scrapes answered during the Homeostat run").isPositive();
            assertThat(harness.report.markdown()).contains("was scraped every 100 ms");

            // The junk dataset (2 000 user ids as requirements and as service names), with caps and without: every
            // span is counted either way, and with the caps the task keeps at most what they allow.
            long junk = harness.report.written.get("junk").spans();
            assertThat(harness.report.cardinality).extracting(Report.CardinalityPoint::label)
                    .containsExactly("caps 100/100/50", "no caps");
            MemorySnapshot capped = harness.report.cardinality.get(0).result().memory();
            MemorySnapshot open = harness.report.cardinality.get(1).result().memory();
            assertThat(harness.report.cardinality).allSatisfy(p -> assertThat(p.result().spans()).isEqualTo(junk));
            assertThat(open.storeEntries().get("unattributed-counts")).isEqualTo(2_000);
            assertThat(capped.storeEntries().get("unattributed-counts")).as("2 tasks of 50 services").isEqualTo(100);
            assertThat(capped.serviceCounters()).as("2 decode tasks of 50 services and the others").isEqualTo(2 * 51);
            assertThat(open.refusedSpans()).isZero();
            assertThat(capped.refusedSpans()).isPositive();
            assertThat(capped.storeEntries().get("requirement-slices")).isLessThan(open.storeEntries().get("requirement-slices"));
            // The SLO state: 20 targets, 5 days, at 1x and 10x events, as many entries at both.
            assertThat(harness.report.sloState).hasSize(2);
            assertThat(harness.report.sloState.get(1).events()).isEqualTo(10 * harness.report.sloState.get(0).events());
            assertThat(harness.report.sloState.get(1).entries()).isEqualTo(harness.report.sloState.get(0).entries());
            assertThat(harness.report.markdown()).contains("**SLO state**", "| 20 | 5d | 600 |");
        }
    }
}

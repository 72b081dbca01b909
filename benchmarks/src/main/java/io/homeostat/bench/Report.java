package io.homeostat.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The harness's results as markdown. */
final class Report {
    /** A JMH result: spans or operations per second with its error (99.9 %). */
    record JmhScore(String benchmark, double score, double error, String unit) {}

    /** One memory point: which run, and what it left. */
    record MemoryPoint(String label, long spans, int requirements, PathResult result) {}

    /** One run on the junk dataset: with which caps, and what it left. */
    record CardinalityPoint(String label, int junkValues, PathResult result) {}

    final MachineFacts machine;
    final String jvmOptions;
    final String command;
    String loadAfter = "";
    final List<String> notes = new ArrayList<>();
    final Map<String, DatasetSpec> datasets = new LinkedHashMap<>();
    /** Whether every throughput path first read the dataset once, unmeasured (JIT warm-up). */
    boolean warmup;
    /** How often the Homeostat path was scraped over HTTP during its runs (0: it served no HTTP). */
    long scrapeMs;
    final Map<String, Dataset.Written> written = new LinkedHashMap<>();
    final List<PathResult> throughput = new ArrayList<>();
    /** spans/s of every round of each path, in order. */
    final Map<String, List<Double>> rounds = new LinkedHashMap<>();
    /** Spans dropped as late in every round of each path, in order (the table shows the median round's). */
    final Map<String, List<Long>> lateRounds = new LinkedHashMap<>();
    final List<DetectionLatency.Result> latency = new ArrayList<>();
    final List<MemoryPoint> memory = new ArrayList<>();
    final List<CardinalityPoint> cardinality = new ArrayList<>();
    final List<JmhScore> jmh = new ArrayList<>();
    final List<SloStateBench.Result> sloState = new ArrayList<>();
    double totalSeconds;

    Report(MachineFacts machine, String jvmOptions, String command) {
        this.machine = machine;
        this.jvmOptions = jvmOptions;
        this.command = command;
    }

    private PathResult path(PathName name) {
        return throughput.stream().filter(r -> r.path().equals(name.name())).findFirst().orElse(null);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("### Homeostat load harness, ").append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(
                Instant.now().atOffset(ZoneOffset.UTC).withNano(0))).append(" UTC\n\n");
        md.append("`").append(command).append("`\n\n");
        md.append("| machine | |\n|---|---|\n");
        md.append("| cores | ").append(machine.cores()).append(" (").append(machine.cpu()).append(")").append(" |\n");
        md.append("| memory | ").append(gib(machine.memoryBytes())).append(" |\n");
        md.append("| JVM | ").append(machine.jvm()).append("; every measured path in a JVM of its own: `").append(jvmOptions)
                .append("` |\n");
        md.append("| Kafka | ").append(machine.kafka()).append(", one KRaft broker on the same machine |\n");
        md.append("| OS | ").append(machine.os()).append(" |\n");
        md.append("| load average (1, 5, 15 min) | before ").append(machine.loadAverage()).append("; after ").append(loadAfter)
                .append(" |\n");
        md.append("| harness run time | ").append(String.format(Locale.ROOT, "%.0f s", totalSeconds)).append(" |\n\n");
        for (Map.Entry<String, DatasetSpec> e : datasets.entrySet()) {
            Dataset.Written w = written.get(e.getKey());
            md.append("- dataset `").append(e.getKey()).append("`: ").append(e.getValue().describe());
            if (w != null) {
                md.append(String.format(Locale.ROOT, "; %.0f MB of OTLP protobuf before compression, produced in %.1f s",
                        w.bytes() / 1e6, w.seconds()));
            }
            md.append("\n");
        }
        md.append("\n");

        if (!throughput.isEmpty()) {
            md.append("**Throughput** (each path reads the whole dataset from the beginning, in a fresh JVM with a fresh "
                    + "application id; " + (warmup
                            ? "before it, unmeasured, the same path read the whole dataset once in that JVM with another "
                            + "application id, so that the JIT has compiled its code; " : "no warm-up run: JIT compilation is measured too; ")
                    + "time and CPU from its first span to its last; the median of the rounds, which run interleaved)\n\n");
            md.append("| path | spans counted | late | seconds | spans/s | path CPU s | broker CPU s | spans per CPU-second (path + broker) | every round, spans/s |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (PathResult r : throughput) {
                double cpu = r.cpuSeconds() + Math.max(0, r.brokerCpuSeconds());
                md.append("| ").append(PathName.valueOf(r.path()).label()).append(" | ").append(String.format(Locale.ROOT, "%,d", r.spans()))
                        .append(" | ").append(r.lateSpans()).append(" | ").append(String.format(Locale.ROOT, "%.2f", r.seconds()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,.0f", r.spansPerSecond()))
                        .append(" | ").append(String.format(Locale.ROOT, "%.1f", r.cpuSeconds()))
                        .append(" | ").append(r.brokerCpuSeconds() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", r.brokerCpuSeconds()))
                        .append(" | ").append(cpu <= 0 ? "n/a" : String.format(Locale.ROOT, "%,.0f", r.spans() / cpu))
                        .append(" | ").append(String.join(", ", rounds.getOrDefault(r.path(), List.of()).stream()
                                .map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList())).append(" |\n");
            }
            PathResult floor = path(PathName.FLOOR);
            PathResult homeostat = path(PathName.HOMEOSTAT);
            PathResult naive = path(PathName.NAIVE);
            md.append("\n");
            List<Long> homeostatLate = lateRounds.get(PathName.HOMEOSTAT.name());
            if (homeostatLate != null) {
                md.append("- Homeostat's spans dropped as late, every round: ").append(String.join(", ",
                        homeostatLate.stream().map(String::valueOf).toList())).append("\n");
            }
            if (floor != null && homeostat != null) {
                md.append(String.format(Locale.ROOT, "- Homeostat / floor: **%.2f×** (goal ≥ 0.7); per CPU-second of path and broker: %.2f×%n",
                        homeostat.spansPerSecond() / floor.spansPerSecond(), perCpu(homeostat) / perCpu(floor)));
            }
            if (homeostat != null) {
                md.append(scrapeMs > 0
                        ? String.format(Locale.ROOT, "- Homeostat served HTTP as `homeostat run` does and was scraped every %s "
                                + "during its runs (`GET /metrics` and `GET /api/v1/targets`): %d scrapes answered in its median round%n",
                                duration(scrapeMs), homeostat.scrapes())
                        : "- Homeostat served no HTTP during its runs (`--scrape-interval 0s`)\n");
            }
            if (naive != null && homeostat != null) {
                md.append(String.format(Locale.ROOT, "- Homeostat / naive: **%.1f×** (goal ≥ 10)%n",
                        homeostat.spansPerSecond() / naive.spansPerSecond()));
            }
            if (floor != null && homeostat != null && naive != null) {
                boolean same = floor.spans() == homeostat.spans() && homeostat.spans() == naive.spans();
                md.append("- all paths counted the same number of spans: ").append(same ? "yes" : "**no**").append("\n");
            }
            md.append("\n");
        }

        if (!latency.isEmpty()) {
            md.append("**Detection latency** (Homeostat as shipped on live traffic; each trial a requirement of its own, "
                    + "`span.success_rate gte 0.99` over one slice (at least 1 s); wall time from sending the first violating "
                    + "span to reading the firing alert, and from the first healthy span again to the resolved alert; "
                    + "p99 by nearest rank: of 20 trials, their maximum)\n\n");
            md.append("| slice / grace | window | trials detected | detect p50 | detect p99 | detect max | resolved | resolve p50 | resolve p99 | late events |\n");
            md.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (DetectionLatency.Result r : latency) {
                double[] d = DetectionLatency.seen(r.detectSeconds()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double[] s = DetectionLatency.seen(r.resolveSeconds()).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                md.append("| ").append(r.setting().label()).append(" | ").append(duration(r.setting().windowMs()))
                        .append(" | ").append(r.detected()).append(" / ").append(r.trials())
                        .append(" | ").append(seconds(percentile(d, 0.5))).append(" | ").append(seconds(percentile(d, 0.99)))
                        .append(" | ").append(seconds(d.length == 0 ? Double.NaN : d[d.length - 1]))
                        .append(" | ").append(r.resolved()).append(" / ").append(r.detected())
                        .append(" | ").append(seconds(percentile(s, 0.5))).append(" | ").append(seconds(percentile(s, 0.99)))
                        .append(" | ").append(r.lateEvents()).append(" |\n");
            }
            md.append("\n");
        }

        if (!memory.isEmpty()) {
            md.append("**Memory and state** (Homeostat, after the run and a full GC; each dataset covers the same 60 s of event "
                    + "time; store entries and bytes through interactive queries over every store)\n\n");
            md.append("| run | spans | keys | heap after GC | RSS | store entries | store bytes | slices store entries | state dir on disk |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (MemoryPoint p : memory) {
                MemorySnapshot m = p.result().memory();
                if (m == null) continue;
                md.append("| ").append(p.label()).append(" | ").append(String.format(Locale.ROOT, "%,d", p.spans()))
                        .append(" | ").append(p.requirements()).append(" | ").append(mib(m.heapUsedBytes()))
                        .append(" | ").append(mib(m.rssBytes())).append(" | ").append(String.format(Locale.ROOT, "%,d", m.totalStoreEntries()))
                        .append(" | ").append(mib(m.totalStoreBytes()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.storeEntries().getOrDefault("requirement-slices", 0L)))
                        .append(" | ").append(mib(m.stateDirBytes())).append(" |\n");
            }
            md.append("\n");
        }

        if (!cardinality.isEmpty()) {
            md.append("**Cardinality** (Homeostat on the `junk` dataset: a sender putting user ids into `requirement` and "
                    + "`service.name`; after the run and a full GC; the caps are per task, one requirement task per "
                    + "partition; every span is counted: windowed, refused by the cap, or unattributed)\n\n");
            md.append("| run | junk values | spans counted | spans refused | heap after GC | RSS | store entries | store bytes "
                    + "| requirement-slices entries | unattributed-counts entries | per-service counters | Homeostat metrics "
                    + "| all client metrics | state dir on disk |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (CardinalityPoint p : cardinality) {
                MemorySnapshot m = p.result().memory();
                if (m == null) continue;
                md.append("| ").append(p.label()).append(" | ").append(String.format(Locale.ROOT, "%,d", p.junkValues()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", p.result().spans()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.refusedSpans()))
                        .append(" | ").append(mib(m.heapUsedBytes())).append(" | ").append(mib(m.rssBytes()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.totalStoreEntries()))
                        .append(" | ").append(mib(m.totalStoreBytes()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.storeEntries().getOrDefault("requirement-slices", 0L)))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.storeEntries().getOrDefault("unattributed-counts", 0L)))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.serviceCounters()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.homeostatMetrics()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", m.metrics()))
                        .append(" | ").append(mib(m.stateDirBytes())).append(" |\n");
            }
            md.append("\n");
        }

        if (!sloState.isEmpty()) {
            md.append("**SLO state** (SloStateBench: SLO targets with a 30-day period and the history shown, built with a "
                    + "mocked clock through the processor's SloHistory and SloCodec into an in-memory copy of the slo-counts "
                    + "store; heap after a full GC, histories and store together)\n\n");
            md.append(SloStateBench.table(sloState)).append("\n");
        }

        if (!jmh.isEmpty()) {
            md.append("**JMH** (one thread; hot-path rows in spans/s over 512-span requests of the default dataset; "
                    + "others per operation)\n\n");
            md.append("| benchmark | score | ± (99.9 %) | unit |\n|---|---:|---:|---|\n");
            for (JmhScore s : jmh) {
                md.append("| ").append(s.benchmark()).append(" | ").append(String.format(Locale.ROOT, "%,.0f", s.score()))
                        .append(" | ").append(Double.isNaN(s.error()) ? "–" : String.format(Locale.ROOT, "%,.0f", s.error()))
                        .append(" | ").append(s.unit())
                        .append(" |\n");
            }
            md.append("\n");
        }
        for (String note : notes) md.append("- ").append(note).append("\n");
        return md.toString();
    }

    private static double perCpu(PathResult r) {
        return r.spans() / (r.cpuSeconds() + Math.max(0, r.brokerCpuSeconds()));
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "–" : String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String duration(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String gib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f GiB", bytes / 1073741824.0);
    }

    static String list(double[] values) {
        return Arrays.toString(values);
    }
}

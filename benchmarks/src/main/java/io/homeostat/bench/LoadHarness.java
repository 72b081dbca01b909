package io.homeostat.bench;

import io.homeostat.cli.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load harness: pre-produces a dataset once, then runs on it, each from the beginning of the topic with
 * a fresh application id, the floor (a plain consumer parsing every request), Homeostat as shipped and a
 * naive DSL topology; measures detection latency on live traffic, memory and state at 1x and 10x the
 * events and 10x the keys, and the JMH benchmarks; prints a markdown table and writes it to a file.
 * {@code scripts/bench} runs it against a broker of its own.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Homeostat beside the floor and a naive topology: throughput, detection latency, memory, JMH.")
public final class LoadHarness implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(LoadHarness.class);

    @Option(names = "--bootstrap-servers", required = true, description = "The broker to use.")
    String bootstrapServers;

    @Option(names = "--broker-pid", defaultValue = "-1", description = "The broker's process id, to report its CPU time.")
    long brokerPid;

    @Option(names = "--quick", description = "A tiny dataset and few trials: checks that everything runs, measures little.")
    boolean quick;

    @Option(names = "--spans", description = "Spans in the main dataset (default 5000000; --quick 20000).")
    Long spans;

    @Option(names = "--batch-spans", defaultValue = "512", description = "Spans per OTLP request (default: ${DEFAULT-VALUE}).")
    int batchSpans;

    @Option(names = "--requirements", defaultValue = "200", description = "Requirement keys (default: ${DEFAULT-VALUE}).")
    int requirements;

    @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of the keys (default: ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--services", defaultValue = "20", description = "Services per dataset (default: ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--error-rate", defaultValue = "0.02", description = "Share of ERROR spans (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--event-span", defaultValue = "60s", converter = DurationOption.class,
            description = "Event time every dataset covers (default: ${DEFAULT-VALUE}).")
    Duration eventSpan;

    @Option(names = "--compression", defaultValue = "lz4", description = "Compression of the dataset's records (default: ${DEFAULT-VALUE}).")
    String compression;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--sticky-partitioning",
            description = "Produce the datasets without choosing partitions (the producer's sticky partitioner: uneven "
                    + "partitions); by default request i goes to partition i %% partitions.")
    boolean stickyPartitioning;

    @Option(names = "--seed", defaultValue = "20261125", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--paths", split = ",", defaultValue = "FETCH,FLOOR,HOMEOSTAT,NAIVE",
            description = "Throughput paths to run, in order (default: ${DEFAULT-VALUE}).")
    List<PathName> paths;

    @Option(names = "--repeat", description = "Rounds of the throughput paths, interleaved, each path's median round in the "
            + "table, so that a load that comes and goes touches every path alike; the naive topology runs once (it takes "
            + "longest) (default 3; --quick 1).")
    Integer repeat;

    @Option(names = "--slice", defaultValue = "5s", converter = DurationOption.class,
            description = "Slice (Homeostat) and window (naive) of the throughput runs (default: ${DEFAULT-VALUE}).")
    Duration slice;

    @Option(names = "--grace", defaultValue = "5s", converter = DurationOption.class,
            description = "Grace of the throughput runs (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Option(names = "--scrape-interval", defaultValue = "1s", converter = DurationOption.class,
            description = "The Homeostat throughput path serves HTTP as `homeostat run` does, and is scraped this often "
                    + "during its run (GET /metrics and GET /api/v1/targets, what Prometheus and the status page do); "
                    + "0s: no HTTP endpoint (default: ${DEFAULT-VALUE}).")
    Duration scrapeInterval;

    @Option(names = "--latency", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Measure detection latency (default: ${DEFAULT-VALUE}).")
    boolean latency;

    @Option(names = "--latency-settings", split = ",", defaultValue = "5s/5s,1s/1s,100ms/100ms",
            description = "slice/grace settings of the latency runs (default: ${DEFAULT-VALUE}; --quick 1s/1s).")
    List<String> latencySettings;

    @Option(names = "--trials", description = "Detection trials per setting (default 20; --quick 3).")
    Integer trials;

    @Option(names = "--memory", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Measure memory and state at 1x events and 10x keys (10x events is the throughput run) (default: ${DEFAULT-VALUE}).")
    boolean memory;

    @Option(names = "--cardinality", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Measure memory, state and metrics on a dataset with junk requirement and service names (a user "
                    + "id where a name goes), with the caps and without (default: ${DEFAULT-VALUE}).")
    boolean cardinality;

    @Option(names = "--junk-values", description = "Distinct junk requirement values, and junk service names, of the "
            + "cardinality dataset (default 100000; --quick 2000).")
    Integer junkValues;

    @Option(names = "--junk-spans", description = "Spans of the cardinality dataset: a quarter with a junk requirement, a "
            + "quarter from a junk service (default 1000000; --quick 20000).")
    Long junkSpans;

    @Option(names = "--caps", defaultValue = "10000/20000/1000", description = "Cardinality caps of the capped run, "
            + "requirements/series/services per task (default: ${DEFAULT-VALUE}, Homeostat's defaults).")
    String caps;
    @Option(names = "--slo-state", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Measure the SLO history state of 1000 SLO targets with 30 days of history (mocked clock), at 1x "
                    + "and 10x events (--quick: 20 targets, 5 days) (default: ${DEFAULT-VALUE}).")
    boolean sloState;

    @Option(names = "--jmh", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the JMH benchmarks (default: ${DEFAULT-VALUE}).")
    boolean jmh;

    @Option(names = "--streams-property", description = "A Kafka Streams or client property for the two Streams "
            + "paths, over StreamsSettings (key=value; repeatable), e.g. --streams-property commit.interval.ms=100.")
    Map<String, String> streamsProperties = new java.util.LinkedHashMap<>();

    @Option(names = "--jvm-opts", defaultValue = "-Xms1g -Xmx1g -XX:+UseG1GC",
            description = "JVM options of every measured path (default: ${DEFAULT-VALUE}).")
    String jvmOptions;

    @Option(names = "--in-process", description = "Run the paths in this JVM instead of one JVM each (tests).")
    boolean inProcess;

    @Option(names = "--work-dir", defaultValue = "target/bench", description = "State directories and logs (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--results", description = "Also write the markdown table to this file.")
    Path results;

    @Option(names = "--warmup", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Each throughput path first reads the main dataset once, unmeasured, in its JVM (its own application id), "
                    + "so that the measured run finds its code compiled, as in a processor running for minutes (default: on).")
    boolean warmup;

    @Option(names = "--timeout", defaultValue = "20m", converter = DurationOption.class,
            description = "Give a throughput run up after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The report of the last {@link #call()}. */
    Report report;

    public static void main(String[] args) {
        // options given twice: the last wins, so that scripts/bench's defaults can be overridden
        int code = new CommandLine(new LoadHarness()).setCaseInsensitiveEnumValuesAllowed(true)
                .setOverwrittenOptionsAllowed(true).execute(args);
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        PathRunner runner = inProcess ? PathRunner.inProcess()
                : PathRunner.childJvm(Arrays.asList(jvmOptions.trim().split("\\s+")), workDir.resolve("logs"));
        Files.createDirectories(workDir);
        report = new Report(MachineFacts.now(), inProcess ? "(in process)" : jvmOptions, command());
        report.warmup = warmup;
        report.scrapeMs = paths.contains(PathName.HOMEOSTAT) ? scrapeInterval.toMillis() : 0;

        long mainSpans = spans != null ? spans : quick ? 20_000 : 5_000_000;
        DatasetSpec main = new DatasetSpec(mainSpans, batchSpans, requirements, zipf, services, errorRate,
                eventSpan.toMillis(), seed);
        Map<String, DatasetSpec> datasets = new java.util.LinkedHashMap<>();
        datasets.put("main", main);
        if (memory) {
            datasets.put("1x-events", main.withSpans(Math.max(batchSpans, mainSpans / 10)));
            datasets.put("10x-keys", main.withSpans(Math.max(batchSpans, mainSpans / 10)).withRequirements(requirements * 10));
        }
        int junk = junkValues != null ? junkValues : quick ? 2_000 : 100_000;
        if (cardinality) {
            datasets.put("junk", main.withSpans(junkSpans != null ? junkSpans : quick ? 20_000 : 1_000_000).withJunk(junk));
        }
        String prefix = "bench-" + stamp;
        // Every dataset ends a little before now: old data, replayed, as after an outage (not "the future").
        long end = System.currentTimeMillis() - 5_000;
        for (Map.Entry<String, DatasetSpec> e : datasets.entrySet()) {
            String topic = prefix + "." + e.getKey();
            createTopic(client, topic);
            LOG.info("Producing dataset {} to {}: {}", e.getKey(), topic, e.getValue().describe());
            Dataset.Written written = Dataset.write(client, topic, e.getValue(), end - e.getValue().eventSpanMs(), compression,
                    stickyPartitioning ? 0 : partitions);
            LOG.info("  {} records, {} spans, {} MB in {} s", written.records(), written.spans(), written.bytes() / 1_000_000,
                    String.format("%.1f", written.seconds()));
            report.datasets.put(e.getKey(), e.getValue());
            report.written.put(e.getKey(), written);
        }

        int rounds = repeat != null ? Math.max(1, repeat) : quick ? 1 : 3;
        Map<PathName, List<PathResult>> runs = new java.util.EnumMap<>(PathName.class);
        for (int round = 1; round <= rounds; round++) {
            for (PathName path : paths) {
                if (path == PathName.NAIVE && round > 1) continue;
                LOG.info("Throughput, round {} of {}: {} ({})", round, rounds, path.label(), path.description());
                // The naive topology's windows close on its stream time, which a replay races through partition by
                // partition: with the same grace it would drop much of the data as late, and look faster for it.
                Duration pathGrace = path == PathName.NAIVE ? grace.plus(eventSpan) : grace;
                boolean probe = path == PathName.HOMEOSTAT && memory && round == 1;
                PathResult result = runner.run(config(path, prefix + ".main", report.written.get("main").spans(), requirements,
                        prefix + "-" + path.name().toLowerCase() + "-" + round, slice, pathGrace, probe, warmup, ""));
                LOG.info("  {} spans in {} s: {} spans/s", result.spans(), String.format("%.2f", result.seconds()),
                        String.format("%,.0f", result.spansPerSecond()));
                runs.computeIfAbsent(path, p -> new ArrayList<>()).add(result);
                if (probe && result.memory() != null) {
                    report.memory.add(new Report.MemoryPoint("10x events (the throughput run)", result.spans(), requirements, result));
                }
            }
        }
        for (PathName path : paths) {
            List<PathResult> results = runs.get(path);
            List<PathResult> byRate = new ArrayList<>(results);
            byRate.sort(java.util.Comparator.comparingDouble(PathResult::spansPerSecond));
            report.throughput.add(byRate.get((byRate.size() - 1) / 2));
            report.rounds.put(path.name(), results.stream().map(PathResult::spansPerSecond).toList());
            report.lateRounds.put(path.name(), results.stream().map(PathResult::lateSpans).toList());
        }
        if (memory) {
            for (String name : List.of("1x-events", "10x-keys")) {
                DatasetSpec spec = datasets.get(name);
                LOG.info("Memory: Homeostat on {}", name);
                PathResult result = runner.run(config(PathName.HOMEOSTAT, prefix + "." + name, report.written.get(name).spans(),
                        spec.requirements(), prefix + "-memory-" + name, slice, grace, true, false, ""));
                report.memory.add(new Report.MemoryPoint(name.equals("1x-events") ? "1x events" : "10x keys", result.spans(),
                        spec.requirements(), result));
            }
            report.memory.sort((a, b) -> Integer.compare(order(a.label()), order(b.label())));
        }
        if (cardinality) {
            DatasetSpec spec = datasets.get("junk");
            for (String run : List.of(caps, "off")) {
                LOG.info("Cardinality: Homeostat on {} junk values, caps {}", junk, run);
                String label = run.equals("off") ? "no caps" : "caps " + run;
                PathResult result;
                try {
                    result = runner.run(config(PathName.HOMEOSTAT, prefix + ".junk", report.written.get("junk").spans(),
                            spec.requirements(), prefix + "-cardinality-" + (run.equals("off") ? "off" : "capped"), slice,
                            grace, true, false, run));
                } catch (Exception e) {
                    // Without caps the junk may well take the JVM down: that is a result too, and the others stand.
                    LOG.error("Cardinality run '{}' failed", label, e);
                    report.notes.add("Cardinality run `" + label + "` failed: " + e.getMessage());
                    continue;
                }
                report.cardinality.add(new Report.CardinalityPoint(label, junk, result));
            }
        }
        if (latency) {
            int trialCount = trials != null ? trials : quick ? 3 : 20;
            List<String> settings = quick && latencySettings.equals(List.of("5s/5s", "1s/1s", "100ms/100ms"))
                    ? List.of("1s/1s") : latencySettings;
            for (String setting : settings) {
                String[] parts = setting.split("/");
                Duration s = io.homeostat.model.Durations.parse(parts[0]);
                Duration g = io.homeostat.model.Durations.parse(parts.length > 1 ? parts[1] : parts[0]);
                String label = parts[0] + " / " + (parts.length > 1 ? parts[1] : parts[0])
                        + (s.equals(Duration.ofSeconds(5)) && g.equals(Duration.ofSeconds(5)) ? " (default)" : "");
                LOG.info("Detection latency: slice {}, {} trials", label, trialCount);
                DetectionLatency.Result result = DetectionLatency.run(runner, client,
                        new DetectionLatency.Setting(label, s.toMillis(), g.toMillis()), trialCount, partitions,
                        workDir.resolve("state"), prefix + "-latency-" + s.toMillis(), seed);
                LOG.info("  detection {}; resolution {}", Report.list(result.detectSeconds()), Report.list(result.resolveSeconds()));
                report.latency.add(result);
            }
        }
        if (sloState) {
            int targets = quick ? 20 : 1000;
            int days = quick ? 5 : 30;
            LOG.info("SLO state: {} SLO targets, {} days of history, at 600 and 6000 events a minute each", targets, days);
            report.sloState.add(SloStateBench.run(targets, days, 600));
            report.sloState.add(SloStateBench.run(targets, days, 6000));
        }
        if (jmh) runJmh();
        report.totalSeconds = (System.nanoTime() - started) / 1e9;
        report.loadAfter = MachineFacts.currentLoadAverage();
        String markdown = report.markdown();
        System.out.println();
        System.out.println(markdown);
        if (results != null) {
            if (results.getParent() != null) Files.createDirectories(results.getParent());
            Files.writeString(results, markdown, StandardCharsets.UTF_8);
            LOG.info("Wrote {}", results);
        }
        return 0;
    }

    private static int order(String label) {
        return label.startsWith("1x") ? 0 : label.startsWith("10x events") ? 1 : 2;
    }

    private PathConfig config(PathName path, String topic, long expectedSpans, int keys, String runId, Duration slice,
                              Duration grace, boolean probeMemory, boolean warmupFirst, String capsOfRun) {
        Map<String, String> client = DetectionLatency.toMap(clientProperties());
        if (path == PathName.HOMEOSTAT || path == PathName.NAIVE) client.putAll(streamsProperties);
        return new PathConfig(path.name(), client, topic, partitions, expectedSpans, keys,
                runId, workDir.resolve("state").resolve(runId).toAbsolutePath().toString(), slice.toMillis(), grace.toMillis(),
                timeout.toMillis(), probeMemory, brokerPid, warmupFirst, capsOfRun,
                // The cardinality runs measure memory and state: not scraped.
                path == PathName.HOMEOSTAT && (capsOfRun == null || capsOfRun.isEmpty()) ? scrapeInterval.toMillis() : 0);
    }

    private Properties clientProperties() {
        Properties client = new Properties();
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return client;
    }

    private void createTopic(Properties client, String topic) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024))))).all().get();
            TopicProvisioner.awaitWritable(admin, List.of(topic));
        }
    }

    private void runJmh() throws Exception {
        LOG.info("JMH: the hot-path benchmarks, one fork each");
        OptionsBuilder options = new OptionsBuilder();
        options.include("io\\.homeostat\\.bench\\.jmh\\..*").forks(1).shouldFailOnError(true);
        if (quick) {
            options.warmupIterations(1).warmupTime(TimeValue.seconds(1)).measurementIterations(2)
                    .measurementTime(TimeValue.seconds(1));
        }
        Options built = options.build();
        Collection<RunResult> runs = new Runner(built).run();
        List<RunResult> sorted = new ArrayList<>(runs);
        sorted.sort((a, b) -> a.getParams().getBenchmark().compareTo(b.getParams().getBenchmark()));
        for (RunResult run : sorted) {
            String name = run.getParams().getBenchmark().replace("io.homeostat.bench.jmh.", "");
            var primary = run.getPrimaryResult();
            String unit = name.startsWith("HotPathBenchmark") ? "spans/s" : primary.getScoreUnit();
            report.jmh.add(new Report.JmhScore(name, primary.getScore(), primary.getScoreError(), unit));
        }
    }

    private String command() {
        return "scripts/bench" + (quick ? " --quick" : "");
    }
}

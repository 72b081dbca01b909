package io.homeostat.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/faults}: Homeostat under faults, judged from outside. Starts its own broker and two or three
 * processor instances (separate JVMs, one application id), produces a deterministic workload while it kills,
 * stops, stalls and restarts them and the broker, then reads back everything they published and compares it with
 * an oracle computed from the generated data. Prints a markdown report ending in PASS or FAIL (exit 0 or 1).
 */
@Command(name = "faults", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fault injection: processors and the broker killed, stopped, stalled and restarted while traffic "
                + "flows; every alert episode, window count, issue, intent and dead letter checked against an oracle "
                + "computed from the generated data.",
                "Full run (default, about 20 min): kill -9 of each instance at random moments, a SIGTERM rolling restart, "
                        + "kill -9 of the broker, an instance joining and one leaving, a restart with the state directory "
                        + "deleted, a SIGSTOP past the session timeout, and every instance down two minutes (a catch-up).",
                "--quick (about 5 min): one kill -9, a 25 s catch-up, a broker kill -9 as an alert fires."})
public final class FaultsCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(FaultsCommand.class);

    @Option(names = "--quick", description = "The short run: one kill, one broker restart, a short catch-up.")
    boolean quick;

    @Option(names = "--repo", description = "The Homeostat checkout (default: the current directory).")
    Path repo = Path.of("").toAbsolutePath();

    @Option(names = "--jar", description = "The processor jar to run (default: <repo>/processor/target/homeostat.jar).")
    Path jar;

    @Option(names = "--work-dir", description = "Broker data, state directories and logs (default: <repo>/target/faults); emptied first.")
    Path workDir;

    @Option(names = "--kafka-port", description = "The broker's port (the controller takes the next one); default: a free pair, "
            + "or env FAULTS_KAFKA_PORT.")
    Integer kafkaPort;

    @Option(names = "--seed", defaultValue = "12", description = "Seed of the random fault moments (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--results", description = "Also write the report to this file.")
    Path results;

    @Option(names = "--keep", description = "Leave the broker running at the end (for a look around).")
    boolean keep;

    /** Set once the run has verified: the report, for tests. */
    String report;
    boolean passed;

    private final Report out = new Report();
    private final Observed.Topics topics = Observed.Topics.defaults();
    private final List<Instance> instances = new ArrayList<>();
    private Broker broker;
    private Progress progress;
    private long trafficStart;
    private Random random;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaultsCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        random = new Random(seed);
        if (jar == null) jar = repo.resolve("processor/target/homeostat.jar");
        if (workDir == null) workDir = repo.resolve("target/faults");
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("no processor jar at " + jar + " (./mvnw -pl processor package)");
        int port = kafkaPort != null ? kafkaPort : System.getenv("FAULTS_KAFKA_PORT") != null
                ? Integer.parseInt(System.getenv("FAULTS_KAFKA_PORT")) : freePortPair();
        deleteRecursively(workDir);
        Files.createDirectories(workDir);
        long started = System.currentTimeMillis();
        broker = new Broker(repo, workDir.resolve("kafka"), port);
        int instanceCount = quick ? 2 : 3;
        int partitions = quick ? 4 : 6;
        Plan plan = quick ? Plan.quick() : Plan.full(780_000);
        out.facts.add(String.format("seed %d; %d processor instances (separate JVMs, application id `%s`, %s) on input topics "
                        + "of %d partitions; one broker (scripts/kafka-local) on port %d", seed, instanceCount,
                Instance.APPLICATION_ID, jar.getFileName(), partitions, port));
        out.facts.add(String.format("workload: %d requirements, %d spans every %d ms each (one OTLP request per tick, round "
                        + "robin over the partitions), %d s of traffic; slice %d s, grace %d s, windows %d s; success-rate "
                        + "targets gte %.2f (min_events %d)", plan.requirements.size(), Plan.SPANS_PER_TICK, Plan.TICK_MS,
                plan.durationMs / 1000, Plan.SLICE_MS / 1000, Plan.GRACE_MS / 1000, Plan.WINDOW_MS / 1000, Plan.TARGET,
                Plan.MIN_EVENTS));
        Truth truth = new Truth();
        boolean survived = true;
        long openTransactions = -1;
        try {
            LOG.info("Starting the broker ({})", broker);
            broker.start();
            createTopics(partitions);
            for (int i = 1; i <= instanceCount; i++) instances.add(instance(i));
            for (Instance instance : instances) instance.start();
            for (Instance instance : instances) instance.awaitRunning(Duration.ofMinutes(3));
            writeTargets(plan);

            trafficStart = Plan.aligned(System.currentTimeMillis()) + 2 * Plan.SLICE_MS;
            Map<Long, String> planted = plantedRecords(plan);
            try (Traffic traffic = new Traffic(plan, trafficStart, broker.client(), topics.spans(), partitions, truth, planted);
                 Progress watcher = new Progress(broker.client(), topics.spans())) {
                progress = watcher;
                traffic.start();
                watcher.start();
                LOG.info("Traffic starts at {} for {} s", Report.time(trafficStart), plan.durationMs / 1000);
                if (quick) quickFaults(); else fullFaults();
                awaitElapsed(plan.durationMs);
                traffic.join(plan.durationMs + 600_000);
                out.facts.add(String.format("%,d requests (%,d spans) acknowledged by the broker; %d not acknowledged "
                                + "(left out of the oracle)", truth.requests(), truth.spans(), traffic.failedRequests()));
                LOG.info("Traffic ended; waiting for the processors to read it all and for issues to go quiet");
                awaitCaughtUp(Duration.ofMinutes(5));
                measureRecoveries();
                // The last windows close on the wall clock once input is idle (grace + slice), issues after their quiet period.
                Thread.sleep(Plan.GRACE_MS + 2 * Plan.SLICE_MS + 25_000);
            }
            for (Instance instance : instances) {
                if (shouldRun(instance) && !instance.alive()) {
                    survived = false;
                    out.facts.add(instance.name + " was not running at the end; see " + instance.log());
                }
            }
            for (Instance instance : instances) instance.stop();
            openTransactions = awaitNoOpenTransactions(Duration.ofSeconds(90));
            Observed seen = Observed.read(broker.client(), topics);
            Oracle oracle = new Oracle(plan, truth, trafficStart + Plan.SLICE_MS, Plan.aligned(trafficStart + plan.durationMs));
            Verification verification = new Verification(oracle, truth, seen);
            out.facts.add(String.format("run time %d s; logs and state under %s", (System.currentTimeMillis() - started) / 1000,
                    repo.relativize(workDir.toAbsolutePath())));
            report = out.markdown("scripts/faults" + (quick ? " --quick" : ""), verification, truth, openTransactions, survived);
            passed = verification.passed() && openTransactions == 0 && survived;
        } finally {
            for (Instance instance : instances) {
                try {
                    if (instance.alive()) instance.kill();
                } catch (RuntimeException e) {
                    LOG.warn("could not stop {}", instance.name, e);
                }
            }
            if (!keep) broker.close();
        }
        System.out.println(report);
        if (results != null) {
            Files.createDirectories(results.toAbsolutePath().getParent());
            Files.writeString(results, report, StandardCharsets.UTF_8);
        }
        return passed ? 0 : 1;
    }

    /**
     * One instance killed early; then every instance down 25 s while traffic flows and the second requirement's
     * episode happens (a catch-up: it must fire on its own windows, nothing late); then the broker killed with
     * {@code kill -9} as the first requirement's alert fires, and down 20 s while that episode goes on (no flap).
     * The faults come one after the other, each once the previous one is over, so that each recovery is its own.
     */
    private void quickFaults() throws Exception {
        awaitElapsed(8_000);
        killAndRestart(instances.get(0), 1_000);
        awaitElapsed(30_000);
        catchUp(25_000);
        brokerOutageAsAlertFires("REQ-FLT-001/span.success_rate", 20_000);
    }

    private void fullFaults() throws Exception {
        for (int i = 0; i < instances.size(); i++) {
            awaitElapsed(45_000 + 45_000L * i + random.nextInt(30_000));
            killAndRestart(instances.get(i), 5_000);
        }
        awaitElapsed(185_000);
        rollingRestart();
        brokerOutageAsAlertFires(null, 20_000);
        awaitElapsed(330_000);
        joinAndLeave();
        awaitElapsed(420_000);
        restartWithoutState(instances.get(2));
        awaitElapsed(470_000);
        stall(instances.get(0), 16_000);
        awaitElapsed(540_000);
        catchUp(120_000);
    }

    private void killAndRestart(Instance instance, long downMs) throws Exception {
        Set<TopicPartition> owned = Progress.owned(broker.client(), instance, topics.spans());
        long at = System.currentTimeMillis();
        instance.kill();
        Thread.sleep(downMs);
        instance.start();
        instance.awaitRunning(Duration.ofMinutes(3));
        record(at, "kill -9 of " + instance.name + ", restarted after " + downMs / 1000 + " s", owned,
                owned.size() + " spans partitions owned");
    }

    private void rollingRestart() throws Exception {
        for (Instance instance : instances) {
            if (!instance.alive()) continue;
            Set<TopicPartition> owned = Progress.owned(broker.client(), instance, topics.spans());
            long at = System.currentTimeMillis();
            instance.stop();
            instance.start();
            instance.awaitRunning(Duration.ofMinutes(3));
            record(at, "SIGTERM of " + instance.name + " and restart (rolling restart)", owned,
                    owned.size() + " spans partitions owned");
            Thread.sleep(10_000);
        }
    }

    /**
     * {@code kill -9} of the broker as soon as a firing alert (of {@code targetId}, or any) is read, then a restart
     * after {@code downMs}: the reported flap (a resolve as no_events, then a second episode) must not happen.
     */
    private void brokerOutageAsAlertFires(String targetId, long downMs) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        // Of a given target: its alert firing (now or already). Of any target: an alert that fires from now on.
        Set<String> before = targetId == null ? firingAlertIds(null) : Set.of();
        boolean fired = false;
        while (!fired && System.currentTimeMillis() < deadline) {
            fired = !before.containsAll(firingAlertIds(targetId));
            if (!fired) Thread.sleep(500);
        }
        long at = System.currentTimeMillis();
        broker.kill();
        Thread.sleep(downMs);
        broker.start();
        record(at, "kill -9 of the broker " + (fired ? "as an alert fired" : "(no alert fired within 3 min)")
                + ", restarted after " + downMs / 1000 + " s", Set.of(), "every partition");
    }

    /** Ids of the firing alerts on the alerts topic now (of {@code targetId}, or of every target). */
    private Set<String> firingAlertIds(String targetId) throws IOException {
        Set<String> ids = new java.util.HashSet<>();
        for (var r : Observed.readAll(broker.client(), topics.alerts())) {
            var alert = Observed.JSON.readTree(r.value());
            if (alert.path("status").asText().equals("firing")
                    && (targetId == null || alert.path("target_id").asText().equals(targetId))) {
                ids.add(alert.path("alert_id").asText());
            }
        }
        return ids;
    }

    private void joinAndLeave() throws Exception {
        Instance joining = instance(instances.size() + 1);
        instances.add(joining);
        long at = System.currentTimeMillis();
        joining.start();
        joining.awaitRunning(Duration.ofMinutes(3));
        Thread.sleep(15_000);
        record(at, joining.name + " joins (rebalance)", Set.of(), Progress.owned(broker.client(), joining, topics.spans()).size()
                + " spans partitions taken over");
        Instance leaving = instances.get(1);
        Set<TopicPartition> owned = Progress.owned(broker.client(), leaving, topics.spans());
        at = System.currentTimeMillis();
        leaving.stop();
        record(at, leaving.name + " leaves (SIGTERM, not restarted)", owned, owned.size() + " spans partitions handed over");
        left.add(leaving);
    }

    private final List<Instance> left = new ArrayList<>();

    private boolean shouldRun(Instance instance) {
        return !left.contains(instance);
    }

    private void restartWithoutState(Instance instance) throws Exception {
        Set<TopicPartition> owned = Progress.owned(broker.client(), instance, topics.spans());
        long at = System.currentTimeMillis();
        instance.kill();
        instance.deleteState();
        instance.start();
        instance.awaitRunning(Duration.ofMinutes(3));
        record(at, "kill -9 of " + instance.name + ", state directory deleted, restarted (restore from the changelogs)",
                owned, owned.size() + " spans partitions owned");
    }

    private void stall(Instance instance, long stallMs) throws Exception {
        Set<TopicPartition> owned = Progress.owned(broker.client(), instance, topics.spans());
        long at = System.currentTimeMillis();
        instance.signal("STOP");
        Thread.sleep(stallMs);
        instance.signal("CONT");
        record(at, "SIGSTOP of " + instance.name + " for " + stallMs / 1000 + " s (session timeout 10 s), then SIGCONT",
                owned, owned.size() + " spans partitions owned");
    }

    /** Every running instance stopped (SIGTERM) for {@code downMs} while traffic continues, then all started again. */
    private void catchUp(long downMs) throws Exception {
        List<Instance> running = instances.stream().filter(Instance::alive).toList();
        long at = System.currentTimeMillis();
        for (Instance instance : running) instance.stop();
        Thread.sleep(downMs);
        long restartAt = System.currentTimeMillis();
        for (Instance instance : running) instance.start();
        for (Instance instance : running) instance.awaitRunning(Duration.ofMinutes(3));
        long caughtUpAt = awaitCaughtUp(Duration.ofMinutes(5));
        record(at, restartAt, "every instance down " + downMs / 1000 + " s while traffic continues, then restarted (catch-up)",
                Set.of(), caughtUpAt < 0 ? "not caught up within 5 min" : String.format(
                        "backlog read %.1f s after the restart", (caughtUpAt - restartAt) / 1000.0));
    }

    /** A fault whose recovery is read off the progress samples at the end, so that measuring never delays the next fault. */
    private record Injected(long at, long measureFrom, String what, Set<TopicPartition> partitions, String note) {}

    private final List<Injected> injected = new ArrayList<>();

    private void record(long at, String what, Set<TopicPartition> partitions, String note) {
        record(at, at, what, partitions, note);
    }

    /** {@code measureFrom}: when recovery can start (the restart, for the catch-up), {@code at} otherwise. */
    private void record(long at, long measureFrom, String what, Set<TopicPartition> partitions, String note) {
        injected.add(new Injected(at, measureFrom, what, partitions, note));
        LOG.info("Fault at {} s: {} ({})", (at - trafficStart) / 1000, what, note);
    }

    /** The recovery time of every fault (waiting up to two minutes for the last ones), into the report. */
    private void measureRecoveries() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        for (Injected f : injected) {
            long recovered;
            while ((recovered = progress.recoveredAfter(f.measureFrom(), f.partitions())) < 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
            }
            double seconds = recovered < 0 ? -1 : (recovered + f.measureFrom() - f.at()) / 1000.0;
            out.faults.add(new Report.Fault((f.at() - trafficStart) / 1000.0, f.what(), seconds, f.note()));
        }
    }

    private long awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (Progress.caughtUp(broker.client(), topics.spans())) return System.currentTimeMillis();
            Thread.sleep(1_000);
        }
        return -1;
    }

    private void awaitElapsed(long elapsedMs) throws InterruptedException {
        long wait = trafficStart + elapsedMs - System.currentTimeMillis();
        if (wait > 0) Thread.sleep(wait);
    }

    /** Three records that are not OTLP, at the start, in the middle and near the end of traffic. */
    private static Map<Long, String> plantedRecords(Plan plan) {
        long ticks = plan.durationMs / Plan.TICK_MS;
        Map<Long, String> planted = new HashMap<>();
        planted.put(ticks / 10, "faults-planted-1");
        planted.put(ticks / 2, "faults-planted-2");
        planted.put(ticks * 9 / 10, "faults-planted-3");
        return planted;
    }

    private Instance instance(int n) {
        return new Instance("instance-" + n, jar, workDir, broker.bootstrapServers(), List.of());
    }

    private void createTopics(int partitions) throws Exception {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String input : List.of(topics.spans(), topics.metrics(), topics.logs())) {
            newTopics.add(new NewTopic(input, partitions, (short) 1));
        }
        for (String output : List.of(topics.alerts(), topics.issues(), topics.intents(), topics.deadLetters())) {
            newTopics.add(new NewTopic(output, 3, (short) 1));
        }
        for (String compacted : List.of(topics.targets(), topics.status())) {
            newTopics.add(new NewTopic(compacted, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        }
        try (Admin admin = Admin.create(broker.client())) {
            admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
            // A partition written before its leader serves it can lose a batch (KAFKA-15591): wait for every leader.
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                boolean ready = admin.describeTopics(topics.all()).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) break;
                Thread.sleep(250);
            }
        }
    }

    private void writeTargets(Plan plan) throws Exception {
        Properties props = broker.client();
        props.put("enable.idempotence", "true");
        props.put("acks", "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (Plan.Requirement requirement : plan.requirements) {
                producer.send(new ProducerRecord<>(topics.targets(), requirement.targetId(), requirement.targetJson())).get();
            }
        }
    }

    /** Waits until the broker lists no ongoing transaction of the application; returns how many are left. */
    private long awaitNoOpenTransactions(Duration timeout) throws Exception {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        long open = -1;
        try (Admin admin = Admin.create(broker.client())) {
            while (System.currentTimeMillis() < deadline) {
                Collection<TransactionListing> listings = admin.listTransactions(new ListTransactionsOptions()
                        .filterStates(List.of(TransactionState.ONGOING, TransactionState.PREPARE_COMMIT,
                                TransactionState.PREPARE_ABORT))).all().get(10, TimeUnit.SECONDS);
                open = listings.stream().filter(t -> t.transactionalId().startsWith(Instance.APPLICATION_ID)).count();
                if (open == 0) return 0;
                Thread.sleep(1_000);
            }
        }
        return open;
    }

    static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free pair of ports");
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}

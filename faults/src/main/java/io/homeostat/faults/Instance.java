package io.homeostat.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One processor instance: {@code java -jar homeostat.jar run} in a JVM of its own, with the run's application id
 * and a state directory of its own, its output appended to {@code <name>.log}. Killed with {@code kill -9},
 * stopped with SIGTERM, stalled with SIGSTOP/SIGCONT.
 */
final class Instance {
    private static final Logger LOG = LoggerFactory.getLogger(Instance.class);
    static final String APPLICATION_ID = "faults";

    final String name;
    private final Path jar;
    private final Path dir;
    private final String bootstrapServers;
    private final List<String> extraArgs;
    private Process process;
    /** Length of the log when the current process started: RUNNING is looked for after it. */
    private long logOffset;

    Instance(String name, Path jar, Path workDir, String bootstrapServers, List<String> extraArgs) {
        this.name = name;
        this.jar = jar;
        this.dir = workDir.resolve(name);
        this.bootstrapServers = bootstrapServers;
        this.extraArgs = List.copyOf(extraArgs);
    }

    Path stateDir() {
        return dir.resolve("state");
    }

    Path log() {
        return dir.resolve(name + ".log");
    }

    /** The prefix of its clients' ids, hence of its consumer group member's client id. */
    String clientId() {
        return "faults-" + name;
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    void start() throws IOException {
        if (alive()) throw new IllegalStateException(name + " is running already");
        Files.createDirectories(dir);
        logOffset = Files.exists(log()) ? Files.size(log()) : 0;
        List<String> command = new ArrayList<>(List.of(javaBin(), "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "run",
                "--bootstrap-servers", bootstrapServers,
                "--application-id", APPLICATION_ID,
                "--state-dir", stateDir().toString(),
                "--slice", Plan.SLICE_MS / 1000 + "s", "--grace", Plan.GRACE_MS / 1000 + "s",
                "--status-interval", "5s", "--stats-interval", "5s", "--issue-quiet-period", "20s",
                "--no-create-topics",
                "-X", "client.id=" + clientId(),
                // A stalled or killed instance leaves the group after 10 s rather than 45 s: the run is shorter.
                "-X", "consumer.session.timeout.ms=10000", "-X", "consumer.heartbeat.interval.ms=2000"));
        command.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
        builder.environment().put("HOMEOSTAT_LOG_LEVEL", "INFO");
        process = builder.start();
        LOG.info("{} started (pid {})", name, process.pid());
    }

    /** Waits until its Kafka Streams client reports RUNNING (after its start). */
    void awaitRunning(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) throw new IllegalStateException(name + " exited (" + process.exitValue() + "); see " + log());
            if (logSinceStart().contains("-> RUNNING")) return;
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not reach RUNNING within " + timeout + "; see " + log());
    }

    String logSinceStart() throws IOException {
        byte[] all = Files.readAllBytes(log());
        return new String(all, (int) Math.min(logOffset, all.length), (int) Math.max(0, all.length - logOffset),
                StandardCharsets.UTF_8);
    }

    /** {@code kill -9}. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        LOG.info("{} killed (kill -9)", name);
    }

    /** SIGTERM, and waits for it to exit (it closes its Kafka Streams client, leaving the group). */
    void stop() throws InterruptedException {
        if (!alive()) return;
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            LOG.warn("{} did not stop within 90 s of SIGTERM; killing it", name);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        LOG.info("{} stopped (SIGTERM, exit {})", name, process.exitValue());
    }

    void signal(String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
        LOG.info("{} got SIG{}", name, signal);
    }

    void deleteState() throws IOException {
        if (!Files.exists(stateDir())) return;
        try (Stream<Path> files = Files.walk(stateDir())) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        LOG.info("{}: state directory deleted", name);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}

package io.homeostat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/** Where a path runs: in a JVM of its own (the harness), or in this one (the smoke test). */
public interface PathRunner {

    PathResult run(PathConfig config) throws Exception;

    /** Starts Homeostat and returns once it runs; closing it stops Homeostat. */
    AutoCloseable serve(PathConfig config) throws Exception;

    static PathRunner inProcess() {
        return new PathRunner() {
            @Override
            public PathResult run(PathConfig config) throws Exception {
                return PathMain.run(config);
            }

            @Override
            public AutoCloseable serve(PathConfig config) throws Exception {
                KafkaStreams streams = PathMain.serve(config);
                return () -> streams.close(Duration.ofSeconds(30));
            }
        };
    }

    /**
     * Each path in a fresh JVM started with {@code jvmOptions} and this JVM's class path; its output goes to
     * {@code logDir/<run id>.log}.
     */
    static PathRunner childJvm(List<String> jvmOptions, Path logDir) {
        return new PathRunner() {
            private Process start(PathConfig config, boolean serve) throws IOException {
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmOptions);
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(PathMain.class.getName());
                command.add(PathMain.JSON.writeValueAsString(config));
                if (serve) command.add("serve");
                Files.createDirectories(logDir);
                Path log = logDir.resolve(config.runId() + ".log");
                return new ProcessBuilder(command).redirectError(log.toFile()).start();
            }

            /** Reads the child's standard output until a line starts with {@code prefix}; other lines go to the log. */
            private String awaitLine(Process child, BufferedReader out, String prefix, PathConfig config) throws IOException {
                Path log = logDir.resolve(config.runId() + ".out");
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(prefix)) return line;
                    Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                throw new IOException(config.path() + " (" + config.runId() + ") ended without " + prefix.trim()
                        + "; see " + logDir.resolve(config.runId() + ".log"));
            }

            @Override
            public PathResult run(PathConfig config) throws Exception {
                Process child = start(config, false);
                try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line = awaitLine(child, out, PathMain.RESULT, config);
                    return PathMain.JSON.readValue(line.substring(PathMain.RESULT.length()), PathResult.class);
                } finally {
                    if (!child.waitFor(60, TimeUnit.SECONDS)) child.destroy();
                }
            }

            @Override
            public AutoCloseable serve(PathConfig config) throws Exception {
                Process child = start(config, true);
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                awaitLine(child, out, PathMain.READY, config);
                return () -> {
                    OutputStream in = child.getOutputStream();
                    in.close(); // the child stops when its standard input closes
                    if (!child.waitFor(60, TimeUnit.SECONDS)) child.destroy();
                    out.close();
                };
            }
        };
    }
}

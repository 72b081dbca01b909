package io.homeostat.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real programs that integration tests run against (promtool, Alertmanager, a browser, ...), found, and
 * installed when missing, by {@code scripts/ensure-tools}: the one place that maps a logical tool name to its
 * program and Debian package. A test asks for a tool by that name:
 *
 * <pre>{@code
 * Path promtool = ExternalTools.require("promtool");   // skips the test if it cannot be had
 * }</pre>
 *
 * <p>What {@link #require} does, once per tool and JVM:
 * <ol>
 *   <li>{@code scripts/ensure-tools --which <tool>}: the program's path when it is installed;</li>
 *   <li>otherwise {@code scripts/ensure-tools <tool>} (apt-get; {@code .ci/run} does this before the build, so
 *       this is for {@code ./mvnw verify} alone on a fresh machine), then looks again;</li>
 *   <li>if it is still missing, the test is <em>skipped</em> (a JUnit assumption, reported as skipped, never as
 *       passed) with a message that names the tool and says why it could not be installed.</li>
 * </ol>
 * Set {@code -Dhomeostat.tools.install=false} to skip instead of installing. To support a new tool, add a
 * line to the table in {@code scripts/ensure-tools}; nothing changes here.
 */
public final class ExternalTools {
    /** The system property that turns automatic installation off ({@code false}). */
    public static final String INSTALL_PROPERTY = "homeostat.tools.install";
    private static final long INSTALL_TIMEOUT_MINUTES = 15;
    private static final Map<String, Result> FOUND = new ConcurrentHashMap<>();

    private record Result(Path path, String why) {}

    private ExternalTools() {}

    /**
     * The program of {@code tool} (a name {@code scripts/ensure-tools --list} knows), installing it first if
     * it is missing; skips the calling test when it cannot be had.
     */
    public static Path require(String tool) {
        Result result = lookup(tool);
        Assumptions.assumeTrue(result.path() != null, () -> "Skipped: needs " + tool + ", which is not installed: "
                + result.why());
        return result.path();
    }

    /** The program of {@code tool} if it is installed (or could be installed now), else empty. */
    public static Optional<Path> find(String tool) {
        return Optional.ofNullable(lookup(tool).path());
    }

    private static Result lookup(String tool) {
        return FOUND.computeIfAbsent(tool, ExternalTools::locate);
    }

    private static synchronized Result locate(String tool) {
        Path script = RepoFiles.resolve("scripts/ensure-tools");
        if (!Files.isExecutable(script)) return new Result(null, script + " is missing or not executable");
        Run which = run(List.of(script.toString(), "--which", tool), 1);
        if (which.status() == 0 && !which.output().isBlank()) return new Result(Path.of(which.output().strip()), null);
        if (which.status() == 2) return new Result(null, which.output().strip());
        if (!Boolean.parseBoolean(System.getProperty(INSTALL_PROPERTY, "true"))) {
            return new Result(null, "-D" + INSTALL_PROPERTY + "=false; install it with: scripts/ensure-tools " + tool);
        }
        Run install = run(List.of(script.toString(), tool), INSTALL_TIMEOUT_MINUTES);
        if (install.status() != 0) {
            return new Result(null, "scripts/ensure-tools " + tool + " failed (exit " + install.status() + "): "
                    + install.output().strip());
        }
        which = run(List.of(script.toString(), "--which", tool), 1);
        return which.status() == 0 && !which.output().isBlank() ? new Result(Path.of(which.output().strip()), null)
                : new Result(null, "scripts/ensure-tools " + tool + " reported success but the program is not found");
    }

    private record Run(int status, String output) {}

    private static Run run(List<String> command, long timeoutMinutes) {
        try {
            Path output = Files.createTempFile("ensure-tools", ".log");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    return new Run(-1, String.join(" ", command) + " did not finish within " + timeoutMinutes + " min");
                }
                return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Run(-1, "cannot run " + String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, "interrupted");
        }
    }
}

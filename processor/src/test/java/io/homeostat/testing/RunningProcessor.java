package io.homeostat.testing;

import io.homeostat.cli.Homeostat;
import io.homeostat.topology.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code homeostat run} in this JVM, as {@code java -jar homeostat.jar run ...} runs it, with its HTTP endpoint on a
 * free loopback port; interrupting its thread stops it.
 */
public final class RunningProcessor implements AutoCloseable {
    private final Thread thread;
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final StringWriter err = new StringWriter();
    private final int port;

    private RunningProcessor(int port, List<String> args, Map<String, String> env) {
        this.port = port;
        thread = new Thread(() -> {
            var cli = Homeostat.commandLine(env);
            cli.setErr(new PrintWriter(err, true));
            exitCode.set(cli.execute(args.toArray(String[]::new)));
        }, "homeostat-run-" + port);
        thread.start();
    }

    /**
     * Starts {@code homeostat run} on {@code topics} with 1 s slices and grace, and {@code more} arguments.
     *
     * @param port its HTTP port ({@link #freePort()})
     */
    public static RunningProcessor start(String bootstrapServers, String applicationId, Topics topics, Path stateDir,
                                         int port, Map<String, String> env, String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--bootstrap-servers", bootstrapServers,
                "--application-id", applicationId, "--state-dir", stateDir.toString(), "--slice", "1s", "--grace", "1s",
                "--stats-interval", "0s", "--spans-topic", topics.spans(), "--metrics-topic", topics.metrics(),
                "--logs-topic", topics.logs(), "--targets-topic", topics.targets(), "--alerts-topic", topics.alerts(),
                "--issues-topic", topics.issues(), "--intents-topic", topics.intents(), "--status-topic", topics.status(),
                "--dlq-topic", topics.deadLetters(), "--http-port", Integer.toString(port),
                "--http-bind-address", "127.0.0.1"));
        args.addAll(List.of(more));
        return new RunningProcessor(port, args, env);
    }

    /** Topics of their own for a test, prefixed with its name. */
    public static Topics topics(String prefix) {
        Topics d = Topics.defaults();
        return new Topics(prefix + "." + d.spans(), prefix + "." + d.metrics(), prefix + "." + d.logs(),
                prefix + "." + d.targets(), prefix + "." + d.alerts(), prefix + "." + d.issues(), prefix + "." + d.intents(),
                prefix + "." + d.status(), prefix + "." + d.deadLetters());
    }

    /** A loopback port nothing listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Whether its HTTP port accepts connections. */
    public boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public boolean alive() {
        return thread.isAlive();
    }

    /** The exit code, -1 while it runs. */
    public int exitCode() {
        return exitCode.get();
    }

    /** What it printed on stderr (a failing command's one line). */
    public String err() {
        return err.toString();
    }

    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }

    /** Stops it (as SIGTERM would) and waits for it to exit. */
    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(60_000);
    }
}

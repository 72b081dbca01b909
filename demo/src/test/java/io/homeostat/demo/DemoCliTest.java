package io.homeostat.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo command fails as every homeostat command does: one line naming the problem, no stack trace unless asked. */
class DemoCliTest {

    private static String[] run(Map<String, String> environment, String... args) {
        StringWriter err = new StringWriter();
        CommandLine commandLine = DemoMain.commandLine(environment);
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        return new String[] {Integer.toString(exit), err.toString()};
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableBrokerIsOneLineAndExitCode1() throws Exception {
        int port = closedPort();
        String[] result = run(Map.of(), "--bootstrap-servers", "127.0.0.1:" + port, "--timeout", "1s");
        assertThat(result[0]).isEqualTo("1");
        assertThat(result[1].strip().lines()).hasSize(1);
        assertThat(result[1]).startsWith("homeostat demo: cannot reach Kafka at 127.0.0.1:" + port).doesNotContain("\tat ");
    }

    @Test
    void verboseShowsTheStackTrace() throws Exception {
        int port = closedPort();
        String[] result = run(Map.of(), "--bootstrap-servers", "127.0.0.1:" + port, "--timeout", "1s", "--verbose");
        assertThat(result[0]).isEqualTo("1");
        assertThat(result[1]).contains("\tat io.homeostat.");
        String[] fromEnvironment = run(Map.of("HOMEOSTAT_VERBOSE", "true"), "--bootstrap-servers", "127.0.0.1:" + port,
                "--timeout", "1s");
        assertThat(fromEnvironment[1]).contains("\tat io.homeostat.");
    }

    @Test
    void anUnknownOptionIsOneLineAndExitCode2() {
        String[] result = run(Map.of(), "--no-such-option");
        assertThat(result[0]).isEqualTo("2");
        assertThat(result[1].strip().lines()).hasSize(1);
        assertThat(result[1]).startsWith("homeostat demo: Unknown option: '--no-such-option'");
    }
}

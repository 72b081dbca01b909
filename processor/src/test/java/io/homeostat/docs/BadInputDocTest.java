package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.cli.Homeostat;
import io.homeostat.testing.RepoFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/bad-input.md shows what commands print for bad input: every example that needs no broker (or only a port
 * where none listens) is run, and must print exactly what the page says.
 */
class BadInputDocTest {
    record Example(String command, String output) {}

    static List<Example> examples() throws Exception {
        List<String> lines = Files.readAllLines(RepoFiles.resolve("docs/bad-input.md"));
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("$ homeostat ")) examples.add(new Example(lines.get(i).substring(2), lines.get(i + 1)));
        }
        return examples;
    }

    @Test
    void theCommandLineExamplesPrintWhatThePageSays() throws Exception {
        List<Example> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        int run = 0;
        for (Example example : examples) {
            String command = example.command();
            String expected = example.output();
            if (command.contains("--bootstrap-servers localhost:9093")) {
                // The page's closed port, made sure to be closed here: a port of our own, closed again.
                int port;
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                command = command.replace("localhost:9093", "localhost:" + port);
                expected = expected.replace("localhost:9093", "localhost:" + port);
            } else if (!command.startsWith("homeostat targets validate") && !command.startsWith("homeostat run --slice")) {
                continue; // needs a broker with topics: CliOnBrokerTest checks the same line
            }
            StringWriter err = new StringWriter();
            var cli = Homeostat.commandLine(Map.of());
            cli.setOut(new PrintWriter(new StringWriter(), true));
            cli.setErr(new PrintWriter(err, true));
            String[] args = command.substring("homeostat ".length()).split(" ");
            assertThat(cli.execute(args)).as(command).isNotZero();
            assertThat(err.toString().strip()).as(command).isEqualTo(expected);
            run++;
        }
        assertThat(run).isEqualTo(3);
    }
}

package io.homeostat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.http.HttpSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code homeostat run}'s HTTP options: defaults, the environment, turning it off, application.server, clear errors. */
class HttpOptionsTest {
    static HttpOptions parsed(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine.ParseResult parsed = Homeostat.commandLine(env).parseArgs(all);
        return ((RunCommand) parsed.subcommand().commandSpec().userObject()).httpOptions;
    }

    static HttpSettings settings(HttpOptions options, Properties props) {
        return options.settings(Duration.ofSeconds(5), 2, props);
    }

    @Test
    void onByDefaultOnEveryInterfaceOfPort8080() {
        Properties props = new Properties();
        HttpSettings settings = settings(parsed(Map.of()), props);
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(settings.maxTargetMetrics()).isEqualTo(1000);
        assertThat(settings.threads()).isEqualTo(2);
        assertThat(settings.advertised().port()).isEqualTo(8080);
        assertThat(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).endsWith(":8080");
    }

    @Test
    void theEnvironmentSetsItAndTheCommandLineWins() {
        Map<String, String> env = Map.of("HOMEOSTAT_HTTP_PORT", "9100", "HOMEOSTAT_HTTP_BIND_ADDRESS", "127.0.0.1",
                "HOMEOSTAT_HTTP_ADVERTISED_ADDRESS", "10.0.0.7", "HOMEOSTAT_METRICS_MAX_TARGETS", "50");
        Properties props = new Properties();
        HttpSettings fromEnv = settings(parsed(env), props);
        assertThat(fromEnv.port()).isEqualTo(9100);
        assertThat(fromEnv.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(fromEnv.maxTargetMetrics()).isEqualTo(50);
        assertThat(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("10.0.0.7:9100");

        HttpSettings overridden = settings(parsed(env, "--http-port", "9200", "--http-bind-address", "::1"), new Properties());
        assertThat(overridden.port()).isEqualTo(9200);
        assertThat(overridden.bindAddress()).isEqualTo("::1");
    }

    @Test
    void theBindAddressIsAdvertisedUnlessItIsEveryInterface() {
        Properties props = new Properties();
        settings(parsed(Map.of(), "--http-bind-address", "127.0.0.1", "--http-port", "29190"), props);
        assertThat(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("127.0.0.1:29190");
    }

    @Test
    void aUsersApplicationServerIsTheAdvertisedAddress() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "pod-3.homeostat:8081");
        HttpSettings settings = settings(parsed(Map.of()), props);
        assertThat(settings.advertised().host()).isEqualTo("pod-3.homeostat");
        assertThat(settings.advertised().port()).isEqualTo(8081);
        assertThat(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("pod-3.homeostat:8081");
    }

    @Test
    void noHttpOrPortZeroTurnsItOffAndLeavesApplicationServerAlone() {
        for (HttpOptions off : new HttpOptions[] {parsed(Map.of(), "--no-http"), parsed(Map.of(), "--http-port", "0"),
                parsed(Map.of("HOMEOSTAT_HTTP_PORT", "0")), parsed(Map.of("HOMEOSTAT_HTTP", "false"))}) {
            Properties props = new Properties();
            assertThat(settings(off, props)).isNull();
            assertThat(props).doesNotContainKey(StreamsConfig.APPLICATION_SERVER_CONFIG);
        }
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> settings(parsed(Map.of(), "--http-port", "70000"), new Properties()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--http-port").hasMessageContaining("70000");
        assertThatThrownBy(() -> settings(parsed(Map.of(), "--metrics-max-targets", "-1"), new Properties()))
                .hasMessageContaining("--metrics-max-targets");
        assertThatThrownBy(() -> settings(parsed(Map.of(), "--http-advertised-address", "host:notaport"), new Properties()))
                .hasMessageContaining("--http-advertised-address");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "no-port");
        assertThatThrownBy(() -> settings(parsed(Map.of()), props)).hasMessageContaining(StreamsConfig.APPLICATION_SERVER_CONFIG);
    }
}

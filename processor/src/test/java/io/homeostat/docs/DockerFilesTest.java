package io.homeostat.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.homeostat.cli.Homeostat;
import io.homeostat.config.ConfigProblem;
import io.homeostat.config.Variables;
import io.homeostat.config.YamlTree;
import io.homeostat.testing.RepoFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docker/ cannot be built or run here (no Docker engine), so what can be checked without one is checked:
 * the compose file parses and refers to files, images and commands that exist; the Dockerfile copies the
 * jar the build makes and runs as a non-root user.
 */
class DockerFilesTest {
    private static final Path DOCKER = RepoFiles.resolve("docker");

    static JsonNode compose() throws IOException {
        List<ConfigProblem> problems = new ArrayList<>();
        // Compose interpolates ${VAR:-default} itself; with an empty environment the defaults apply.
        List<YamlTree> documents = YamlTree.read("compose.yaml", Files.readString(DOCKER.resolve("compose.yaml")),
                new Variables(Map.of()), problems);
        assertThat(problems).as("compose.yaml parses").isEmpty();
        assertThat(documents).hasSize(1);
        return documents.get(0).root();
    }

    static List<String> dockerfile() throws IOException {
        return Files.readAllLines(DOCKER.resolve("Dockerfile")).stream()
                .filter(l -> !l.isBlank() && !l.stripLeading().startsWith("#")).toList();
    }

    @Test
    void composeHasAKraftBrokerTheProcessorAndAOneShotApply() throws Exception {
        JsonNode services = compose().path("services");
        assertThat(services.fieldNames()).toIterable().containsExactlyInAnyOrder("kafka", "targets", "homeostat",
                "alertmanager", "alerts-forward", "prometheus");

        JsonNode kafka = services.path("kafka");
        String kafkaVersion = pomProperty("kafka.version");
        assertThat(kafka.path("image").asText()).as("the broker of the Kafka version we build against")
                .isEqualTo("apache/kafka:" + kafkaVersion);
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.path("environment").path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt()).isEqualTo(1);
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("kafka-broker-api-versions.sh");

        for (String name : List.of("targets", "homeostat", "alerts-forward")) {
            JsonNode service = services.path(name);
            assertThat(service.path("build").path("dockerfile").asText()).isEqualTo("docker/Dockerfile");
            Path context = DOCKER.resolve(service.path("build").path("context").asText()).normalize();
            assertThat(context.resolve(service.path("build").path("dockerfile").asText())).isRegularFile();
            assertThat(context).isEqualTo(RepoFiles.root());
            assertThat(service.path("environment").path("HOMEOSTAT_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
            assertThat(service.path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
            assertThat(commandParses(service.path("command"))).as("%s's command is a homeostat command", name).isTrue();
        }

        JsonNode targets = services.path("targets");
        assertThat(targets.path("command")).extracting(JsonNode::asText)
                .containsExactly("targets", "apply", "-f", "/config/observability.yml");
        assertThat(targets.path("restart").asText()).isEqualTo("no");
        String volume = targets.path("volumes").get(0).asText();
        assertThat(volume).endsWith(":/config:ro");
        Path mounted = DOCKER.resolve(volume.substring(0, volume.indexOf(':'))).normalize();
        assertThat(mounted.resolve("observability.yml")).as("the mounted config has the file the command applies").isRegularFile();
        assertThat(targets.path("environment").path("ENV").asText()).as("the seed needs ${ENV}").isNotBlank();
        assertThat(targets.path("environment").path("VERSION").asText()).as("the seed needs ${VERSION}").isNotBlank();

        JsonNode processor = services.path("homeostat");
        assertThat(processor.path("command")).extracting(JsonNode::asText).containsExactly("run");
        assertThat(processor.path("depends_on").path("targets").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        assertThat(compose().path("volumes").has("homeostat-state")).isTrue();
    }

    @Test
    void composeHasAnAlertmanagerWiredToTheBridge() throws Exception {
        JsonNode services = compose().path("services");
        JsonNode alertmanager = services.path("alertmanager");
        assertThat(alertmanager.path("image").asText()).as("the version the bridge's tests run against")
                .isEqualTo("prom/alertmanager:v0.25.0");
        List<String> flags = new ArrayList<>();
        alertmanager.path("command").forEach(f -> flags.add(f.asText()));
        assertThat(flags).contains("--cluster.listen-address=", "--config.file=/etc/alertmanager/alertmanager.yml");
        String config = alertmanager.path("volumes").get(0).asText();
        assertThat(config).endsWith(":/etc/alertmanager/alertmanager.yml:ro");
        Path configFile = DOCKER.resolve(config.substring(0, config.indexOf(':'))).normalize();
        assertThat(configFile).isRegularFile();
        assertThat(alertmanager.path("ports").get(0).asText()).isEqualTo("9093:9093");
        assertThat(alertmanager.path("healthcheck").path("test").toString()).contains("/-/ready");
        assertThat(compose().path("volumes").has("alertmanager-data")).isTrue();

        JsonNode bridge = services.path("alerts-forward");
        assertThat(bridge.path("command")).extracting(JsonNode::asText).containsExactly("alerts", "forward");
        assertThat(bridge.path("environment").path("HOMEOSTAT_ALERTMANAGER").asText())
                .as("the bridge posts to the alertmanager service").isEqualTo("http://alertmanager:9093");
        assertThat(bridge.path("depends_on").path("alertmanager").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(bridge.path("restart").asText()).isEqualTo("unless-stopped");
        // The environment the service sets is the one the command reads (HOMEOSTAT_<OPTION>).
        var fields = bridge.path("environment").fieldNames();
        List<String> options = new ArrayList<>();
        fields.forEachRemaining(options::add);
        for (String variable : options) {
            String option = "--" + variable.substring("HOMEOSTAT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            assertThat(Homeostat.commandLine(Map.of()).getSubcommands().get("alerts").getSubcommands().get("forward")
                    .getCommandSpec().findOption(option)).as("%s is an option of alerts forward", option).isNotNull();
        }

        // Alertmanager's own checker accepts the configuration (skipped, with the reason, where amtool cannot be installed).
        java.nio.file.Path amtool = io.homeostat.testing.ExternalTools.require("amtool");
        Process check = new ProcessBuilder(amtool.toString(), "check-config", configFile.toString()).redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor()).as(output).isZero();
        assertThat(output).contains("SUCCESS", "1 inhibit rules");
    }

    private static boolean commandParses(JsonNode command) {
        List<String> args = new ArrayList<>();
        command.forEach(a -> args.add(a.asText()));
        try {
            Homeostat.commandLine(Map.of()).parseArgs(args.toArray(String[]::new));
            return true;
        } catch (CommandLine.ParameterException e) {
            return false;
        }
    }

    @Test
    void theDockerfileCopiesTheBuiltJarAndRunsAsNonRoot() throws Exception {
        List<String> lines = dockerfile();
        assertThat(lines.get(0)).as("a JRE base, not a JDK").matches("FROM eclipse-temurin:17-jre\\S*");

        String copy = lines.stream().filter(l -> l.startsWith("COPY ")).findFirst().orElseThrow();
        String[] parts = copy.split("\\s+");
        assertThat(parts[1]).isEqualTo("processor/target/homeostat.jar");
        assertThat(Files.readString(RepoFiles.resolve("processor/pom.xml")))
                .as("the shaded jar is processor/target/homeostat.jar").contains("<finalName>homeostat</finalName>");
        String jarInImage = parts[2];

        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        String who = user.substring(5).trim().split(":")[0];
        assertThat(who).isNotIn("root", "0");
        int userLine = lines.indexOf(user);
        int entrypointLine = lines.indexOf(lines.stream().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow());
        assertThat(userLine).as("USER before ENTRYPOINT").isLessThan(entrypointLine);
        assertThat(lines.get(entrypointLine)).contains("\"java\"", "\"-jar\"", "\"" + jarInImage + "\"");
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("useradd").contains("--uid " + who));

        String cmd = lines.stream().filter(l -> l.startsWith("CMD ")).findFirst().orElseThrow();
        assertThat(cmd).isEqualTo("CMD [\"run\"]");
    }

    @Test
    void theImageChecksTheProcessorsLivenessAndComposeScrapesItsMetrics() throws Exception {
        List<String> lines = dockerfile();
        String port = Integer.toString(io.homeostat.http.HttpSettings.DEFAULT_PORT);
        assertThat(lines).contains("EXPOSE " + port);
        int healthcheck = lines.indexOf(lines.stream().filter(l -> l.startsWith("HEALTHCHECK ")).findFirst().orElseThrow());
        String check = String.join(" ", lines.subList(healthcheck, healthcheck + 2));
        assertThat(check).as("the liveness probe, on the port the processor listens on")
                .contains("CMD curl -fsS", "http://127.0.0.1:${HOMEOSTAT_HTTP_PORT:-" + port + "}/health/live", "|| exit 1")
                .containsPattern("--interval=\\d+s").containsPattern("--start-period=\\d+s");
        assertThat(Homeostat.commandLine(Map.of()).getSubcommands().get("run").getCommandSpec().findOption("--http-port"))
                .as("HOMEOSTAT_HTTP_PORT is run's --http-port").isNotNull();

        JsonNode services = compose().path("services");
        for (String oneShotOrOther : List.of("targets", "alerts-forward")) {
            assertThat(services.path(oneShotOrOther).path("healthcheck").path("disable").asBoolean())
                    .as("%s runs no HTTP endpoint: the image's check is off", oneShotOrOther).isTrue();
        }
        JsonNode processor = services.path("homeostat");
        assertThat(processor.path("ports").get(0).asText()).isEqualTo(port + ":" + port);
        var variables = processor.path("environment").fieldNames();
        while (variables.hasNext()) {
            String variable = variables.next();
            String option = "--" + variable.substring("HOMEOSTAT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            assertThat(Homeostat.commandLine(Map.of()).getSubcommands().get("run").getCommandSpec().findOption(option))
                    .as("%s is an option of run", option).isNotNull();
        }
        assertThat(processor.path("environment").path("HOMEOSTAT_HTTP_ADVERTISED_ADDRESS").asText()).isEqualTo("homeostat:" + port);

        JsonNode prometheus = services.path("prometheus");
        assertThat(prometheus.path("image").asText()).as("the version promtool here checks").startsWith("prom/prometheus:v2.");
        assertThat(prometheus.path("depends_on").path("homeostat").path("condition").asText()).isEqualTo("service_healthy");
        String mount = prometheus.path("volumes").get(0).asText();
        assertThat(mount).endsWith(":/etc/prometheus/prometheus.yml:ro");
        Path config = DOCKER.resolve(mount.substring(0, mount.indexOf(':'))).normalize();
        assertThat(Files.readString(config)).contains("metrics_path: /metrics", "\"homeostat:" + port + "\"");
        // Prometheus' own checker accepts the scrape configuration (skipped, with the reason, where it cannot be installed).
        io.homeostat.testing.Promtool.Result result = io.homeostat.testing.Promtool.require().checkConfig(config);
        assertThat(result.ok()).as(result.output()).isTrue();
        assertThat(result.output()).contains("SUCCESS");
    }

    @Test
    void theBuildContextKeepsTheJar() throws IOException {
        List<String> ignore = Files.readAllLines(RepoFiles.resolve(".dockerignore"));
        assertThat(ignore).contains("*", "!processor/target/homeostat.jar");
    }

    private static String pomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(RepoFiles.resolve("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}

package io.homeostat.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** How to reach Kafka; shared by every command that talks to it. */
public final class KafkaOptions {
    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}; env HOMEOSTAT_BOOTSTRAP_SERVERS).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "A Kafka client/Streams properties file (security, SASL, ...); env HOMEOSTAT_KAFKA_CONFIG.")
    Path kafkaConfig;

    @Option(names = {"-X", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Any Kafka client or Streams property, repeatable; wins over --kafka-config.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** bootstrap.servers, then the properties file, then -X pairs: later wins. */
    public Properties clientProperties() {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        if (kafkaConfig != null) {
            try (InputStream in = Files.newInputStream(kafkaConfig)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --kafka-config " + kafkaConfig, e);
            }
        }
        props.putAll(kafkaProperties);
        return props;
    }
}

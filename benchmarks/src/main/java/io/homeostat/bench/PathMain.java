package io.homeostat.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Runs one path, in this JVM. As a main class it is what the harness starts in a JVM of its own per path
 * (so that every path gets the same, otherwise empty JVM, and heap and CPU are its own):
 * {@code PathMain <config json>} prints {@code RESULT <json>}; {@code PathMain <config json> serve} runs
 * Homeostat, prints {@code READY} once it runs, and stops when its standard input closes.
 */
public final class PathMain {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static final String RESULT = "RESULT ";
    static final String READY = "READY";

    private PathMain() {}

    public static PathResult run(PathConfig config) throws Exception {
        if (config.warmup()) measure(config.warmupRun());
        return measure(config);
    }

    private static PathResult measure(PathConfig config) throws Exception {
        return switch (PathName.valueOf(config.path())) {
            case FETCH -> ConsumerPath.run(config, false);
            case FLOOR -> ConsumerPath.run(config, true);
            case HOMEOSTAT -> StreamsPaths.runHomeostat(config);
            case NAIVE -> StreamsPaths.runNaive(config);
        };
    }

    /** Starts Homeostat and returns once it is running; the caller closes it. */
    public static KafkaStreams serve(PathConfig config) throws Exception {
        StreamsPaths.App app = StreamsPaths.homeostat(config);
        KafkaStreams streams = app.streams();
        streams.start();
        long deadline = System.nanoTime() + config.timeoutMs() * 1_000_000L;
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                streams.close(Duration.ofSeconds(10));
                throw new IllegalStateException("Homeostat did not reach RUNNING: " + streams.state());
            }
            Thread.sleep(50);
        }
        return streams;
    }

    public static void main(String[] args) throws Exception {
        PathConfig config = JSON.readValue(args[0], PathConfig.class);
        if (args.length > 1 && args[1].equals("serve")) {
            KafkaStreams streams = serve(config);
            System.out.println(READY);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (in.readLine() != null) {
                // runs until the harness closes our standard input
            }
            streams.close(Duration.ofSeconds(30));
            return;
        }
        PathResult result = run(config);
        System.out.println(RESULT + JSON.writeValueAsString(result));
        System.out.flush();
        System.exit(0);
    }
}

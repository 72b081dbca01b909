package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.model.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exception handlers, configured as the processor runs them, on a small topology whose processor throws on
 * command: a record that makes processing, reading or writing throw goes to the dead-letter topic with the
 * headers every dead letter has, is counted, and the next record is processed; a failure that is not about one
 * record (a state store, a punctuator) still stops the thread.
 */
class DeadLetterHandlerTest {
    @TempDir Path stateDir;
    private TopologyTestDriver driver;

    @AfterEach
    void close() {
        if (driver != null) driver.close();
    }

    /** in → thrower → out; the thrower throws what the value names, and its punctuator throws on "tick-boom". */
    private final class Thrower implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private boolean punctuatorBoom;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            new TaskMetrics(context); // as every Homeostat processor: binds the handlers' counters
            context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, now -> {
                if (punctuatorBoom) throw new IllegalStateException("the punctuator broke");
            });
        }

        @Override
        public void process(Record<String, String> record) {
            switch (record.value()) {
                case "boom" -> throw new IllegalStateException("kaboom");
                case "store" -> throw new ProcessorStateException("the store is corrupt");
                case "tick-boom" -> punctuatorBoom = true;
                default -> context.forward(record);
            }
        }
    }

    private void start(Deserializer<String> valueDeserializer, Serializer<String> valueSerializer) {
        start(valueDeserializer, valueSerializer, StreamsConfig.EXACTLY_ONCE_V2);
    }

    private void start(Deserializer<String> valueDeserializer, Serializer<String> valueSerializer, String guarantee) {
        Topology topology = new Topology();
        topology.addSource("source", new StringDeserializer(), valueDeserializer, "in");
        topology.addProcessor("thrower", Thrower::new, "source");
        topology.addSink("sink", "out", new StringSerializer(), valueSerializer, "thrower");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "handler-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.putAll(DeadLetterHandler.streamsConfig("dlq", new FailureCounters()));
        driver = new TopologyTestDriver(topology, props);
    }

    private void start() {
        start(new StringDeserializer(), new StringSerializer());
    }

    private TestInputTopic<String, String> in() {
        return driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
    }

    private TestOutputTopic<String, String> out() {
        return driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
    }

    private TestOutputTopic<String, String> dlq() {
        return driver.createOutputTopic("dlq", new StringDeserializer(), new StringDeserializer());
    }

    private double failures(String stage) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet()) {
            if (e.getKey().group().equals(HomeostatTopology.METRICS_GROUP) && e.getKey().name().equals("records-failed-total")
                    && e.getKey().tags().get("stage").equals(stage)) {
                total += ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return total;
    }

    static String header(Headers headers, String key) {
        return headers.lastHeader(key) == null ? null : new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void anExceptionWhileProcessingOneRecordDeadLettersItAndTheNextRecordIsProcessed() {
        start();
        in().pipeInput("k1", "hello");
        in().pipeInput(new TestRecord<>("k2", "boom", new org.apache.kafka.common.header.internals.RecordHeaders(
                new org.apache.kafka.common.header.Header[] {
                    new org.apache.kafka.common.header.internals.RecordHeader("traceparent", "00-abc".getBytes(StandardCharsets.UTF_8))})));
        in().pipeInput("k3", "world");

        assertThat(out().readValuesToList()).containsExactly("hello", "world");
        List<TestRecord<String, String>> letters = dlq().readRecordsToList();
        assertThat(letters).singleElement().satisfies(letter -> {
            assertThat(letter.key()).isEqualTo("k2");
            assertThat(letter.value()).isEqualTo("boom");
            assertThat(header(letter.headers(), DeadLetters.REASON))
                    .isEqualTo("unexpected IllegalStateException in thrower: kaboom");
            assertThat(header(letter.headers(), DeadLetters.CLASS)).isEqualTo("java.lang.IllegalStateException");
            assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("in");
            assertThat(header(letter.headers(), DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
            assertThat(header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
            assertThat(header(letter.headers(), "traceparent")).as("the original headers stay").isEqualTo("00-abc");
        });
        assertThat(failures("processing")).isEqualTo(1);
    }

    /**
     * At least once here: under exactly-once the test driver drops what is sent while a record is enqueued (it
     * clears its mock producer's open transaction before processing), and records are read when enqueued. The real
     * stream thread commits that transaction with the next commit.
     */
    @Test
    void aRecordThatCannotBeReadIsDeadLettered() {
        start((topic, bytes) -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.equals("unreadable")) throw new SerializationException("not a string I know");
            return text;
        }, new StringSerializer(), StreamsConfig.AT_LEAST_ONCE);
        in().pipeInput("k1", "unreadable");
        in().pipeInput("k2", "fine");
        assertThat(out().readValuesToList()).containsExactly("fine");
        TestRecord<String, String> letter = dlq().readRecord();
        assertThat(letter.value()).isEqualTo("unreadable");
        assertThat(header(letter.headers(), DeadLetters.REASON)).isEqualTo("cannot read a record of in: not a string I know");
        assertThat(header(letter.headers(), DeadLetters.CLASS)).isEqualTo(SerializationException.class.getName());
        assertThat(header(letter.headers(), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(failures("deserialization")).isEqualTo(1);
    }

    @Test
    void anOutputThatCannotBeWrittenDeadLettersTheInputRecordBehindIt() {
        start(new StringDeserializer(), (topic, value) -> {
            if (value.equals("unwritable")) throw new SerializationException("no bytes for that");
            return value.getBytes(StandardCharsets.UTF_8);
        });
        in().pipeInput("k1", "unwritable");
        in().pipeInput("k2", "fine");
        assertThat(out().readValuesToList()).containsExactly("fine");
        TestRecord<String, String> letter = dlq().readRecord();
        assertThat(letter.key()).isEqualTo("k1");
        assertThat(letter.value()).isEqualTo("unwritable");
        assertThat(header(letter.headers(), DeadLetters.REASON)).isEqualTo("cannot write the value of a record to out: no bytes for that");
        assertThat(header(letter.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo("in");
        assertThat(failures("production")).isEqualTo(1);
    }

    @Test
    void aFailingStateStoreIsNotAboutOneRecordAndStopsTheThread() {
        start();
        assertThatThrownBy(() -> in().pipeInput("k1", "store")).hasStackTraceContaining("the store is corrupt");
        assertThat(dlq().isEmpty()).isTrue();
    }

    @Test
    void aFailingPunctuatorIsNotAboutOneRecordAndStopsTheThread() {
        start();
        in().pipeInput("k1", "tick-boom");
        assertThatThrownBy(() -> driver.advanceWallClockTime(Duration.ofSeconds(2)))
                .hasStackTraceContaining("the punctuator broke");
        assertThat(dlq().isEmpty()).isTrue();
    }

    @Test
    void whatIsAndIsNotAboutOneRecord() {
        assertThat(DeadLetterHandler.notAboutOneRecord(new IllegalArgumentException("bad value"))).isNull();
        assertThat(DeadLetterHandler.notAboutOneRecord(new ArithmeticException())).isNull();
        assertThat(DeadLetterHandler.notAboutOneRecord(new RuntimeException(new ProcessorStateException("rocksdb"))))
                .startsWith("A state store failed");
        assertThat(DeadLetterHandler.notAboutOneRecord(new org.apache.kafka.common.errors.TimeoutException("slow")))
                .startsWith("Kafka did not answer");
    }

    /** Where the producer reports a record it could not send: the input behind it is no longer known. */
    static ErrorHandlerContext producerContext() {
        return new ErrorHandlerContext() {
            public String topic() { return null; }
            public int partition() { return -1; }
            public long offset() { return -1; }
            public Headers headers() { return new org.apache.kafka.common.header.internals.RecordHeaders(); }
            public String processorNodeId() { return "alerts"; }
            public org.apache.kafka.streams.processor.TaskId taskId() { return new org.apache.kafka.streams.processor.TaskId(1, 0); }
            public long timestamp() { return -1; }
            public byte[] sourceRawKey() { return null; }
            public byte[] sourceRawValue() { return null; }
        };
    }

    @Test
    void aRecordTheBrokerRefusesIsCountedAndDroppedAndASlowBrokerIsRetried() {
        DeadLetterHandler handler = new DeadLetterHandler();
        FailureCounters counters = new FailureCounters();
        handler.configure(DeadLetterHandler.streamsConfig("dlq", counters));
        var record = new org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>("homeostasis.issues", new byte[10],
                new byte[2_000_000]);
        var tooLarge = handler.handleError(producerContext(), record,
                new org.apache.kafka.common.errors.RecordTooLargeException("2000010 bytes"));
        assertThat(tooLarge.result()).isEqualTo(org.apache.kafka.streams.errors.ProductionExceptionHandler.Result.RESUME);
        assertThat(tooLarge.deadLetterQueueRecords()).isEmpty();
        var slow = handler.handleError(producerContext(), record,
                new org.apache.kafka.common.errors.NotEnoughReplicasException("1 of 3"));
        assertThat(slow.result()).isEqualTo(org.apache.kafka.streams.errors.ProductionExceptionHandler.Result.RETRY);
    }
}

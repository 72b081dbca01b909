package io.homeostat.exporter.kafka;

import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the SDK exporters to Kafka share: one OTLP export request per record, encoded by the SDK's own
 * marshaler, with the {@code content-type} header the Collector's Kafka exporter sets. A failed send fails
 * the export's result (the SDK logs and counts it) and never throws into the SDK's export thread.
 */
final class OtlpKafkaSink {
    private static final Logger LOG = Logger.getLogger(OtlpKafkaSink.class.getName());

    private final Producer<byte[], byte[]> producer;
    private final boolean ownsProducer;
    private final String topic;
    private final KafkaExporterEncoding encoding;
    private volatile boolean shutdown;

    OtlpKafkaSink(Producer<byte[], byte[]> producer, boolean ownsProducer, String topic, KafkaExporterEncoding encoding) {
        this.producer = producer;
        this.ownsProducer = ownsProducer;
        this.topic = topic;
        this.encoding = encoding;
    }

    /** A sink with a producer of its own, closed when the exporter shuts down. */
    static OtlpKafkaSink owning(KafkaExporterConfig config, String topic) {
        return new OtlpKafkaSink(new KafkaProducer<>(config.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer()),
                true, topic, config.encoding());
    }

    KafkaExporterEncoding encoding() {
        return encoding;
    }

    static byte[] marshal(Marshaler marshaler, KafkaExporterEncoding encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(marshaler.getBinarySerializedSize() + 64);
        try {
            if (encoding == KafkaExporterEncoding.OTLP_JSON) {
                marshaler.writeJsonTo(out);
            } else {
                marshaler.writeBinaryTo(out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("OTLP marshaling failed", e);
        }
        return out.toByteArray();
    }

    CompletableResultCode send(byte[] request) {
        if (shutdown) return CompletableResultCode.ofFailure();
        CompletableResultCode result = new CompletableResultCode();
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", encoding.contentType().getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<byte[], byte[]>(topic, null, null, request, headers), (metadata, error) -> {
                if (error == null) {
                    result.succeed();
                } else {
                    LOG.log(Level.WARNING, "OTLP export to Kafka topic " + topic + " failed: " + error, error);
                    result.failExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "OTLP export to Kafka topic " + topic + " failed: " + e, e);
            result.failExceptionally(e);
        }
        return result;
    }

    CompletableResultCode flush() {
        try {
            producer.flush();
            return CompletableResultCode.ofSuccess();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "flushing the Kafka producer failed: " + e, e);
            return CompletableResultCode.ofExceptionalFailure(e);
        }
    }

    CompletableResultCode shutdown() {
        CompletableResultCode flushed = flush();
        shutdown = true;
        if (ownsProducer) producer.close(Duration.ofSeconds(10));
        return flushed;
    }
}

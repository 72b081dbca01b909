package io.homeostat.cli;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes target changes to the targets topic in one Kafka transaction: a read_committed reader (the
 * processor under exactly-once, {@code targets list}) sees all of an apply or none of it.
 *
 * <p>The transactional id is fixed by default, so that an apply that died mid-transaction is aborted by
 * the next one at once (instead of holding back read_committed readers until the transaction times out),
 * and two applies running at the same moment fence each other instead of interleaving.
 */
final class TargetsWriter {
    static final String DEFAULT_TRANSACTIONAL_ID = "homeostat-targets-apply";

    private TargetsWriter() {}

    static void writeInOneTransaction(Properties base, String transactionalId, List<ProducerRecord<byte[], byte[]>> records) {
        Properties props = new Properties();
        props.putAll(base);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            try {
                for (ProducerRecord<byte[], byte[]> record : records) producer.send(record);
                producer.commitTransaction();
            } catch (ProducerFencedException e) {
                throw new IllegalStateException("another `targets apply` with transactional id '" + transactionalId
                        + "' started meanwhile; nothing of this one was applied. Run it again.", e);
            } catch (KafkaException e) {
                producer.abortTransaction();
                throw e;
            }
        }
    }
}

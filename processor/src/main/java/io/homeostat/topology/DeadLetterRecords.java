package io.homeostat.topology;

import io.homeostat.model.DeadLetters;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a rejected input record into its dead letter: original key, value and headers, plus the reason. */
final class DeadLetterRecords {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecords.class);
    private static final int MAX_REASON = 2_000;

    private DeadLetterRecords() {}

    static Record<String, Decoded> of(ProcessingContext context, Record<byte[], byte[]> record, String reason,
                                     Class<?> errorClass) {
        RecordMetadata source = context.recordMetadata().orElse(null);
        Headers headers = source == null
                ? headers(record.headers(), reason, errorClass, null, -1, -1)
                : headers(record.headers(), reason, errorClass, source.topic(), source.partition(), source.offset());
        LOG.warn("Dead-lettered record {}-{}@{}: {}", source == null ? "?" : source.topic(),
                source == null ? "?" : source.partition(), source == null ? "?" : source.offset(), trim(reason));
        return new Record<>(null, Decoded.rejected(record.key(), record.value()), record.timestamp(), headers);
    }

    /**
     * The dead letter's headers ({@link DeadLetters}): the original ones, then the reason, the failure's class
     * and, when known ({@code topic} not null, partition and offset not negative), where the record came from.
     */
    static Headers headers(Headers original, String reason, Class<?> errorClass, String topic, int partition, long offset) {
        Headers headers = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0] : original.toArray());
        put(headers, DeadLetters.REASON, trim(reason));
        put(headers, DeadLetters.CLASS, errorClass.getName());
        if (topic != null) put(headers, DeadLetters.SOURCE_TOPIC, topic);
        if (topic != null && partition >= 0) put(headers, DeadLetters.SOURCE_PARTITION, Integer.toString(partition));
        if (topic != null && offset >= 0) put(headers, DeadLetters.SOURCE_OFFSET, Long.toString(offset));
        return headers;
    }

    static String trim(String reason) {
        if (reason == null || reason.isBlank()) return "(no reason given)";
        return reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}

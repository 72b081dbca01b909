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
        String trimmed = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason;
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetters.REASON, trimmed);
        put(headers, DeadLetters.CLASS, errorClass.getName());
        RecordMetadata source = context.recordMetadata().orElse(null);
        if (source != null) {
            put(headers, DeadLetters.SOURCE_TOPIC, source.topic());
            put(headers, DeadLetters.SOURCE_PARTITION, Integer.toString(source.partition()));
            put(headers, DeadLetters.SOURCE_OFFSET, Long.toString(source.offset()));
        }
        LOG.warn("Dead-lettered record {}-{}@{}: {}", source == null ? "?" : source.topic(),
                source == null ? "?" : source.partition(), source == null ? "?" : source.offset(), trimmed);
        return new Record<>(null, Decoded.rejected(record.key(), record.value()), record.timestamp(), headers);
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }
}

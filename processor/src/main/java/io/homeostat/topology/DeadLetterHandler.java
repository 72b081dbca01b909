package io.homeostat.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' three exception handlers in one: an unexpected exception while processing one record
 * (KIP-1033), reading one record of a repartition topic, or serializing one output record sends that input
 * record to the dead-letter topic, with the headers every dead letter has ({@link io.homeostat.model.DeadLetters}:
 * reason, failure class, source topic, partition and offset), counts it ({@link FailureCounters}), logs it once, and
 * processing goes on with the next record.
 *
 * <p>Only failures that are not about one record stop the stream thread, and say so: a state store that fails
 * ({@link ProcessorStateException}, {@link InvalidStateStoreException}), a broker that does not answer
 * ({@link RetriableException}), an exception in a wall-clock punctuator (no record is at fault; the thread's
 * uncaught-exception handler decides what happens next). Kafka Streams' own KIP-1034 dead-letter records carry
 * {@code __streams.errors.*} headers instead of ours, so this handler builds its own records; it reads the topic
 * from KIP-1034's setting, {@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}.
 *
 * <p>A record that could not be sent (too large, say) is reported by the producer's I/O thread, when the input
 * record behind it is no longer known: it is counted and logged, not dead-lettered.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler, DeserializationExceptionHandler,
        ProductionExceptionHandler {
    /** Streams configuration key of the client's {@link FailureCounters} (an object, not a string). */
    public static final String COUNTERS_CONFIG = "homeostat.failure.counters";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterHandler.class);
    /** Stack traces are logged for the first failure of each kind (processor and exception class) only. */
    private static final int MAX_KINDS_REMEMBERED = 1_000;

    private String topic;
    private FailureCounters counters = new FailureCounters();
    private final Set<String> kindsLogged = ConcurrentHashMap.newKeySet();
    /** The input record dead-lettered last (topic, partition, offset): one dead letter per record, however many outputs failed. */
    private volatile String lastDeadLettered;

    /** What the Streams configuration needs for these handlers: the three handler classes, the topic, the counters. */
    public static Map<String, Object> streamsConfig(String deadLetterTopic, FailureCounters counters) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
        config.put(COUNTERS_CONFIG, counters);
        return config;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object name = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        topic = name == null ? Topics.defaults().deadLetters() : name.toString();
        if (configs.get(COUNTERS_CONFIG) instanceof FailureCounters shared) counters = shared;
    }

    /**
     * Runs one record's processing so that a {@link ClassCastException} reaches this handler too: Kafka Streams
     * takes one thrown by a processor for a Serde mistake and stops the thread without asking the handler, but in
     * our processors it can only be a bug met by one record.
     */
    static void castFailuresToo(Runnable processing) {
        try {
            processing.run();
        } catch (ClassCastException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    // --- processing (KIP-1033) ---------------------------------------------------------------------------

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        if (record == null || context.topic() == null) {
            LOG.error("A punctuator of {} (task {}) failed; this is not about one input record, so the stream thread "
                    + "stops and restarts from its last commit", context.processorNodeId(), context.taskId(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        String notAboutTheRecord = notAboutOneRecord(exception);
        if (notAboutTheRecord != null) {
            LOG.error("{} while {} processed {}: not about this record, so the stream thread stops and restarts from its "
                    + "last commit", notAboutTheRecord, context.processorNodeId(), source(context), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        String reason = "unexpected " + exception.getClass().getSimpleName() + " in " + context.processorNodeId() + ": "
                + exception.getMessage();
        return ProcessingExceptionHandler.Response.resume(deadLetter(context, "processing", reason, exception,
                context.sourceRawKey(), context.sourceRawValue()));
    }

    // --- deserialization (repartition topics; the input topics are read as bytes) --------------------------

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        String reason = "cannot read a record of " + record.topic() + ": " + exception.getMessage();
        return DeserializationExceptionHandler.Response.resume(deadLetter(context, "deserialization", reason, exception,
                record.key(), record.value()));
    }

    // --- production ----------------------------------------------------------------------------------------

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record,
                                                                        Exception exception,
                                                                        SerializationExceptionOrigin origin) {
        String reason = "cannot write the " + origin.name().toLowerCase(java.util.Locale.ROOT) + " of a record to "
                + record.topic() + ": " + exception.getMessage();
        if (context.topic() == null) {
            counters.record(context.taskId().toString(), context.processorNodeId(), "production");
            LOG.error("Dropped a record for {} from a punctuator of {}: {}", record.topic(), context.processorNodeId(),
                    reason, exception);
            return ProductionExceptionHandler.Response.resume();
        }
        return ProductionExceptionHandler.Response.resume(deadLetter(context, "production", reason, exception,
                context.sourceRawKey(), context.sourceRawValue()));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            // The broker is slow or away: not this record's fault. Kafka Streams retries the task.
            return ProductionExceptionHandler.Response.retry();
        }
        counters.record(context.taskId().toString(), context.processorNodeId(), "production");
        LOG.error("Could not write a record of {} bytes to {} ({}); it is dropped and processing goes on",
                size(record), record.topic(), exception.toString());
        return ProductionExceptionHandler.Response.resume();
    }

    // -------------------------------------------------------------------------------------------------------

    /** The dead letter of the input record at hand, counted and logged once. */
    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, String stage, String reason,
                                                           Exception exception, byte[] key, byte[] value) {
        counters.record(context.taskId().toString(), context.processorNodeId(), stage);
        String where = source(context);
        if (where.equals(lastDeadLettered)) {
            LOG.warn("Record {} failed again ({}); it is on {} already", where, reason, topic);
            return List.of();
        }
        lastDeadLettered = where;
        if (value == null && context.offset() >= 0) {
            reason += " (the original bytes are no longer at hand: read them at " + where + ")";
        }
        String kind = context.processorNodeId() + "/" + exception.getClass().getName();
        boolean first = kindsLogged.size() < MAX_KINDS_REMEMBERED && kindsLogged.add(kind);
        if (first) {
            LOG.warn("Dead-lettered record {} to {}: {} (the first {} in {}; its stack trace follows, later ones are "
                    + "logged in one line)", where, topic, reason, exception.getClass().getSimpleName(),
                    context.processorNodeId(), exception);
        } else {
            LOG.warn("Dead-lettered record {} to {}: {}", where, topic, reason);
        }
        Headers headers = DeadLetterRecords.headers(context.headers(), reason, exception.getClass(), context.topic(),
                context.partition(), context.offset());
        Long timestamp = context.timestamp() >= 0 ? context.timestamp() : null;
        return List.of(new ProducerRecord<>(topic, null, timestamp, key, value, headers));
    }

    /**
     * Why an exception is not about the record being processed, or {@code null} when it is: a failing state
     * store, a broker that does not answer, an error of Kafka Streams itself.
     */
    static String notAboutOneRecord(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProcessorStateException || t instanceof InvalidStateStoreException) {
                return "A state store failed (" + t.getClass().getSimpleName() + ")";
            }
            if (t instanceof RetriableException) return "Kafka did not answer in time (" + t.getClass().getSimpleName() + ")";
            if (t instanceof StreamsException) return "Kafka Streams failed (" + t.getClass().getSimpleName() + ")";
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return "Kafka refused access (" + t.getClass().getSimpleName() + ")";
            }
        }
        return null;
    }

    private static String source(ErrorHandlerContext context) {
        return context.topic() + "-" + context.partition() + "@" + context.offset();
    }

    private static int size(ProducerRecord<byte[], byte[]> record) {
        return (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
    }
}

package io.homeostat.model;

/** Header names of a record on {@code homeostasis.dlq}; its key and value are the original bytes. */
public final class DeadLetters {
    /** Human-readable reason the record was rejected. */
    public static final String REASON = "homeostat.error.reason";
    /** Class of the failure, e.g. {@code io.homeostat.otlp.OtlpDecodeException}. */
    public static final String CLASS = "homeostat.error.class";
    public static final String SOURCE_TOPIC = "homeostat.source.topic";
    public static final String SOURCE_PARTITION = "homeostat.source.partition";
    public static final String SOURCE_OFFSET = "homeostat.source.offset";

    private DeadLetters() {}
}

package io.homeostat.bench;

/** The measured paths. */
public enum PathName {
    /** A plain consumer that reads the records and does nothing else: what fetching alone costs. */
    FETCH("fetch only", "KafkaConsumer, no parsing (reference: the cost of reading the bytes)"),
    /** The floor of the issue: a plain consumer that parses every OTLP request with the generated classes. */
    FLOOR("floor", "KafkaConsumer + ExportTraceServiceRequest.parseFrom per record, counting spans, nothing else"),
    /** Homeostat as shipped. */
    HOMEOSTAT("Homeostat", "HomeostatTopology + StreamsSettings as shipped: exactly-once, 1 stream thread, 2 targets per key"),
    /** What a user would write by hand with the DSL. */
    NAIVE("naive DSL", "flatMap every span to a record keyed by requirement, repartition, windowed aggregate "
            + "(same SpanAggregate, same StreamsSettings; grace = grace + the dataset's event span, so that it drops nothing)");

    private final String label;
    private final String description;

    PathName(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }
}

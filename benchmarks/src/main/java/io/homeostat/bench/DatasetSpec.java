package io.homeostat.bench;

/**
 * What a pre-produced dataset holds.
 *
 * @param spans          spans in total
 * @param spansPerBatch  spans per OTLP export request (one Kafka record)
 * @param requirements   requirement keys, drawn with a Zipf distribution
 * @param zipfExponent   skew of the keys (1.0: the most frequent key gets ~17 % of 200 keys' spans)
 * @param services       services (one {@code ResourceSpans} each in a request); requirement i is service i % services
 * @param errorRate      share of spans with status ERROR (and an exception event)
 * @param eventSpanMs    event time the dataset covers: span end times spread evenly over it
 * @param seed           the random seed: a spec always produces the same spans
 * @param junkValues     0, or a sender bug putting user ids where names go: every fourth span carries the
 *                       requirement {@code user-<n>} and every fourth comes, without a requirement, from the service
 *                       {@code svc-user-<n>}, {@code n} running through this many distinct values
 */
public record DatasetSpec(long spans, int spansPerBatch, int requirements, double zipfExponent, int services,
                          double errorRate, long eventSpanMs, long seed, int junkValues) {

    public DatasetSpec(long spans, int spansPerBatch, int requirements, double zipfExponent, int services,
                       double errorRate, long eventSpanMs, long seed) {
        this(spans, spansPerBatch, requirements, zipfExponent, services, errorRate, eventSpanMs, seed, 0);
    }

    public DatasetSpec {
        if (spans < 1 || spansPerBatch < 1 || requirements < 1) throw new IllegalArgumentException("empty dataset");
        if (errorRate < 0 || errorRate > 1) throw new IllegalArgumentException("error rate outside [0, 1]");
    }

    public long batches() {
        return (spans + spansPerBatch - 1) / spansPerBatch;
    }

    public DatasetSpec withSpans(long newSpans) {
        return new DatasetSpec(newSpans, spansPerBatch, requirements, zipfExponent, services, errorRate, eventSpanMs, seed,
                junkValues);
    }

    public DatasetSpec withRequirements(int newRequirements) {
        return new DatasetSpec(spans, spansPerBatch, newRequirements, zipfExponent,
                Math.max(services, newRequirements / 10), errorRate, eventSpanMs, seed, junkValues);
    }

    public DatasetSpec withJunk(int values) {
        return new DatasetSpec(spans, spansPerBatch, requirements, zipfExponent, services, errorRate, eventSpanMs, seed, values);
    }

    public String describe() {
        return String.format("%,d spans in %,d OTLP protobuf requests of %d spans, %d requirement keys (Zipf s=%.1f) "
                        + "over %d services, %.1f %% errors (status ERROR with an exception event), %d s of event time",
                spans, batches(), spansPerBatch, requirements, zipfExponent, services, errorRate * 100, eventSpanMs / 1000)
                + (junkValues == 0 ? "" : String.format("; a quarter of the spans with a junk requirement user-<n> and a "
                + "quarter from a junk service svc-user-<n> without one, %,d distinct values each", junkValues));
    }
}

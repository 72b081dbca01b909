package io.homeostat.aggregate;

/** The OTLP metric types, as far as evaluation cares: exponential histograms become {@link #HISTOGRAM}. */
public enum MetricKind {
    /** Sum: counter (monotonic) or up-down counter. Evaluated as increase (default) or rate. */
    SUM,
    /** Gauge: evaluated as last (default), avg, min or max. */
    GAUGE,
    /** Histogram or exponential histogram: a distribution. */
    HISTOGRAM,
    /** Summary: count, sum and the quantiles the SDK computed; a distribution of limited use. */
    SUMMARY
}

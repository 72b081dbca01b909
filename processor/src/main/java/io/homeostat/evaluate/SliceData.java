package io.homeostat.evaluate;

import io.homeostat.aggregate.CumulativeSeries;
import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.MetricPartial;
import io.homeostat.aggregate.SpanAggregate;
import java.util.SortedMap;

/** The data side of a requirement task's state: its slices, and the last point of each cumulative series. */
public interface SliceData {
    void addSpans(String requirement, long sliceStart, SpanAggregate spans);

    void addMetric(String requirement, String metric, SortedMap<String, String> attributes, long sliceStart,
                   MetricAggregate delta);

    /**
     * Turns a series' cumulative points into increases against its stored previous point, and stores the
     * newest point. Duplicates and out-of-order points are skipped (counted in the result).
     */
    CumulativeSeries.Advance increases(String requirement, MetricPartial partial, long nowMs);

    /** The requirement's data in {@code [from, to)}. */
    WindowData window(String requirement, long from, long to);

    /**
     * Drops the slices older than {@code cutoff} (event time), at a cost in proportion to what it drops (this runs
     * every slice), not to what is stored.
     */
    void purge(long cutoff);

    /** Drops every slice of a requirement the task no longer keeps (its place in the cardinality cap expired). */
    void forget(String requirement);

    /** Drops what is kept of a series beyond its slices (a cumulative series' last point): the series expired. */
    void forgetSeries(SeriesRef series);
}

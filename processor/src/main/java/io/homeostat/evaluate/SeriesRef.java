package io.homeostat.evaluate;

/**
 * One metric series of a requirement, as the series cap counts it.
 *
 * @param id         the attributes id of a delta series (its key in the slices), the series id of a cumulative one
 * @param cumulative whether a last point is kept for it (cumulative series turn into increases against it)
 */
public record SeriesRef(String requirement, String metric, long id, boolean cumulative) {}

package io.homeostat.evaluate;

import io.homeostat.aggregate.MetricAggregate;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.model.MetricRef;
import java.util.Optional;

/** The data of one requirement over one window, as the evaluation needs it; backed by state stores. */
public interface WindowData {

    /** The requirement's spans in the window, merged (empty when there were none). */
    Windowed<SpanAggregate> spans();

    /** The points of the metric's series that match {@code ref.where()}, merged; empty when none. */
    Optional<Windowed<MetricAggregate>> metric(MetricRef ref);

    /**
     * A merged aggregate and the end of the newest slice that contributed to it (for no-data: when data
     * was last seen), or {@link Long#MIN_VALUE} when nothing did.
     */
    record Windowed<T>(T aggregate, long latestSliceEnd) {}
}

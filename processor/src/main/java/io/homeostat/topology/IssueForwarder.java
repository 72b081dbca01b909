package io.homeostat.topology;

import io.homeostat.issues.IssueExtractor;
import org.apache.kafka.common.metrics.Sensor;

/**
 * Hands on the issue partials of one decoded batch (keyed by issue id) and counts what was found; one per
 * decoding processor, its counters tagged {@code signal=spans|logs}.
 */
final class IssueForwarder {
    private final Sensor errorsTraced;
    private final Sensor partialsForwarded;
    private final Sensor bareErrorSpans;

    IssueForwarder(TaskMetrics metrics, String signal) {
        errorsTraced = metrics.counter("errors-traced",
                "Errors traced to a requirement: exception span events, error spans, error log records", "signal", signal);
        partialsForwarded = metrics.counter("issue-partials-forwarded",
                "Issue partials (one per production issue and batch) sent to the issue tasks", "signal", signal);
        bareErrorSpans = "spans".equals(signal) ? metrics.counter("error-spans-without-detail",
                "Spans with status ERROR but no exception event, status message or error.type: no issue of their own")
                : null;
    }

    void add(Decoded.Builder out, IssueExtractor.Batch batch) {
        errorsTraced.record(batch.occurrences());
        if (bareErrorSpans != null) bareErrorSpans.record(batch.bareErrorSpans());
        batch.issues().values().forEach(out::issue);
        partialsForwarded.record(batch.issues().size());
    }
}

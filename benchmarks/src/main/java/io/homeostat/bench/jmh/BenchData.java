package io.homeostat.bench.jmh;

import io.homeostat.bench.Dataset;
import io.homeostat.bench.DatasetSpec;
import java.util.List;

/** The JMH benchmarks' input: requests of the load harness's default dataset, in memory. */
final class BenchData {
    /** Spans per request; every request of the benchmarks has exactly this many. */
    static final int SPANS_PER_BATCH = 512;
    static final int BATCHES = 64;
    static final long START_MS = 1_795_000_000_000L;
    static final long SLICE_MS = 5_000;

    private BenchData() {}

    static DatasetSpec spec() {
        // the default dataset's density: 5 M spans over 60 s of event time
        return new DatasetSpec((long) SPANS_PER_BATCH * BATCHES, SPANS_PER_BATCH, 200, 1.0, 20, 0.02,
                60_000L * BATCHES * SPANS_PER_BATCH / 5_000_000L, 42);
    }

    static List<Dataset.Batch> batches() {
        return Dataset.batches(spec(), START_MS, BATCHES);
    }
}

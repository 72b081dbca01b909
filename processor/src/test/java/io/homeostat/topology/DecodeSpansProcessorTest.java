package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.homeostat.aggregate.SliceKey;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.aggregate.SpanBatchAggregator;
import io.homeostat.evaluate.RequirementEvent;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.testing.SdkSpans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The decode task folds spans across records and flushes them on its punctuator; a task restarted
 * between two flushes rebuilds exactly the partials it would have flushed, from its journal store.
 */
class DecodeSpansProcessorTest {
    private static final Instant T0 = Instant.parse("2026-11-24T10:15:00Z");
    private static final long SLICE_MS = 1000;

    @Test
    void spansOfManyRecordsFoldIntoOnePartialPerRequirementAndSliceAtTheFlush() throws Exception {
        List<byte[]> records = records();
        Task task = new Task();
        task.processAll(records);
        assertThat(task.partials()).as("nothing forwarded before the flush").isEmpty();
        assertThat(task.journal.approximateNumEntries()).isEqualTo(records.size());

        task.flush();

        Map<SliceKey, SpanAggregate> flushed = task.partials();
        Map<SliceKey, SpanAggregate> perRecord = mergedPerRecordPartials(records);
        assertThat(flushed.keySet()).containsExactlyInAnyOrderElementsOf(perRecord.keySet());
        for (Map.Entry<SliceKey, SpanAggregate> e : perRecord.entrySet()) {
            SpanAggregate folded = flushed.get(e.getKey());
            SpanAggregate merged = e.getValue();
            assertThat(folded.count()).isEqualTo(merged.count());
            assertThat(folded.errors()).isEqualTo(merged.errors());
            assertThat(folded.errorTraceIds()).isEqualTo(merged.errorTraceIds());
            assertThat(folded.slowest()).isEqualTo(merged.slowest());
            for (double q : new double[] {0.0, 0.5, 0.95, 0.99, 1.0}) {
                assertThat(folded.durationsMs().quantile(q)).isEqualTo(merged.durationsMs().quantile(q));
            }
            assertThat(folded.durationsMs().sum()).isCloseTo(merged.durationsMs().sum(), within(1e-6));
        }
        assertThat(task.journal.approximateNumEntries()).as("the flush empties the journal").isZero();
    }

    @Test
    void aTaskRestartedBeforeItsFlushRebuildsTheSamePartialsFromItsJournal() throws Exception {
        List<byte[]> records = records();
        Task uninterrupted = new Task();
        uninterrupted.processAll(records);
        uninterrupted.flush();

        Task crashed = new Task();
        crashed.processAll(records); // then it is gone; its journal store is what the changelog restores
        Task restarted = new Task(crashed.journal);
        assertThat(restarted.partials()).isEmpty();
        restarted.flush();

        assertThat(encoded(restarted.partials())).isEqualTo(encoded(uninterrupted.partials()));
        assertThat(restarted.journal.approximateNumEntries()).isZero();
    }

    @Test
    void aFullJournalFlushesWithoutWaitingForThePunctuator() throws Exception {
        Task task = new Task();
        byte[] record;
        try (SdkSpans sdk = new SdkSpans("checkout")) {
            record = sdk.spans("REQ-A", 1, T0, new double[] {5}, 0).batch(OtlpEncoding.PROTOBUF);
        }
        int records = DecodeSpansProcessor.MAX_RECORDS_PER_FLUSH;
        for (int i = 0; i < records - 1; i++) task.process(record, i);
        assertThat(task.partials()).isEmpty();
        task.process(record, records - 1);
        assertThat(task.partials()).containsOnlyKeys(new SliceKey("REQ-A", T0.toEpochMilli()));
        assertThat(task.partials().get(new SliceKey("REQ-A", T0.toEpochMilli())).count()).isEqualTo(records);
    }

    /** Requests of 60 spans over 5 requirements, 3 slices, durations and errors varying, some spans untagged. */
    private static List<byte[]> records() {
        Random random = new Random(3);
        List<byte[]> records = new ArrayList<>();
        try (SdkSpans sdk = new SdkSpans("checkout")) {
            for (int r = 0; r < 8; r++) {
                for (int s = 0; s < 60; s++) {
                    String requirement = "REQ-" + (char) ('A' + random.nextInt(5));
                    Instant end = T0.plusMillis(random.nextInt(3000));
                    sdk.span("op", random.nextInt(20) == 0 ? Map.of() : Map.of("requirement", requirement), end,
                            1 + random.nextDouble() * 900, random.nextInt(10) == 0);
                }
                records.add(sdk.batch(OtlpEncoding.PROTOBUF));
            }
        }
        return records;
    }

    private static Map<SliceKey, SpanAggregate> mergedPerRecordPartials(List<byte[]> records) throws Exception {
        Map<SliceKey, SpanAggregate> merged = new LinkedHashMap<>();
        for (byte[] record : records) {
            var result = SpanBatchAggregator.aggregate(OtlpDecoder.decodeTraces(record, OtlpEncoding.PROTOBUF), SLICE_MS, 0);
            result.partials().forEach((key, partial) -> merged.computeIfAbsent(key, k -> new SpanAggregate()).merge(partial));
        }
        return merged;
    }

    private static Map<SliceKey, String> encoded(Map<SliceKey, SpanAggregate> partials) {
        Map<SliceKey, String> out = new LinkedHashMap<>();
        partials.forEach((key, value) -> out.put(key, java.util.HexFormat.of().formatHex(SpanAggregateCodec.encode(value))));
        return out;
    }

    /** One decode task on a mock context, with its journal store. */
    private static final class Task {
        final MockProcessorContext<String, Decoded> context = new MockProcessorContext<>();
        final KeyValueStore<Bytes, byte[]> journal;
        final DecodeSpansProcessor processor = new DecodeSpansProcessor("otlp_spans", SLICE_MS, SLICE_MS,
                Long.MAX_VALUE / 4, false, InputHealth.ASSUMED_READABLE);

        Task() {
            this(null);
        }

        /** @param restored the journal of a previous task, as its changelog restores it */
        Task(KeyValueStore<Bytes, byte[]> restored) {
            journal = restored != null ? restored : Stores.keyValueStoreBuilder(
                    Stores.inMemoryKeyValueStore(DecodeSpansProcessor.JOURNAL_STORE), Serdes.Bytes(), Serdes.ByteArray())
                    .withLoggingDisabled().build();
            if (restored == null) journal.init(context.getStateStoreContext(), journal);
            context.addStateStore(journal);
            context.setCurrentSystemTimeMs(T0.toEpochMilli());
            processor.init(context);
        }

        void processAll(List<byte[]> records) {
            for (int i = 0; i < records.size(); i++) process(records.get(i), i);
        }

        void process(byte[] record, long offset) {
            context.setRecordMetadata("otlp_spans", 0, offset);
            processor.process(new Record<>(null, record, T0.toEpochMilli()));
        }

        void flush() {
            context.scheduledPunctuators().get(0).getPunctuator().punctuate(T0.toEpochMilli() + 100);
        }

        Map<SliceKey, SpanAggregate> partials() {
            Map<SliceKey, SpanAggregate> out = new LinkedHashMap<>();
            for (var forwarded : context.forwarded()) {
                for (var event : forwarded.record().value().requirementEvents()) {
                    if (event.value instanceof RequirementEvent.SlicePartial partial) {
                        SliceKey key = new SliceKey(event.key, partial.sliceStart());
                        assertThat(out).as("one partial per requirement and slice").doesNotContainKey(key);
                        out.put(key, partial.spans());
                    }
                }
            }
            return out;
        }
    }
}

package io.homeostat.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.homeostat.aggregate.Distribution;
import io.homeostat.aggregate.MetricCodec;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.aggregate.SpanJournal;
import io.homeostat.aggregate.SpanSliceBuffer;
import io.homeostat.evaluate.StateCodec;
import io.homeostat.evaluate.TargetActivity;
import io.homeostat.issues.IssueCodec;
import io.homeostat.issues.IssueState;
import io.homeostat.stored.StoredFormat;
import io.homeostat.testing.RepoFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden bytes of every changelogged store value and repartition record. {@code stored-formats/legacy/} holds
 * what Homeostat wrote before its stored formats were versioned (captured through the topology from main at
 * 0fc8795, with what each record decoded to then): today's code must still read every one of them to the same
 * content, so that a rolling upgrade never crash-loops on old state or old repartition records.
 * {@code stored-formats/tagged/} holds the same records in today's {@link StoredFormat}: they must decode to
 * the same content, and encoding that content must give the same bytes (a format change that is not
 * deliberate fails here). After a deliberate change (a new field), regenerate the tagged files:
 * {@code ./mvnw -pl processor test -Dtest=StoredFormatsTest -Dhomeostat.writeStoredFormats=true}, and keep the
 * old ones as a legacy case if the old form must still be read.
 */
class StoredFormatsTest {
    static final HexFormat HEX = HexFormat.of();
    static final String LEGACY = "processor/src/test/resources/stored-formats/legacy/";
    static final String TAGGED = "processor/src/test/resources/stored-formats/tagged/";

    /** How one store's (or topic's) values are read, written and described. */
    record Format(Function<byte[], Object> decode, Function<Object, byte[]> encode, Function<Object, String> describe) {}

    static final Map<String, Format> FORMATS = new TreeMap<>(Map.ofEntries(
            Map.entry(RequirementWindows.SPAN_SLICES_STORE, new Format(SpanAggregateCodec::decode,
                    v -> SpanAggregateCodec.encode((io.homeostat.aggregate.SpanAggregate) v), Describe::of)),
            Map.entry(RequirementWindows.METRIC_SLICES_STORE, new Format(MetricCodec::decodeSeriesSlice,
                    v -> MetricCodec.encode((MetricCodec.SeriesSlice) v), Describe::of)),
            Map.entry(RequirementWindows.SERIES_STORE, new Format(MetricCodec::decodeSeriesPoint,
                    v -> MetricCodec.encode((MetricCodec.SeriesPoint) v), StoredFormatsTest::describeSeriesPoint)),
            Map.entry(EvaluateProcessor.TARGETS_STORE, new Format(StateCodec::decodeTarget,
                    v -> StateCodec.encode((io.homeostat.model.Target) v), Describe::of)),
            Map.entry(EvaluateProcessor.EPISODES_STORE, new Format(StateCodec::decodeEpisode,
                    v -> StateCodec.encode((io.homeostat.evaluate.Episode) v), Describe::of)),
            Map.entry(EvaluateProcessor.TARGET_STATE_STORE, new Format(StateCodec::decodeActivity,
                    v -> StateCodec.encode((TargetActivity.State) v), v -> {
                        TargetActivity.State s = (TargetActivity.State) v;
                        return "TargetState{appliedAt=" + s.appliedAt() + ", lastSeen=" + s.lastSeen() + "}";
                    })),
            Map.entry(EvaluateProcessor.UNATTRIBUTED_STORE, new Format(StateCodec::decodeUnattributed,
                    v -> StateCodec.encode((io.homeostat.model.UnattributedStatus) v), Describe::of)),
            Map.entry(IntentsFromAlertsProcessor.ALERT_INTENTS_STORE, new Format(IssueCodec::decodeMark,
                    v -> IssueCodec.encode((io.homeostat.issues.AlertIntents.Mark) v), Describe::of)),
            Map.entry(TrackIssuesProcessor.ISSUES_STORE, new Format(IssueCodec::decodeState,
                    v -> IssueCodec.encode((IssueState) v), Describe::of)),
            Map.entry(RouteTargetsProcessor.ROUTES_STORE, new Format(TargetRoutes::decode,
                    v -> TargetRoutes.encode((String) v), v -> (String) v)),
            Map.entry(HomeostatTopology.REQUIREMENT_EVENTS, new Format(RequirementEventSerde::decode,
                    v -> RequirementEventSerde.encode((io.homeostat.evaluate.RequirementEvent) v), Describe::of)),
            Map.entry(HomeostatTopology.ISSUE_OCCURRENCES, new Format(IssueCodec::decodePartial,
                    v -> IssueCodec.encode((io.homeostat.issues.IssuePartial) v), Describe::of)),
            Map.entry(DecodeSpansProcessor.JOURNAL_STORE, new Format(StoredFormatsTest::replay, null, Describe::of)),
            Map.entry(SloCounts.STORE, new Format(io.homeostat.slo.SloCodec::decode,
                    v -> io.homeostat.slo.SloCodec.encode((io.homeostat.slo.CountBlock) v), Object::toString))));

    /** One stored record: its key (stores only), its value, and what it decodes to. */
    record Golden(byte[] key, byte[] value, String description) {}

    @ParameterizedTest
    @ValueSource(strings = {"requirement-slices", "metric-slices", "metric-series", "span-journal", "targets",
        "alert-episodes", "target-state", "unattributed-counts", "alert-intents", "production-issues", "target-routes",
        "requirement-events", "issue-occurrences"})
    void theFormatsBeforeVersioningStillReadToTheSameContent(String name) throws IOException {
        Format format = FORMATS.get(name);
        List<Golden> records = read(RepoFiles.resolve(LEGACY + name + ".txt"));
        assertThat(records).isNotEmpty();
        for (Golden record : records) {
            assertThat(StoredFormat.isTagged(record.value())).as("legacy bytes are not today's format").isFalse();
            Object decoded = format.decode().apply(record.value());
            assertThat(asThen(format, decoded)).isEqualTo(record.description());
            if (format.encode() != null) {
                byte[] today = format.encode().apply(decoded);
                assertThat(StoredFormat.isTagged(today)).isTrue();
                assertThat(asThen(format, format.decode().apply(today))).isEqualTo(record.description());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"requirement-slices", "metric-slices", "metric-series", "targets", "alert-episodes",
        "target-state", "unattributed-counts", "alert-intents", "production-issues", "target-routes",
        "requirement-events", "issue-occurrences"})
    void todaysFormatHasGoldenBytes(String name) throws IOException {
        Format format = FORMATS.get(name);
        Path golden = RepoFiles.resolve(TAGGED + name + ".txt");
        if (Boolean.getBoolean("homeostat.writeStoredFormats")) {
            write(golden, name, reencode(read(RepoFiles.resolve(LEGACY + name + ".txt")), format));
        }
        List<Golden> records = read(golden);
        assertThat(records).isNotEmpty();
        for (Golden record : records) {
            assertThat(StoredFormat.isTagged(record.value())).isTrue();
            Object decoded = format.decode().apply(record.value());
            assertThat(format.describe().apply(decoded)).isEqualTo(record.description());
            assertThat(HEX.formatHex(format.encode().apply(decoded))).as("the same content, the same bytes")
                    .isEqualTo(HEX.formatHex(record.value()));
        }
    }

    @Test
    void aJournalEntryHasGoldenBytes() throws IOException {
        SpanJournal.Writer writer = new SpanJournal.Writer();
        byte[] traceId = HEX.parseHex("0af7651916cd43dd8448eb211c80319c");
        writer.add("REQ-NFR-PERF-001", 1_795_514_411_000L, 812.5, true, true, traceId, 0);
        writer.add("REQ-NFR-PERF-001", 1_795_514_411_000L, 120.0, false, false, null, 0);
        writer.add("REQ-F-AUTH-001", 1_795_514_412_000L, 33.0, false, true, traceId, 0);
        byte[] entry = writer.toEntry(1_795_514_412_345L);
        SpanSliceBuffer buffer = new SpanSliceBuffer();
        SpanJournal.replay(entry, buffer);
        Golden today = new Golden(HEX.parseHex("00000000000000000000002a"), entry, Describe.of(buffer.drain()));
        Path golden = RepoFiles.resolve(TAGGED + DecodeSpansProcessor.JOURNAL_STORE + ".txt");
        if (Boolean.getBoolean("homeostat.writeStoredFormats")) write(golden, DecodeSpansProcessor.JOURNAL_STORE, List.of(today));
        Golden recorded = read(golden).get(0);
        assertThat(HEX.formatHex(recorded.value())).isEqualTo(HEX.formatHex(entry));
        assertThat(Describe.of(replay(recorded.value()))).isEqualTo(recorded.description());
    }

    /**
     * Formats that have no legacy form: a source's watermark on the requirement-events topic (kind 6), and the
     * event-clock store's two values (how far verdicts went, key {@code judged}; what is known of an input
     * partition, key {@code topic-partition}).
     */
    @Test
    void watermarksAndTheEventClockHaveGoldenBytes() throws IOException {
        var watermark = new io.homeostat.evaluate.RequirementEvent.SourceWatermark("otlp_spans", 2, 6, 1_795_514_410_000L,
                io.homeostat.evaluate.RequirementEvent.SourceWatermark.Reading.BEHIND, 1_795_514_412_345L);
        var source = new io.homeostat.evaluate.SourceWatermarks.Source("otlp_metrics", 1, 3, 1_795_514_405_000L,
                io.homeostat.evaluate.RequirementEvent.SourceWatermark.Reading.LIVE, 1_795_514_412_000L);
        List<Golden> today = List.of(
                new Golden(null, RequirementEventSerde.encode(watermark), Describe.of(watermark)),
                new Golden(bytes(io.homeostat.evaluate.EventClock.JUDGED_KEY),
                        io.homeostat.evaluate.ClockCodec.encodeJudged(1_795_514_400_000L), "1795514400000"),
                new Golden(bytes(source.name()), io.homeostat.evaluate.ClockCodec.encode(source), Describe.of(source)));
        Path golden = RepoFiles.resolve(TAGGED + EvaluateProcessor.CLOCK_STORE + ".txt");
        if (Boolean.getBoolean("homeostat.writeStoredFormats")) {
            write(golden, "requirement-events watermarks (first record, no key) and " + EvaluateProcessor.CLOCK_STORE,
                    today);
        }
        List<Golden> recorded = read(golden);
        assertThat(recorded).hasSize(3);
        List<Function<byte[], Object>> decoders = List.of(RequirementEventSerde::decode,
                io.homeostat.evaluate.ClockCodec::decodeJudged, io.homeostat.evaluate.ClockCodec::decodeSource);
        for (int i = 0; i < recorded.size(); i++) {
            Golden record = recorded.get(i);
            assertThat(HEX.formatHex(today.get(i).value())).as("the same content, the same bytes")
                    .isEqualTo(HEX.formatHex(record.value()));
            assertThat(Describe.of(decoders.get(i).apply(record.value()))).isEqualTo(record.description());
            byte[] damaged = record.value().clone();
            damaged[damaged.length / 2] ^= 0x20;
            Function<byte[], Object> decode = decoders.get(i);
            assertThatThrownBy(() -> decode.apply(damaged)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Spans whose trace state gave their adjusted count (fields 6-10) and errors of unknown count (field 11). */
    @Test
    void aSampledSpanAggregateHasGoldenBytes() throws IOException {
        io.homeostat.aggregate.SpanAggregate spans = new io.homeostat.aggregate.SpanAggregate();
        spans.record(120.0, false, 9.99938968568813, () -> "0af7651916cd43dd8448eb211c80319c"); // ot=th:e666
        spans.record(2_000.0, true, 10.0, () -> "4bf92f3577b34da6a3ce929d0e0e4736");
        spans.record(95.5, false, () -> "5b8efff798038103d269b633813fc60c"); // unknown: the target's setting applies
        spans.record(1_500.0, true, () -> "6e9168a0215c28f419b8a70c6c30a2e5");
        byte[] value = SpanAggregateCodec.encode(spans);
        Golden today = new Golden(null, value, Describe.of(spans));
        Path golden = RepoFiles.resolve(TAGGED + RequirementWindows.SPAN_SLICES_STORE + "-sampled.txt");
        if (Boolean.getBoolean("homeostat.writeStoredFormats")) write(golden, RequirementWindows.SPAN_SLICES_STORE, List.of(today));
        Golden recorded = read(golden).get(0);
        assertThat(HEX.formatHex(recorded.value())).as("the same content, the same bytes").isEqualTo(HEX.formatHex(value));
        assertThat(Describe.of(SpanAggregateCodec.decode(recorded.value()))).isEqualTo(recorded.description());
        // What a reader of the release before finds in the fields it knows (it skips 6-11).
        double[] old = StoredFormat.read(recorded.value(), "span aggregate", in -> {
            double[] known = new double[3];
            for (int field; (field = in.next()) != 0; ) {
                switch (field) {
                    case 1 -> known[0] = in.int64();
                    case 2 -> known[1] = in.int64();
                    case 3 -> {
                        byte[] sketch = in.bytes();
                        known[2] = Distribution.fromBytes(sketch, 0, sketch.length).count();
                    }
                    default -> in.skip();
                }
            }
            return known;
        });
        assertThat(old).as("spans seen, errors seen, durations of the spans without an adjusted count")
                .containsExactly(4.0, 2.0, 2.0);
    }

    @Test
    void aSampledJournalEntryHasGoldenBytes() throws IOException {
        SpanJournal.Writer writer = new SpanJournal.Writer();
        byte[] traceId = HEX.parseHex("0af7651916cd43dd8448eb211c80319c");
        writer.add("REQ-F-AUTH-001", 1_795_514_411_000L, 812.5, true, 10.0, true, traceId, 0);
        writer.add("REQ-F-AUTH-001", 1_795_514_411_000L, 120.0, false, Double.NaN, false, null, 0);
        writer.add("REQ-F-AUTH-001", 1_795_514_412_000L, 33.0, false, 9.99938968568813, true, traceId, 0);
        byte[] entry = writer.toEntry(1_795_514_412_345L);
        Golden today = new Golden(HEX.parseHex("00000000000000000000002b"), entry, Describe.of(replay(entry)));
        Path golden = RepoFiles.resolve(TAGGED + DecodeSpansProcessor.JOURNAL_STORE + "-sampled.txt");
        if (Boolean.getBoolean("homeostat.writeStoredFormats")) write(golden, DecodeSpansProcessor.JOURNAL_STORE, List.of(today));
        Golden recorded = read(golden).get(0);
        assertThat(HEX.formatHex(recorded.value())).isEqualTo(HEX.formatHex(entry));
        assertThat(Describe.of(replay(recorded.value()))).isEqualTo(recorded.description());
        assertThat(recorded.description()).contains("sampledSpans=1, sampledErrors=1, sampledAdjusted=10.0")
                .contains("sampledAdjusted=9.99938968568813");
    }

    /**
     * The {@code slo-counts} store (new with this format, so it has no legacy form): a minute block of slice
     * checkpoints and an hour block of minute checkpoints, with their keys ({@code targetId 0x00 level start}).
     */
    @Test
    void sloCountsHaveGoldenBytes() throws IOException {
        io.homeostat.slo.CountBlock minute = new io.homeostat.slo.CountBlock(1_200_000, 1_201_800);
        minute.append(1_795_514_405_000L, 1_200_596, 1_202_400);
        minute.append(1_795_514_410_000L, 1_201_190, 1_203_000);
        minute.append(1_795_514_420_000L, 1_201_190, 1_203_002);
        io.homeostat.slo.CountBlock hour = new io.homeostat.slo.CountBlock(0, 0);
        hour.append(1_795_510_860_000L, 36_000, 36_000);
        hour.append(1_795_510_920_000L, 71_982, 72_000);
        List<Golden> today = List.of(
                new Golden(SloCounts.key("REQ-F-CHECKOUT-001/checkout_success", 0, 1_795_514_400_000L).get(),
                        io.homeostat.slo.SloCodec.encode(minute), minute.toString()),
                new Golden(SloCounts.key("REQ-F-CHECKOUT-001/checkout_success", 1, 1_795_510_800_000L).get(),
                        io.homeostat.slo.SloCodec.encode(hour), hour.toString()));
        Path golden = RepoFiles.resolve(TAGGED + SloCounts.STORE + ".txt");
        if (Boolean.getBoolean("homeostat.writeStoredFormats")) write(golden, SloCounts.STORE, today);
        List<Golden> recorded = read(golden);
        assertThat(recorded).hasSize(2);
        for (int i = 0; i < recorded.size(); i++) {
            Golden record = recorded.get(i);
            assertThat(HEX.formatHex(record.key())).isEqualTo(HEX.formatHex(today.get(i).key()));
            assertThat(HEX.formatHex(record.value())).as("the same content, the same bytes").isEqualTo(HEX.formatHex(today.get(i).value()));
            io.homeostat.slo.CountBlock decoded = io.homeostat.slo.SloCodec.decode(record.value());
            assertThat(decoded.toString()).isEqualTo(record.description());
            assertThat(SloCounts.start(Bytes.wrap(record.key()))).isEqualTo(i == 0 ? 1_795_514_400_000L : 1_795_510_800_000L);
        }
    }

    @Test
    void sliceStoreKeysKeepTheirLayout() throws IOException {
        for (Golden record : read(RepoFiles.resolve(LEGACY + RequirementWindows.SPAN_SLICES_STORE + ".txt"))) {
            Bytes key = Bytes.wrap(record.key());
            String requirement = prefix(record.key());
            assertThat(SliceStoreKeys.key(requirement, SliceStoreKeys.sliceStart(key))).isEqualTo(key);
        }
        for (Golden record : read(RepoFiles.resolve(LEGACY + RequirementWindows.METRIC_SLICES_STORE + ".txt"))) {
            Bytes key = Bytes.wrap(record.key());
            String[] names = prefixes(record.key());
            long attributesId = java.nio.ByteBuffer.wrap(record.key(), record.key().length - 8, 8).getLong();
            assertThat(SliceStoreKeys.metricKey(names[0], names[1], SliceStoreKeys.metricSliceStart(key), attributesId))
                    .isEqualTo(key);
        }
        for (Golden record : read(RepoFiles.resolve(LEGACY + RequirementWindows.SERIES_STORE + ".txt"))) {
            String[] names = prefixes(record.key());
            long seriesId = java.nio.ByteBuffer.wrap(record.key(), record.key().length - 8, 8).getLong();
            assertThat(SliceStoreKeys.seriesKey(names[0], names[1], seriesId)).isEqualTo(Bytes.wrap(record.key()));
        }
    }

    @Test
    void damagedAndForeignBytesAreUnreadableNeverMisread() throws IOException {
        for (String name : FORMATS.keySet()) {
            if (name.equals(DecodeSpansProcessor.JOURNAL_STORE) || name.equals(RouteTargetsProcessor.ROUTES_STORE)) continue;
            Format format = FORMATS.get(name);
            byte[] value = read(RepoFiles.resolve(TAGGED + name + ".txt")).get(0).value();
            for (int at : new int[] {1, value.length / 2, value.length - 1}) {
                byte[] damaged = value.clone();
                damaged[at] ^= 0x20;
                assertThatThrownBy(() -> format.decode().apply(damaged)).as(name + " damaged at " + at)
                        .isInstanceOf(IllegalArgumentException.class);
            }
            byte[] truncated = Arrays.copyOf(value, value.length - 5);
            assertThatThrownBy(() -> format.decode().apply(truncated)).as(name + " truncated")
                    .isInstanceOf(IllegalArgumentException.class);
            byte[] newer = value.clone();
            newer[0] = 0x11;
            assertThatThrownBy(() -> format.decode().apply(newer)).as(name + " of a newer format")
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aFieldAddedByANewerVersionIsSkipped() {
        io.homeostat.aggregate.SpanAggregate spans = new io.homeostat.aggregate.SpanAggregate();
        spans.record(12.5, true, () -> "0af7651916cd43dd8448eb211c80319c");
        byte[] newer = StoredFormat.write(out -> {
            SpanAggregateCodec.write(out, spans);
            out.int64(99, 42).string(100, "a field this version does not know");
        });
        assertThat(Describe.of(SpanAggregateCodec.decode(newer))).isEqualTo(Describe.of(spans));
    }

    @Test
    void recordsLargerThanTheScratchBuffersRoundTrip() {
        String big = "x".repeat(300_000);
        byte[] record = StoredFormat.write(out -> out.int64(1, 7)
                .message(2, nested -> nested.string(1, big).message(2, deeper -> deeper.string(1, big))));
        String[] back = StoredFormat.read(record, "test record", in -> {
            String[] strings = new String[2];
            for (int field; (field = in.next()) != 0; ) {
                if (field != 2) {
                    in.skip();
                    continue;
                }
                in.message("nested", nested -> {
                    for (int f; (f = nested.next()) != 0; ) {
                        if (f == 1) strings[0] = nested.string();
                        else nested.message("deeper", deeper -> {
                            for (int g; (g = deeper.next()) != 0; ) strings[1] = deeper.string();
                            return null;
                        });
                    }
                    return null;
                });
            }
            return strings;
        });
        assertThat(back).containsExactly(big, big);
    }

    static String asThen(Format format, Object value) {
        Describe.THEN.set(true);
        try {
            return format.describe().apply(value);
        } finally {
            Describe.THEN.set(false);
        }
    }

    static Object replay(byte[] entry) {
        SpanSliceBuffer buffer = new SpanSliceBuffer();
        SpanJournal.replay(entry, buffer);
        return buffer.drain();
    }

    static String describeSeriesPoint(Object value) {
        MetricCodec.SeriesPoint point = (MetricCodec.SeriesPoint) value;
        try {
            return "shape=" + point.shape() + " lastUpdate=" + point.updatedAtMs() + " point="
                    + Describe.of(MetricCodec.parsePoint(point.shape(), point.point()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Golden> reencode(List<Golden> legacy, Format format) {
        List<Golden> out = new ArrayList<>();
        for (Golden record : legacy) {
            out.add(new Golden(record.key(), format.encode().apply(format.decode().apply(record.value())),
                    record.description()));
        }
        return out;
    }

    static String prefix(byte[] key) {
        int zero = 0;
        while (key[zero] != 0) zero++;
        return new String(key, 0, zero, StandardCharsets.UTF_8);
    }

    static String[] prefixes(byte[] key) {
        int first = 0;
        while (key[first] != 0) first++;
        int second = first + 1;
        while (key[second] != 0) second++;
        return new String[] {new String(key, 0, first, StandardCharsets.UTF_8),
            new String(key, first + 1, second - first - 1, StandardCharsets.UTF_8)};
    }

    /** Lines: {@code [keyhex ]valuehex}, then {@code = description}; {@code #} starts a comment. */
    static List<Golden> read(Path file) throws IOException {
        List<Golden> out = new ArrayList<>();
        byte[] key = null;
        byte[] value = null;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) continue;
            if (line.startsWith("= ")) {
                out.add(new Golden(key, value, line.substring(2)));
                continue;
            }
            String[] parts = line.split(" ");
            key = parts.length == 2 ? HEX.parseHex(parts[0]) : null;
            value = HEX.parseHex(parts[parts.length - 1]);
        }
        return out;
    }

    static void write(Path file, String name, List<Golden> records) throws IOException {
        StringBuilder text = new StringBuilder("# " + name + " in the stored format (format byte 0x10): "
                + (records.get(0).key() == null ? "" : "key hex, ") + "value hex, then what the value decodes to\n");
        for (Golden record : records) {
            if (record.key() != null) text.append(HEX.formatHex(record.key())).append(' ');
            text.append(HEX.formatHex(record.value())).append('\n');
            text.append("= ").append(record.description()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** What a decoded value holds, field by field, in a form that does not depend on its classes' code. */
    static final class Describe {
        /**
         * Fields added to a stored value after the golden files were captured: left out of a description while they
         * hold their default (as every old record decodes them), so the old descriptions still say the same.
         */
        static final java.util.Set<String> ADDED_FIELDS = java.util.Set.of(
                "SpanAggregate.sampledSpans", "SpanAggregate.sampledErrors", "SpanAggregate.sampledAdjusted",
                "SpanAggregate.sampledAdjustedErrors", "SpanAggregate.sampledDurationsMs",
                "SpanAggregate.unsampledErrorDurationsMs", "Target.sampling", "Alert.spansSeen",
                "IssueState.reportedOccurrences", "IssueState.reportedAtMs");

        /**
         * While set, a value is described as when the legacy files were captured: without the fields added since,
         * whatever they hold (a legacy journal replayed today keeps its errors' durations apart, which it did not then).
         */
        static final ThreadLocal<Boolean> THEN = ThreadLocal.withInitial(() -> false);

        static boolean isDefault(Object value) {
            return value == null || value.equals(0L) || value.equals(0) || value.equals(0.0) || value.equals(false);
        }

        static String of(Object value) {
            StringBuilder out = new StringBuilder();
            append(out, value, 0);
            return out.toString();
        }

        static void append(StringBuilder out, Object value, int depth) {
            if (depth > 12) throw new IllegalStateException("too deep");
            if (value == null) {
                out.append("null");
            } else if (value instanceof String s) {
                out.append('"').append(s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"")).append('"');
            } else if (value instanceof Number || value instanceof Boolean || value instanceof Enum<?>
                    || value instanceof Duration || value instanceof Instant) {
                out.append(value);
            } else if (value instanceof Distribution d) {
                out.append("Distribution{count=").append(d.count()).append(", sum=").append(d.sum());
                if (!d.isEmpty()) {
                    out.append(", p50=").append(d.quantile(0.5)).append(", p99=").append(d.quantile(0.99))
                            .append(", max=").append(d.max());
                }
                out.append('}');
            } else if (value instanceof org.apache.datasketches.hll.HllSketch sketch) {
                out.append("Hll{lgK=").append(sketch.getLgConfigK()).append(", estimate=")
                        .append(Math.round(sketch.getEstimate())).append('}');
            } else if (value instanceof com.google.protobuf.MessageOrBuilder message) {
                out.append(message.getClass().getSimpleName()).append('{')
                        .append(com.google.protobuf.TextFormat.printer().shortDebugString(message)).append('}');
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (var e : new TreeMap<>(map).entrySet()) {
                    if (!first) out.append(", ");
                    first = false;
                    out.append(e.getKey()).append('=');
                    append(out, e.getValue(), depth + 1);
                }
                out.append('}');
            } else if (value instanceof Iterable<?> list) {
                out.append('[');
                boolean first = true;
                for (Object item : list) {
                    if (!first) out.append(", ");
                    first = false;
                    append(out, item, depth + 1);
                }
                out.append(']');
            } else if (value.getClass().isArray()) {
                int n = java.lang.reflect.Array.getLength(value);
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(java.lang.reflect.Array.get(value, i));
                append(out, items, depth);
            } else if (value.getClass().getName().startsWith("io.homeostat.")) {
                out.append(value.getClass().getSimpleName()).append('{');
                boolean first = true;
                for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (var field : c.getDeclaredFields()) {
                        if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) continue;
                        field.setAccessible(true);
                        try {
                            if (ADDED_FIELDS.contains(c.getSimpleName() + "." + field.getName())
                                    && (THEN.get() || isDefault(field.get(value)))) continue;
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                        if (!first) out.append(", ");
                        first = false;
                        out.append(field.getName()).append('=');
                        try {
                            append(out, field.get(value), depth + 1);
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                out.append('}');
            } else {
                throw new IllegalArgumentException("cannot describe " + value.getClass());
            }
        }
    }
}

package io.homeostat.aggregate;

import com.google.protobuf.MessageLite;
import io.homeostat.stored.FieldReader;
import io.homeostat.stored.FieldWriter;
import io.homeostat.stored.LegacyRecords;
import io.homeostat.stored.StoredFormat;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The stored forms of the metric side, in the {@link StoredFormat}: a {@link MetricPartial} (repartition
 * topic), a {@link SeriesSlice} (metric slice store) and a {@link SeriesPoint} (cumulative series store).
 * Cumulative points are their own OTLP protobuf bytes. A {@link MetricAggregate} is one embedded field whose
 * number says its kind (1 sum, 2 gauge, 3 histogram, 4 summary); a point's OTLP type is an explicit code
 * ({@link #shapeCode}). Reads the forms before the stored format too.
 */
public final class MetricCodec {
    // MetricPartial
    private static final int PARTIAL_METRIC = 1;
    private static final int PARTIAL_ATTRIBUTE = 2;
    private static final int PARTIAL_SERIES_ID = 3;
    private static final int PARTIAL_SLICE_START = 4;
    private static final int PARTIAL_DELTA = 5;
    private static final int PARTIAL_CUMULATIVE = 6;
    // MetricPartial.Cumulative
    private static final int CUMULATIVE_SHAPE = 1;
    private static final int CUMULATIVE_POINT = 2;
    // SeriesSlice
    private static final int SLICE_ATTRIBUTE = 1;
    private static final int SLICE_AGGREGATE = 2;
    // SeriesPoint
    private static final int POINT_SHAPE = 1;
    private static final int POINT_UPDATED_AT = 2;
    private static final int POINT_BYTES = 3;
    // MetricAggregate: the field is the kind
    private static final int AGGREGATE_SUM = 1;
    private static final int AGGREGATE_GAUGE = 2;
    private static final int AGGREGATE_HISTOGRAM = 3;
    private static final int AGGREGATE_SUMMARY = 4;

    private static final byte LEGACY_V1 = 1;

    private MetricCodec() {}

    // ---- MetricPartial (repartition topic) ----

    public static byte[] encode(MetricPartial partial) {
        return StoredFormat.write(out -> write(out, partial));
    }

    public static void write(FieldWriter out, MetricPartial partial) {
        out.string(PARTIAL_METRIC, partial.metric()).stringMap(PARTIAL_ATTRIBUTE, partial.attributes())
                .int64(PARTIAL_SERIES_ID, partial.seriesId()).int64(PARTIAL_SLICE_START, partial.sliceStart());
        if (partial.delta() != null) {
            out.message(PARTIAL_DELTA, a -> writeAggregate(a, partial.delta()));
        } else {
            out.message(PARTIAL_CUMULATIVE, c -> {
                c.int32(CUMULATIVE_SHAPE, shapeCode(partial.cumulative().shape()));
                for (MessageLite point : partial.cumulative().points()) c.bytes(CUMULATIVE_POINT, point.toByteArray());
            });
        }
    }

    public static MetricPartial read(FieldReader in) throws IOException {
        String metric = null;
        SortedMap<String, String> attributes = new TreeMap<>();
        long seriesId = 0;
        long sliceStart = 0;
        MetricAggregate delta = null;
        MetricPartial.Cumulative cumulative = null;
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case PARTIAL_METRIC -> metric = in.string();
                case PARTIAL_ATTRIBUTE -> in.stringMapEntry(attributes);
                case PARTIAL_SERIES_ID -> seriesId = in.int64();
                case PARTIAL_SLICE_START -> sliceStart = in.int64();
                case PARTIAL_DELTA -> delta = in.message("metric aggregate", MetricCodec::readAggregate);
                case PARTIAL_CUMULATIVE -> cumulative = in.message("cumulative points", c -> {
                    MetricPartial.Shape shape = null;
                    List<byte[]> points = new ArrayList<>();
                    for (int f; (f = c.next()) != 0; ) {
                        switch (f) {
                            case CUMULATIVE_SHAPE -> shape = shape(c.int32());
                            case CUMULATIVE_POINT -> points.add(c.bytes());
                            default -> c.skip();
                        }
                    }
                    if (shape == null) throw new IOException("cumulative points without a shape");
                    List<MessageLite> parsed = new ArrayList<>(points.size());
                    for (byte[] point : points) parsed.add(parsePoint(shape, point));
                    return new MetricPartial.Cumulative(shape, parsed);
                });
                default -> in.skip();
            }
        }
        if (metric == null || (delta == null) == (cumulative == null)) {
            throw new IOException("metric partial needs a metric and either a delta or cumulative points");
        }
        return new MetricPartial(metric, attributes, seriesId, sliceStart, delta, cumulative);
    }

    /** A metric partial on its own (of either format), from {@code offset}. */
    public static MetricPartial decodePartial(byte[] bytes, int offset, int length) {
        byte[] record = offset == 0 && length == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, offset, offset + length);
        if (StoredFormat.isTagged(record)) return StoredFormat.read(record, "metric partial", MetricCodec::read);
        return decodeLegacyPartial(record, 0, record.length);
    }

    /** A metric partial in the format before the stored format (version byte 1), from {@code offset}. */
    public static MetricPartial decodeLegacyPartial(byte[] bytes, int offset, int length) {
        return LegacyRecords.read(bytes, offset, length, "metric partial", in -> {
            LegacyRecords.checkVersion(in.readByte(), LEGACY_V1, "metric record");
            String metric = in.readUTF();
            SortedMap<String, String> attributes = readLegacyAttributes(in);
            long seriesId = in.readLong();
            long sliceStart = in.readLong();
            if (in.readBoolean()) {
                return new MetricPartial(metric, attributes, seriesId, sliceStart, readLegacyAggregate(in), null);
            }
            MetricPartial.Shape shape = legacyShape(in.readByte());
            int n = in.readInt();
            List<MessageLite> points = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] point = new byte[in.readInt()];
                in.readFully(point);
                points.add(parsePoint(shape, point));
            }
            return new MetricPartial(metric, attributes, seriesId, sliceStart, null, new MetricPartial.Cumulative(shape, points));
        });
    }

    public static MessageLite parsePoint(MetricPartial.Shape shape, byte[] bytes) throws IOException {
        return switch (shape) {
            case SUM -> NumberDataPoint.parseFrom(bytes);
            case HISTOGRAM -> HistogramDataPoint.parseFrom(bytes);
            case EXPONENTIAL_HISTOGRAM -> ExponentialHistogramDataPoint.parseFrom(bytes);
            case SUMMARY -> SummaryDataPoint.parseFrom(bytes);
        };
    }

    /** The stored code of a point type: explicit, never the enum's ordinal. */
    static int shapeCode(MetricPartial.Shape shape) {
        return switch (shape) {
            case SUM -> 1;
            case HISTOGRAM -> 2;
            case EXPONENTIAL_HISTOGRAM -> 3;
            case SUMMARY -> 4;
        };
    }

    static MetricPartial.Shape shape(int code) throws IOException {
        return switch (code) {
            case 1 -> MetricPartial.Shape.SUM;
            case 2 -> MetricPartial.Shape.HISTOGRAM;
            case 3 -> MetricPartial.Shape.EXPONENTIAL_HISTOGRAM;
            case 4 -> MetricPartial.Shape.SUMMARY;
            default -> throw new IOException("unknown metric point type " + code);
        };
    }

    /** The point types as the format before the stored format wrote them: SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY. */
    private static MetricPartial.Shape legacyShape(int ordinal) throws IOException {
        return shape(ordinal + 1);
    }

    // ---- SeriesSlice (metric slice store) ----

    /** A series' attributes and one aggregate: the value of the metric slice store. */
    public record SeriesSlice(SortedMap<String, String> attributes, MetricAggregate aggregate) {}

    public static byte[] encode(SeriesSlice slice) {
        return StoredFormat.write(out -> out.stringMap(SLICE_ATTRIBUTE, slice.attributes())
                .message(SLICE_AGGREGATE, a -> writeAggregate(a, slice.aggregate())));
    }

    public static SeriesSlice decodeSeriesSlice(byte[] bytes) {
        if (StoredFormat.isTagged(bytes)) {
            return StoredFormat.read(bytes, "metric slice", in -> {
                SortedMap<String, String> attributes = new TreeMap<>();
                MetricAggregate aggregate = null;
                for (int field; (field = in.next()) != 0; ) {
                    switch (field) {
                        case SLICE_ATTRIBUTE -> in.stringMapEntry(attributes);
                        case SLICE_AGGREGATE -> aggregate = in.message("metric aggregate", MetricCodec::readAggregate);
                        default -> in.skip();
                    }
                }
                if (aggregate == null) throw new IOException("metric slice without an aggregate");
                return new SeriesSlice(attributes, aggregate);
            });
        }
        return LegacyRecords.read(bytes, "metric slice", in -> {
            LegacyRecords.checkVersion(in.readByte(), LEGACY_V1, "metric record");
            return new SeriesSlice(readLegacyAttributes(in), readLegacyAggregate(in));
        });
    }

    // ---- SeriesPoint (cumulative series store) ----

    /** The last point of a cumulative series, and when (wall time) the series was last updated. */
    public record SeriesPoint(MetricPartial.Shape shape, long updatedAtMs, byte[] point) {}

    public static byte[] encode(SeriesPoint point) {
        return StoredFormat.write(out -> out.int32(POINT_SHAPE, shapeCode(point.shape()))
                .int64(POINT_UPDATED_AT, point.updatedAtMs()).bytes(POINT_BYTES, point.point()));
    }

    public static SeriesPoint decodeSeriesPoint(byte[] bytes) {
        if (StoredFormat.isTagged(bytes)) {
            return StoredFormat.read(bytes, "series point", in -> {
                MetricPartial.Shape shape = null;
                long updatedAt = Long.MIN_VALUE;
                byte[] point = null;
                for (int field; (field = in.next()) != 0; ) {
                    switch (field) {
                        case POINT_SHAPE -> shape = shape(in.int32());
                        case POINT_UPDATED_AT -> updatedAt = in.int64();
                        case POINT_BYTES -> point = in.bytes();
                        default -> in.skip();
                    }
                }
                if (shape == null || point == null) throw new IOException("series point without a type or a point");
                return new SeriesPoint(shape, updatedAt, point);
            });
        }
        // Before the stored format: the point type's ordinal, the update time, the point.
        return LegacyRecords.read(bytes, "series point", in -> {
            MetricPartial.Shape shape = legacyShape(in.readByte());
            long updatedAt = in.readLong();
            return new SeriesPoint(shape, updatedAt, in.readAllBytes());
        });
    }

    // ---- MetricAggregate (embedded) ----

    private static void writeAggregate(FieldWriter out, MetricAggregate aggregate) {
        if (aggregate instanceof MetricAggregate.Sum s) {
            out.message(AGGREGATE_SUM, f -> f.float64(1, s.increase()).int64(2, s.points()));
        } else if (aggregate instanceof MetricAggregate.Gauge g) {
            out.message(AGGREGATE_GAUGE, f -> f.int64(1, g.lastTimeNanos()).float64(2, g.last()).float64(3, g.sum())
                    .int64(4, g.points()).float64(5, g.min()).float64(6, g.max()));
        } else if (aggregate instanceof MetricAggregate.Histogram h) {
            out.message(AGGREGATE_HISTOGRAM, f -> {
                if (h.buckets() != null) {
                    for (double bound : h.buckets().bounds()) f.float64(1, bound);
                    for (long count : h.buckets().counts()) f.int64(2, count);
                } else {
                    f.bytes(3, h.sketch().toBytes());
                }
                f.int64(4, h.count()).float64(5, h.sum()).float64(6, h.min()).float64(7, h.max());
            });
        } else if (aggregate instanceof MetricAggregate.Summary s) {
            out.message(AGGREGATE_SUMMARY, f -> {
                f.int64(1, s.count()).float64(2, s.sum()).int64(3, s.lastTimeNanos());
                for (int i = 0; i < s.quantiles().length; i++) {
                    double q = s.quantiles()[i];
                    double v = s.values()[i];
                    f.message(4, e -> e.float64(1, q).float64(2, v));
                }
            });
        }
    }

    private static MetricAggregate readAggregate(FieldReader in) throws IOException {
        MetricAggregate aggregate = null;
        for (int field; (field = in.next()) != 0; ) {
            switch (field) {
                case AGGREGATE_SUM -> aggregate = in.message("sum", f -> {
                    double increase = 0;
                    long points = 0;
                    for (int n; (n = f.next()) != 0; ) {
                        switch (n) {
                            case 1 -> increase = f.float64();
                            case 2 -> points = f.int64();
                            default -> f.skip();
                        }
                    }
                    return new MetricAggregate.Sum(increase, points);
                });
                case AGGREGATE_GAUGE -> aggregate = in.message("gauge", f -> {
                    long time = 0;
                    long points = 0;
                    double last = 0;
                    double sum = 0;
                    double min = Double.NaN;
                    double max = Double.NaN;
                    for (int n; (n = f.next()) != 0; ) {
                        switch (n) {
                            case 1 -> time = f.int64();
                            case 2 -> last = f.float64();
                            case 3 -> sum = f.float64();
                            case 4 -> points = f.int64();
                            case 5 -> min = f.float64();
                            case 6 -> max = f.float64();
                            default -> f.skip();
                        }
                    }
                    return new MetricAggregate.Gauge(time, last, sum, points, min, max);
                });
                case AGGREGATE_HISTOGRAM -> aggregate = in.message("histogram", f -> {
                    List<Double> bounds = new ArrayList<>();
                    List<Long> counts = new ArrayList<>();
                    Distribution sketch = null;
                    long count = 0;
                    double sum = 0;
                    double min = Double.NaN;
                    double max = Double.NaN;
                    for (int n; (n = f.next()) != 0; ) {
                        switch (n) {
                            case 1 -> bounds.add(f.float64());
                            case 2 -> counts.add(f.int64());
                            case 3 -> {
                                byte[] bytes = f.bytes();
                                sketch = Distribution.fromBytes(bytes, 0, bytes.length);
                            }
                            case 4 -> count = f.int64();
                            case 5 -> sum = f.float64();
                            case 6 -> min = f.float64();
                            case 7 -> max = f.float64();
                            default -> f.skip();
                        }
                    }
                    ExplicitHistogram buckets = null;
                    if (sketch == null) {
                        if (counts.size() != bounds.size() + 1) throw new IOException("histogram with " + bounds.size()
                                + " bounds and " + counts.size() + " bucket counts");
                        buckets = new ExplicitHistogram(bounds.stream().mapToDouble(Double::doubleValue).toArray(),
                                counts.stream().mapToLong(Long::longValue).toArray());
                    }
                    return new MetricAggregate.Histogram(buckets, sketch, count, sum, min, max);
                });
                case AGGREGATE_SUMMARY -> aggregate = in.message("summary", f -> {
                    long count = 0;
                    double sum = 0;
                    long time = 0;
                    List<double[]> quantiles = new ArrayList<>();
                    for (int n; (n = f.next()) != 0; ) {
                        switch (n) {
                            case 1 -> count = f.int64();
                            case 2 -> sum = f.float64();
                            case 3 -> time = f.int64();
                            case 4 -> quantiles.add(f.message("quantile", e -> {
                                double[] qv = new double[2];
                                for (int m; (m = e.next()) != 0; ) {
                                    switch (m) {
                                        case 1 -> qv[0] = e.float64();
                                        case 2 -> qv[1] = e.float64();
                                        default -> e.skip();
                                    }
                                }
                                return qv;
                            }));
                            default -> f.skip();
                        }
                    }
                    double[] qs = new double[quantiles.size()];
                    double[] vs = new double[quantiles.size()];
                    for (int i = 0; i < qs.length; i++) {
                        qs[i] = quantiles.get(i)[0];
                        vs[i] = quantiles.get(i)[1];
                    }
                    return new MetricAggregate.Summary(count, sum, time, qs, vs);
                });
                default -> in.skip();
            }
        }
        if (aggregate == null) throw new IOException("metric aggregate of no kind this version knows");
        return aggregate;
    }

    private static MetricAggregate readLegacyAggregate(DataInputStream in) throws IOException {
        int kind = in.readByte(); // MetricKind's ordinal, in the format before the stored format
        return switch (kind) {
            case 0 -> new MetricAggregate.Sum(in.readDouble(), in.readLong());
            case 1 -> new MetricAggregate.Gauge(in.readLong(), in.readDouble(), in.readDouble(), in.readLong(),
                    in.readDouble(), in.readDouble());
            case 2 -> {
                ExplicitHistogram buckets = null;
                Distribution sketch = null;
                if (in.readBoolean()) {
                    double[] bounds = new double[in.readInt()];
                    for (int i = 0; i < bounds.length; i++) bounds[i] = in.readDouble();
                    long[] counts = new long[bounds.length + 1];
                    for (int i = 0; i < counts.length; i++) counts[i] = in.readLong();
                    buckets = new ExplicitHistogram(bounds, counts);
                } else {
                    byte[] bytes = new byte[in.readInt()];
                    in.readFully(bytes);
                    sketch = Distribution.fromBytes(bytes, 0, bytes.length);
                }
                yield new MetricAggregate.Histogram(buckets, sketch, in.readLong(), in.readDouble(), in.readDouble(),
                        in.readDouble());
            }
            case 3 -> {
                long count = in.readLong();
                double sum = in.readDouble();
                long time = in.readLong();
                int n = in.readInt();
                double[] quantiles = new double[n];
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    quantiles[i] = in.readDouble();
                    values[i] = in.readDouble();
                }
                yield new MetricAggregate.Summary(count, sum, time, quantiles, values);
            }
            default -> throw new IOException("unknown metric kind " + kind);
        };
    }

    private static SortedMap<String, String> readLegacyAttributes(DataInputStream in) throws IOException {
        int n = in.readShort();
        SortedMap<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < n; i++) attributes.put(in.readUTF(), in.readUTF());
        return attributes;
    }
}

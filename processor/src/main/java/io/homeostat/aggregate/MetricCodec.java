package io.homeostat.aggregate;

import com.google.protobuf.MessageLite;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Compact binary forms of {@link MetricAggregate} and {@link MetricPartial} for state stores and the
 * repartition topic. Cumulative points travel as their own OTLP protobuf bytes.
 */
public final class MetricCodec {
    private static final byte VERSION = 1;

    private MetricCodec() {}

    public static byte[] encode(MetricPartial partial) {
        return BinaryRecords.write(out -> {
            out.writeByte(VERSION);
            out.writeUTF(partial.metric());
            writeAttributes(out, partial.attributes());
            out.writeLong(partial.seriesId());
            out.writeLong(partial.sliceStart());
            if (partial.delta() != null) {
                out.writeBoolean(true);
                writeAggregate(out, partial.delta());
            } else {
                out.writeBoolean(false);
                out.writeByte(partial.cumulative().shape().ordinal());
                out.writeInt(partial.cumulative().points().size());
                for (MessageLite point : partial.cumulative().points()) {
                    byte[] bytes = point.toByteArray();
                    out.writeInt(bytes.length);
                    out.write(bytes);
                }
            }
        });
    }

    public static MetricPartial decodePartial(byte[] bytes, int offset, int length) {
        return BinaryRecords.read(bytes, offset, length, in -> {
            checkVersion(in.readByte());
            String metric = in.readUTF();
            SortedMap<String, String> attributes = readAttributes(in);
            long seriesId = in.readLong();
            long sliceStart = in.readLong();
            if (in.readBoolean()) {
                return new MetricPartial(metric, attributes, seriesId, sliceStart, readAggregate(in), null);
            }
            MetricPartial.Shape shape = MetricPartial.Shape.values()[in.readByte()];
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

    /** A series' attributes and one aggregate: the value of the metric slice store. */
    public record SeriesSlice(SortedMap<String, String> attributes, MetricAggregate aggregate) {}

    public static byte[] encode(SeriesSlice slice) {
        return BinaryRecords.write(out -> {
            out.writeByte(VERSION);
            writeAttributes(out, slice.attributes());
            writeAggregate(out, slice.aggregate());
        });
    }

    public static SeriesSlice decodeSeriesSlice(byte[] bytes) {
        return BinaryRecords.read(bytes, 0, bytes.length, in -> {
            checkVersion(in.readByte());
            return new SeriesSlice(readAttributes(in), readAggregate(in));
        });
    }

    private static void writeAggregate(DataOutputStream out, MetricAggregate aggregate) throws IOException {
        out.writeByte(aggregate.kind().ordinal());
        if (aggregate instanceof MetricAggregate.Sum s) {
            out.writeDouble(s.increase());
            out.writeLong(s.points());
        } else if (aggregate instanceof MetricAggregate.Gauge g) {
            out.writeLong(g.lastTimeNanos());
            out.writeDouble(g.last());
            out.writeDouble(g.sum());
            out.writeLong(g.points());
            out.writeDouble(g.min());
            out.writeDouble(g.max());
        } else if (aggregate instanceof MetricAggregate.Histogram h) {
            out.writeBoolean(h.buckets() != null);
            if (h.buckets() != null) {
                double[] bounds = h.buckets().bounds();
                long[] counts = h.buckets().counts();
                out.writeInt(bounds.length);
                for (double b : bounds) out.writeDouble(b);
                for (long c : counts) out.writeLong(c);
            } else {
                byte[] sketch = h.sketch().toBytes();
                out.writeInt(sketch.length);
                out.write(sketch);
            }
            out.writeLong(h.count());
            out.writeDouble(h.sum());
            out.writeDouble(h.min());
            out.writeDouble(h.max());
        } else {
            MetricAggregate.Summary s = (MetricAggregate.Summary) aggregate;
            out.writeLong(s.count());
            out.writeDouble(s.sum());
            out.writeLong(s.lastTimeNanos());
            out.writeInt(s.quantiles().length);
            for (int i = 0; i < s.quantiles().length; i++) {
                out.writeDouble(s.quantiles()[i]);
                out.writeDouble(s.values()[i]);
            }
        }
    }

    private static MetricAggregate readAggregate(DataInputStream in) throws IOException {
        MetricKind kind = MetricKind.values()[in.readByte()];
        return switch (kind) {
            case SUM -> new MetricAggregate.Sum(in.readDouble(), in.readLong());
            case GAUGE -> new MetricAggregate.Gauge(in.readLong(), in.readDouble(), in.readDouble(), in.readLong(),
                    in.readDouble(), in.readDouble());
            case HISTOGRAM -> {
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
            case SUMMARY -> {
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
        };
    }

    private static void writeAttributes(DataOutputStream out, SortedMap<String, String> attributes) throws IOException {
        out.writeShort(attributes.size());
        for (var e : attributes.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static SortedMap<String, String> readAttributes(DataInputStream in) throws IOException {
        int n = in.readShort();
        SortedMap<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < n; i++) attributes.put(in.readUTF(), in.readUTF());
        return attributes;
    }

    private static void checkVersion(byte version) {
        BinaryRecords.checkVersion(version, VERSION, "metric record");
    }
}

package io.homeostat.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketchWithExactSummaryStatistics;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import com.datadoghq.sketch.ddsketch.store.Store;
import io.homeostat.model.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * A mergeable distribution of values (latencies in ms): a DDSketch with 1 % relative accuracy on every
 * quantile, at most {@value #MAX_BINS} bins per sign (low values collapse first, so the tail — what
 * latency targets are about — stays exact to 1 %). Count, sum, min and max are exact.
 */
public final class Distribution {
    public static final double RELATIVE_ACCURACY = 0.01;
    public static final int MAX_BINS = 2048;
    private static final IndexMapping MAPPING = new CubicallyInterpolatedMapping(RELATIVE_ACCURACY);
    private static final Supplier<Store> STORE = () -> new CollapsingLowestDenseStore(MAX_BINS);
    /** The largest magnitude the sketch tracks (its mapping's limit, a little under {@link Double#MAX_VALUE}). */
    public static final double MAX_VALUE = MAPPING.maxIndexableValue();

    private final DDSketchWithExactSummaryStatistics sketch;

    public Distribution() {
        this(new DDSketchWithExactSummaryStatistics(MAPPING, STORE));
    }

    private Distribution(DDSketchWithExactSummaryStatistics sketch) {
        this.sketch = sketch;
    }

    public void accept(double value) {
        sketch.accept(value);
    }

    /**
     * Adds {@code count} values at {@code value}. Values beyond what the sketch tracks (±{@link #MAX_VALUE}, about
     * 1.8e308) are kept at its edge, so count, rank and sum still hold; a count that is not positive adds nothing.
     *
     * @throws IllegalArgumentException for a NaN value (no quantile can place it)
     */
    public void accept(double value, double count) {
        if (Double.isNaN(value)) throw new IllegalArgumentException("a NaN value cannot be placed in a distribution");
        if (!(count > 0) || count == Double.POSITIVE_INFINITY) return;
        sketch.accept(Math.max(-MAX_VALUE, Math.min(MAX_VALUE, value)), count);
    }

    public void merge(Distribution other) {
        sketch.mergeWith(other.sketch);
    }

    public Distribution copy() {
        return new Distribution(sketch.copy());
    }

    public double count() {
        return sketch.getCount();
    }

    public boolean isEmpty() {
        return sketch.getCount() == 0;
    }

    public double sum() {
        return sketch.getSum();
    }

    public double mean() {
        return isEmpty() ? Double.NaN : sketch.getSum() / sketch.getCount();
    }

    public double max() {
        return sketch.getMaxValue();
    }

    /** Value at quantile q in [0, 1], within 1 % of the true value. */
    public double quantile(double q) {
        return sketch.getValueAtQuantile(q);
    }

    /**
     * Share of values v for which {@code v <op> bound} holds (with {@code tolerance} for eq), judged on
     * each bin's representative value, so it is exact except for values within 1 % of the bound.
     */
    public double fractionSatisfying(Operator op, double bound, double tolerance) {
        double total = sketch.getCount();
        if (total <= 0) return Double.NaN;
        double good = 0;
        Store positives = sketch.getPositiveValueStore();
        Store negatives = sketch.getNegativeValueStore();
        double zeros = total - positives.getTotalCount() - negatives.getTotalCount();
        if (zeros > 0 && op.holds(0.0, bound, tolerance)) good += zeros;
        for (Iterator<Bin> it = positives.getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            if (op.holds(MAPPING.value(bin.getIndex()), bound, tolerance)) good += bin.getCount();
        }
        for (Iterator<Bin> it = negatives.getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            if (op.holds(-MAPPING.value(bin.getIndex()), bound, tolerance)) good += bin.getCount();
        }
        return good / total;
    }

    /**
     * {@code base × baseWeight + subset × (subsetWeight − baseWeight) + exact}: the distribution of spans whose
     * adjusted counts are known only per group. {@code base} holds every value of a group counted once, {@code subset}
     * (may be {@code null}) a part of those values that weigh {@code subsetWeight} instead of {@code baseWeight}, and
     * {@code exact} (may be {@code null}) values already weighted. Bin by bin (the bins of one mapping line up), a
     * bin's weight never below 0; count and sum are exact, min and max those of the inputs.
     */
    public static Distribution weighted(Distribution base, double baseWeight, Distribution subset, double subsetWeight,
                                        Distribution exact) {
        if (baseWeight == 1.0 && (subset == null || subsetWeight == 1.0)) {
            Distribution out = base.copy();
            if (exact != null) out.merge(exact);
            return out;
        }
        double extra = subset == null ? 0.0 : subsetWeight - baseWeight;
        java.util.Map<Integer, Double> positiveBins = new java.util.HashMap<>();
        java.util.Map<Integer, Double> negativeBins = new java.util.HashMap<>();
        addBins(positiveBins, base.sketch.getPositiveValueStore(), baseWeight);
        addBins(negativeBins, base.sketch.getNegativeValueStore(), baseWeight);
        double zeros = zeros(base.sketch) * baseWeight;
        double sum = base.sketch.getSum() * baseWeight;
        if (subset != null && extra != 0.0) {
            addBins(positiveBins, subset.sketch.getPositiveValueStore(), extra);
            addBins(negativeBins, subset.sketch.getNegativeValueStore(), extra);
            zeros += zeros(subset.sketch) * extra;
            sum += subset.sketch.getSum() * extra;
        }
        Store positives = store(positiveBins);
        Store negatives = store(negativeBins);
        zeros = Math.max(0.0, zeros);
        double count = positives.getTotalCount() + negatives.getTotalCount() + zeros;
        Distribution out = count <= 0 ? new Distribution() : new Distribution(DDSketchWithExactSummaryStatistics.of(
                DDSketch.of(MAPPING, negatives, positives, zeros), count, base.sketch.getMinValue(),
                base.sketch.getMaxValue(), sum));
        if (exact != null) out.merge(exact);
        return out;
    }

    private static void addBins(java.util.Map<Integer, Double> into, Store from, double weight) {
        for (Iterator<Bin> it = from.getAscendingIterator(); it.hasNext(); ) {
            Bin bin = it.next();
            into.merge(bin.getIndex(), bin.getCount() * weight, Double::sum);
        }
    }

    /** A store of the bins whose weighted count is above 0 (a subtraction may leave a bin empty). */
    private static Store store(java.util.Map<Integer, Double> bins) {
        Store out = STORE.get();
        bins.forEach((index, count) -> {
            if (count > 1e-9) out.add(index, count);
        });
        return out;
    }

    private static double zeros(DDSketchWithExactSummaryStatistics sketch) {
        return sketch.getCount() - sketch.getPositiveValueStore().getTotalCount() - sketch.getNegativeValueStore().getTotalCount();
    }

    /** The sketch's own compact encoding (with exact summary statistics, without the fixed index mapping). */
    public byte[] toBytes() {
        GrowingByteArrayOutput out = GrowingByteArrayOutput.withInitialCapacity(64);
        try {
            sketch.encode(out, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.trimmedCopy();
    }

    public static Distribution fromBytes(byte[] bytes, int offset, int length) {
        try {
            return new Distribution(DDSketchWithExactSummaryStatistics.decode(
                    ByteArrayInput.wrap(bytes, offset, length), STORE, MAPPING));
        } catch (IOException e) {
            throw new IllegalArgumentException("corrupt distribution sketch: " + e.getMessage(), e);
        }
    }
}

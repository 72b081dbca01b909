package io.homeostat.evaluate;

import io.homeostat.model.Durations;
import io.homeostat.model.OverflowStatus;
import io.homeostat.model.Timestamps;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cardinality caps of one requirement task ({@link CardinalityLimits}): which requirements without a target,
 * which metric series and which services (of unattributed telemetry) it keeps. A value beyond its cap is
 * refused: what it carried is counted (the task's {@code *-refused} counters and the {@code overflow/<task>}
 * status record), one line is logged per episode of refusals, and the caller drops it. A requirement with a
 * target is always admitted, and its series have a budget of their own, so that junk never takes a target's
 * place. Idle values expire ({@link #expire}), which frees their places.
 */
public final class CardinalityGuard {
    private static final Logger LOG = LoggerFactory.getLogger(CardinalityGuard.class);

    /** What a cap counts. */
    public enum Kind {
        REQUIREMENT("requirements without a target", "--max-requirements", "requirements"),
        SERIES("metric series of requirements without a target", "--max-series", "series"),
        TARGET_SERIES("metric series of requirements with a target", "--max-series", "target-series"),
        SERVICE("services sending telemetry without a requirement", "--max-services", "unattributed-services");

        final String what;
        final String option;
        /** Its metrics are {@code <name>-refused}, {@code <name>-expired} and {@code <name>-tracked}. */
        public final String metricName;

        Kind(String what, String option, String metricName) {
            this.what = what;
            this.option = option;
            this.metricName = metricName;
        }
    }

    /** What expired at one {@link #expire}. */
    public record Expired(List<String> requirements, List<SeriesRef> series, List<String> services) {
        public boolean isEmpty() {
            return requirements.isEmpty() && series.isEmpty() && services.isEmpty();
        }
    }

    private final String task;
    private final CardinalityLimits limits;
    private final long statusIntervalMs;
    private final CardinalityCap<String> requirements;
    private final CardinalityCap<SeriesRef> series;
    private final CardinalityCap<SeriesRef> targetSeries;
    private final CardinalityCap<String> services;
    /** Refusals when the overflow status was last published, and when. */
    private long publishedRefusals;
    private long publishedAt = Long.MIN_VALUE;
    private boolean publishedRefusing;

    /**
     * @param task             the task's name, for the log and the status key
     * @param statusIntervalMs the overflow status is published at most this often while refusals go on
     */
    public CardinalityGuard(String task, CardinalityLimits limits, long statusIntervalMs) {
        this.task = task;
        this.limits = limits;
        this.statusIntervalMs = statusIntervalMs;
        long idle = limits.idleExpiryMs();
        requirements = new CardinalityCap<>(limits.maxRequirements(), idle);
        series = new CardinalityCap<>(limits.maxSeries(), idle);
        targetSeries = new CardinalityCap<>(limits.maxSeries(), idle);
        services = new CardinalityCap<>(limits.maxServices(), idle);
    }

    public CardinalityLimits limits() {
        return limits;
    }

    /** A requirement's data: admitted when the requirement has a target, is known, or there is room. */
    public boolean admitRequirement(String requirement, boolean targeted, long items, long now) {
        if (targeted) return true;
        return admit(Kind.REQUIREMENT, requirements, requirement, requirement, items, now);
    }

    /** A metric series' data (of an admitted requirement). */
    public boolean admitSeries(SeriesRef ref, boolean targeted, long items, long now) {
        // A series stays in the budget it was admitted to until it expires (its requirement may gain or lose a target).
        if (series.contains(ref)) return admit(Kind.SERIES, series, ref, null, items, now);
        if (targetSeries.contains(ref) || targeted) {
            return admit(Kind.TARGET_SERIES, targetSeries, ref, ref.requirement() + " " + ref.metric(), items, now);
        }
        return admit(Kind.SERIES, series, ref, ref.requirement() + " " + ref.metric(), items, now);
    }

    /** A service's unattributed telemetry. */
    public boolean admitService(String service, long items, long now) {
        return admit(Kind.SERVICE, services, service, service, items, now);
    }

    private <K> boolean admit(Kind kind, CardinalityCap<K> cap, K key, String shown, long items, long now) {
        if (cap.admit(key, now) != CardinalityCap.Admission.REFUSED) return true;
        if (cap.refuse(key, items, now)) {
            LOG.warn("Task {}: more than {} {} ({} {}); refusing new ones, first {}: their telemetry is counted, not "
                            + "kept, until idle ones expire after {} (counter {}-refused; status {})", task, cap.max(),
                    kind.what, kind.option, cap.max(), quote(shown == null ? String.valueOf(key) : shown),
                    Durations.format(limits.idleExpiry()), kind.metricName, OverflowStatus.key(task));
        }
        return false;
    }

    /** A target was applied for {@code requirement}: it is always admitted now, and no longer takes a place. */
    public void targeted(String requirement) {
        requirements.remove(requirement);
    }

    /** A requirement found with slices in the task's state at start-up. */
    public void restoreRequirement(String requirement, long now) {
        requirements.restore(requirement, now);
    }

    /** A series found in the task's state at start-up; call oldest first. */
    public void restoreSeries(SeriesRef ref, boolean targeted, long lastSeen) {
        (targeted ? targetSeries : series).restore(ref, lastSeen);
    }

    /** A service found in the task's state at start-up; call oldest first. */
    public void restoreService(String service, long lastSeen) {
        services.restore(service, lastSeen);
    }

    /** Forgets what had no data for the idle expiry; the caller drops what the task kept of it. */
    public Expired expire(long now) {
        Expired expired = new Expired(requirements.expire(now), concat(series.expire(now), targetSeries.expire(now)),
                services.expire(now));
        for (Kind kind : Kind.values()) {
            CardinalityCap<?> cap = cap(kind);
            if (cap.refusalsEnded(now)) {
                LOG.info("Task {}: no more {} refused for {}; {} refused in all ({} spans, data points or log records), "
                                + "{} kept now", task, kind.what, Durations.format(java.time.Duration.ofMillis(
                                CardinalityCap.QUIET_MS)), cap.refusedValues(), cap.refusedItems(), cap.size());
            }
        }
        return expired;
    }

    /**
     * The overflow status to publish now, or {@code null}: at the first refusal, then at most every status
     * interval while refusals go on, and once when they have stopped.
     */
    public OverflowStatus overflowToPublish(long now) {
        long refusals = 0;
        boolean refusing = false;
        for (Kind kind : Kind.values()) {
            refusals += cap(kind).refusedValues();
            refusing |= cap(kind).refusing();
        }
        boolean news = refusals != publishedRefusals;
        boolean due = publishedAt == Long.MIN_VALUE || !publishedRefusing || now - publishedAt >= statusIntervalMs;
        boolean ended = publishedRefusing && !refusing;
        if (!(news && due) && !ended) return null;
        publishedRefusals = refusals;
        publishedAt = now;
        publishedRefusing = refusing;
        return overflow(now);
    }

    /** The task's caps as the status topic shows them. */
    public OverflowStatus overflow(long now) {
        boolean refusing = false;
        for (Kind kind : Kind.values()) refusing |= cap(kind).refusing();
        return new OverflowStatus(OverflowStatus.KIND, task, status(requirements, r -> r), status(series, CardinalityGuard::shown),
                status(targetSeries, CardinalityGuard::shown), status(services, s -> s), refusing, Timestamps.format(now));
    }

    /** Values kept now, by kind. */
    public int tracked(Kind kind) {
        return cap(kind).size();
    }

    public long refusedItems(Kind kind) {
        return cap(kind).refusedItems();
    }

    private CardinalityCap<?> cap(Kind kind) {
        return switch (kind) {
            case REQUIREMENT -> requirements;
            case SERIES -> series;
            case TARGET_SERIES -> targetSeries;
            case SERVICE -> services;
        };
    }

    private static <K> OverflowStatus.Cap status(CardinalityCap<K> cap, java.util.function.Function<K, String> show) {
        K last = cap.lastRefused();
        return new OverflowStatus.Cap(cap.max(), cap.size(), cap.refusedValues(), cap.refusedItems(), cap.expired(),
                last == null ? null : show.apply(last), last == null ? null : Timestamps.format(cap.lastRefusedAt()));
    }

    private static String shown(SeriesRef ref) {
        return ref.requirement() + " " + ref.metric();
    }

    private static String quote(String value) {
        return "'" + (value.length() > 100 ? value.substring(0, 100) + "…" : value) + "'";
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        if (b.isEmpty()) return a;
        if (a.isEmpty()) return b;
        List<T> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}

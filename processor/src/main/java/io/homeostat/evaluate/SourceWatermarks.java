package io.homeostat.evaluate;

import io.homeostat.evaluate.RequirementEvent.SourceWatermark;
import io.homeostat.evaluate.RequirementEvent.SourceWatermark.Reading;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a requirement task knows of every input partition (a <em>source</em>) from the watermarks their decode
 * tasks broadcast, and so how far verdicts may go: a source with a backlog ({@link Reading#BEHIND}) holds them at
 * the start of the newest slice it has read, one that cannot be read ({@link Reading#UNREADABLE}) at the same,
 * and a source read up to its end ({@link Reading#LIVE}) holds nothing while it keeps saying so, and holds them
 * at the moment it last said so once it falls silent (its task stopped, or nothing can be fetched: what it has
 * not read is unknown, not absent). A source of a topic whose partition count a decode task reported, but that
 * this task has not heard from yet, holds everything: nobody reads it yet. As Flink and Beam do with per-split
 * watermarks, the slowest source that may still hold data decides; unlike a plain minimum, a source that is
 * live does not slow the others down, so live verdicts are as fast as they were with one watermark.
 *
 * <p>Kept in the task's {@code event-clock} store, so that after a restart the task waits for the sources it
 * knew (each is silent until heard from again) instead of closing slices on the fastest one.
 */
public final class SourceWatermarks {
    private static final Logger LOG = LoggerFactory.getLogger(SourceWatermarks.class);

    /** What is kept of one source: its last watermark record (the watermark never moves back). */
    public record Source(String topic, int partition, int partitions, long watermark, Reading reading, long at) {
        public String name() {
            return topic + "-" + partition;
        }
    }

    /** Whether verdicts are held back, why, and by which sources ({@code topic-partition}). */
    public record Condition(String input, List<String> heldBy) {
        /** Every source is read up to its end: verdicts follow the data. */
        public static final String LIVE = "live";
        /** Some source has a backlog: verdicts wait for it, so that its data is not late. */
        public static final String CATCHING_UP = "catching_up";
        /** Some source cannot be read (or is not read by anyone yet): verdicts wait, silence is not judged. */
        public static final String UNREADABLE = "unreadable";

        public Condition {
            heldBy = List.copyOf(heldBy);
        }
    }

    private final long staleAfterMs;
    private final Set<String> topics;
    private final StateWriter<Source> store;
    private final Map<String, Source> sources = new TreeMap<>();
    /** Wall time this task last heard from each source; absent: not since it started. */
    private final Map<String, Long> heardAt = new HashMap<>();

    /**
     * @param topics       the input topics whose sources count (a source of any other topic, e.g. one no longer
     *                     read after a configuration change, is forgotten)
     * @param staleAfterMs a live source not heard from for this long holds verdicts ({@link #staleAfterMs(long)})
     */
    public SourceWatermarks(Set<String> topics, long staleAfterMs, StateWriter<Source> store) {
        this.topics = Set.copyOf(topics);
        this.staleAfterMs = staleAfterMs;
        this.store = store;
    }

    /** How often a decode task says how far its source is read: a quarter of the grace, within 100 ms .. 1 s. */
    public static long heartbeatMs(long graceMs) {
        return Math.max(100, Math.min(1_000, graceMs / 4));
    }

    /** A live source not heard from for three heartbeats (at least 2 s) is silent: it holds verdicts. */
    public static long staleAfterMs(long graceMs) {
        return Math.max(2_000, 3 * heartbeatMs(graceMs));
    }

    /** A source as stored before a restart: silent until it is heard from again. */
    public void restore(String key, Source source) {
        if (!topics.contains(source.topic())) {
            LOG.info("Forgetting input partition {}: its topic is no longer read", source.name());
            store.delete(key);
            return;
        }
        sources.put(key, source);
    }

    /** A source's watermark record arrived. */
    public void heard(SourceWatermark watermark, long now) {
        if (!topics.contains(watermark.topic())) return;
        String key = watermark.source();
        Source previous = sources.get(key);
        Source next = previous == null
                ? new Source(watermark.topic(), watermark.partition(), watermark.partitions(), watermark.watermark(),
                        watermark.reading(), watermark.at())
                : new Source(watermark.topic(), watermark.partition(), Math.max(previous.partitions(), watermark.partitions()),
                        Math.max(previous.watermark(), watermark.watermark()), watermark.reading(),
                        Math.max(previous.at(), watermark.at()));
        if (previous == null || previous.reading() != next.reading()) {
            LOG.info("Input partition {} is {}{}", key, next.reading().name().toLowerCase(java.util.Locale.ROOT),
                    next.reading() == Reading.LIVE ? "" : ": verdicts wait for it");
        }
        sources.put(key, next);
        heardAt.put(key, now);
        if (!next.equals(previous)) store.put(key, next);
    }

    /** Whether any source is known: until then the clock waits a while for input to arrive ({@link EventClock}). */
    public boolean known() {
        return !sources.isEmpty();
    }

    /**
     * The event time verdicts may not pass at wall time {@code now}: {@link Long#MAX_VALUE} when no source holds
     * them, {@link Long#MIN_VALUE} while a source nobody reads yet holds everything.
     */
    public long hold(long now) {
        long hold = Long.MAX_VALUE;
        for (Map.Entry<String, Source> e : sources.entrySet()) {
            hold = Math.min(hold, bound(e.getKey(), e.getValue(), now));
        }
        if (!unheard().isEmpty()) return Long.MIN_VALUE;
        return hold;
    }

    /** Which condition holds at {@code now}, and the sources behind it. */
    public Condition condition(long now) {
        List<String> unreadable = new ArrayList<>(unheard());
        List<String> behind = new ArrayList<>();
        for (Map.Entry<String, Source> e : sources.entrySet()) {
            Source source = e.getValue();
            if (!fresh(e.getKey(), now) || source.reading() == Reading.UNREADABLE) unreadable.add(source.name());
            else if (source.reading() == Reading.BEHIND) behind.add(source.name());
        }
        if (!unreadable.isEmpty()) {
            unreadable.addAll(behind);
            return new Condition(Condition.UNREADABLE, unreadable);
        }
        if (!behind.isEmpty()) return new Condition(Condition.CATCHING_UP, behind);
        return new Condition(Condition.LIVE, List.of());
    }

    private long bound(String key, Source source, long now) {
        return switch (source.reading()) {
            case LIVE -> fresh(key, now) ? Long.MAX_VALUE : source.at();
            case BEHIND, UNREADABLE -> source.watermark();
        };
    }

    private boolean fresh(String key, long now) {
        Long heard = heardAt.get(key);
        return heard != null && now - heard < staleAfterMs;
    }

    /** Partitions of a known topic (by the partition count its sources reported) that no source record named. */
    private List<String> unheard() {
        Map<String, Integer> partitions = new TreeMap<>();
        for (Source source : sources.values()) partitions.merge(source.topic(), source.partitions(), Math::max);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Integer> topic : partitions.entrySet()) {
            for (int p = 0; p < topic.getValue(); p++) {
                if (!sources.containsKey(topic.getKey() + "-" + p)) missing.add(topic.getKey() + "-" + p);
            }
        }
        return missing;
    }

    Map<String, Source> all() {
        return sources;
    }
}

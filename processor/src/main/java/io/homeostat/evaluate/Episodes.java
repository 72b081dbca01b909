package io.homeostat.evaluate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The alert episodes of a task's targets, written through to their store so that a restart neither forgets a
 * firing alert nor fires the same episode again. Two per target: its deviation alert, keyed by target id, and
 * its no-data alert, keyed by {@link #noDataKey}.
 *
 * <p>An episode whose stored value could not be read is <em>lost</em>: its alert may be firing downstream
 * with nobody left to resolve it. The evaluation treats it as unknown until an alert for it is published
 * again: a new firing alert (same fingerprint) if the target still fails, else a resolve for the
 * fingerprint it can reconstruct ({@link AlertLifecycle#resolvedLost}).
 */
public final class Episodes {
    private static final String NO_DATA_SUFFIX = "#no_data";
    private static final String BURN_RATE_INFIX = "#burn_rate/";

    private final Map<String, Episode> episodes = new HashMap<>();
    private final Set<String> lost = new HashSet<>();
    private final StateWriter<Episode> store;

    public Episodes(StateWriter<Episode> store) {
        this.store = store;
    }

    public static String noDataKey(String targetId) {
        return targetId + NO_DATA_SUFFIX;
    }

    /** The key of an SLO target's burn-rate alert of a tier ({@code page}, {@code ticket}). */
    public static String burnRateKey(String targetId, String tier) {
        return targetId + BURN_RATE_INFIX + tier;
    }

    /** The target id of an episode key. */
    public static String targetId(String episodeKey) {
        int burnRate = episodeKey.lastIndexOf(BURN_RATE_INFIX);
        if (burnRate >= 0 && episodeKey.indexOf('/', burnRate + BURN_RATE_INFIX.length()) < 0) {
            return episodeKey.substring(0, burnRate);
        }
        return episodeKey.endsWith(NO_DATA_SUFFIX)
                ? episodeKey.substring(0, episodeKey.length() - NO_DATA_SUFFIX.length()) : episodeKey;
    }

    public void restore(String key, Episode episode) {
        episodes.put(key, episode);
    }

    /** The stored episode of {@code key} could not be read. */
    public void markLost(String key) {
        episodes.remove(key);
        lost.add(key);
    }

    public boolean lost(String key) {
        return lost.contains(key);
    }

    /** An alert for a lost episode was published: its state is known again. */
    public void recovered(String key) {
        lost.remove(key);
    }

    /** The stored episode, {@code null} when the alert is quietly ok. */
    public Episode get(String key) {
        return episodes.get(key);
    }

    /** Keeps the episode a transition ends in ({@code null}: none), writing only a change. */
    public void set(String key, Episode after) {
        // A lost episode's unreadable value is still in the store: overwrite or delete it.
        if (Objects.equals(episodes.get(key), after) && !lost.contains(key)) return;
        if (after == null) {
            episodes.remove(key);
            store.delete(key);
        } else {
            episodes.put(key, after);
            store.put(key, after);
        }
    }

    public boolean firing(String key) {
        Episode episode = episodes.get(key);
        return episode != null && episode.phase() == Episode.Phase.FIRING;
    }
}

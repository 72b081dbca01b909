package io.homeostat.evaluate;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The alert episodes of a task's targets, written through to their store so that a restart neither forgets a
 * firing alert nor fires the same episode again. Two per target: its deviation alert, keyed by target id, and
 * its no-data alert, keyed by {@link #noDataKey}.
 */
public final class Episodes {
    private static final String NO_DATA_SUFFIX = "#no_data";

    private final Map<String, Episode> episodes = new HashMap<>();
    private final StateWriter<Episode> store;

    public Episodes(StateWriter<Episode> store) {
        this.store = store;
    }

    public static String noDataKey(String targetId) {
        return targetId + NO_DATA_SUFFIX;
    }

    /** The target id of an episode key. */
    public static String targetId(String episodeKey) {
        return episodeKey.endsWith(NO_DATA_SUFFIX)
                ? episodeKey.substring(0, episodeKey.length() - NO_DATA_SUFFIX.length()) : episodeKey;
    }

    public void restore(String key, Episode episode) {
        episodes.put(key, episode);
    }

    /** The stored episode, {@code null} when the alert is quietly ok. */
    public Episode get(String key) {
        return episodes.get(key);
    }

    /** Keeps the episode a transition ends in ({@code null}: none), writing only a change. */
    public void set(String key, Episode after) {
        if (Objects.equals(episodes.get(key), after)) return;
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

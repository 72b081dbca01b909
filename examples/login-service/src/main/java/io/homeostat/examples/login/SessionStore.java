package io.homeostat.examples.login;

/** Creates sessions (a cache or database in a real service): what the login's latency constraint C-001 is about. */
public interface SessionStore {
    /**
     * @return the new session's id
     * @throws IllegalStateException when the store is unavailable
     */
    String create(UserDirectory.User user);
}

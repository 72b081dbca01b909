package io.homeostat.examples.login;

import io.homeostat.tagging.annotations.Requirement;

/**
 * The same service in the annotation style: with the OpenTelemetry Java agent and the Homeostat extension,
 * {@code login} records exactly what {@link AuthenticationService#login} records (set
 * {@code -Dhomeostat.tagging.histogram=login_latency_ms} for the seed's histogram name). Without the agent
 * the annotation does nothing.
 */
// Implements: REQ-F-AUTH-001
public final class AnnotatedAuthenticationService {
    private final LoginFlow flow;

    public AnnotatedAuthenticationService(UserDirectory users, SessionStore sessions) {
        this.flow = new LoginFlow(users, sessions, AnnotatedAuthenticationService.class);
    }

    /** Authenticates a user (BR-001 email, BR-002 password, BR-003 lockout; C-001 under 500 ms). */
    @Requirement(value = "REQ-F-AUTH-001", businessRules = {"BR-001", "BR-002", "BR-003"}, constraints = "C-001")
    public LoginResult login(String email, String password) {
        return flow.login(email, password);
    }

    /** A key off the convention: the agent leaves this method untagged and says so once. */
    @Requirement("auth-logout")
    public void logout(String userId) {
        // nothing to do in memory
    }
}

package io.homeostat.examples.login;

import io.homeostat.tagging.Requirement;

/**
 * The seed's {@code AuthenticationService} with the tagging API: {@code login} runs as the seed's
 * {@code @with_telemetry(requirement="REQ-F-AUTH-001", business_rules=["BR-001", "BR-002", "BR-003"],
 * constraints=["C-001"])} runs it, recording its latency into the seed's {@code login_latency_ms}.
 */
// Implements: REQ-F-AUTH-001
public final class AuthenticationService {
    /** The seed's {@code login_latency_ms} buckets. */
    public static final double[] LATENCY_BUCKETS = {50, 100, 200, 500, 1000, 2000};
    static final Requirement LOGIN = Requirement.of("REQ-F-AUTH-001")
            .businessRules("BR-001", "BR-002", "BR-003")
            .constraints("C-001")
            .latencyHistogram("login_latency_ms", "ms")
            .latencyBuckets(LATENCY_BUCKETS);

    private final LoginFlow flow;

    public AuthenticationService(UserDirectory users, SessionStore sessions) {
        this.flow = new LoginFlow(users, sessions, AuthenticationService.class);
    }

    /** Authenticates a user (BR-001 email, BR-002 password, BR-003 lockout; C-001 under 500 ms). */
    public LoginResult login(String email, String password) {
        return LOGIN.call("login", () -> flow.login(email, password));
    }
}

package io.homeostat.examples.login;

import io.homeostat.tagging.RequirementAttributes;
import io.homeostat.tagging.RequirementLogger;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * The body of the seed's {@code AuthenticationService.login}, shared by both styles: count the attempt,
 * validate the email (BR-001), check the password (BR-002), lock the account after repeated failures
 * (BR-003), create the session (C-001), log. It names its requirement nowhere: the caller's
 * {@code Requirement.call} or {@code @Requirement} makes it current, and the counter, the log lines and the
 * user directory's span inherit it.
 */
final class LoginFlow {
    static final AttributeKey<String> STATUS = AttributeKey.stringKey("status");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
    static final AttributeKey<String> ENDUSER_ID = AttributeKey.stringKey("enduser.id");
    static final int MAX_ATTEMPTS = 3;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final UserDirectory users;
    private final SessionStore sessions;
    private final RequirementLogger log;
    private final LongCounter loginAttempts;

    LoginFlow(UserDirectory users, SessionStore sessions, Class<?> service) {
        this.users = users;
        this.sessions = sessions;
        this.log = RequirementLogger.of(LoggerFactory.getLogger(service));
        this.loginAttempts = GlobalOpenTelemetry.getMeter("io.homeostat.examples.login").counterBuilder("login_attempts")
                .setDescription("Number of login attempts").build();
    }

    LoginResult login(String email, String password) {
        count("attempt", null, null);
        if (email == null || !EMAIL.matcher(email).matches()) {
            count("failure", "invalid_email", "BR-001");
            log.warning("Login failed: invalid email", "email", email, "business_rule", "BR-001");
            return LoginResult.failure("Invalid email");
        }
        UserDirectory.User user = users.find(email);
        if (user != null && user.locked(MAX_ATTEMPTS)) {
            count("failure", "locked", "BR-003");
            log.warning("Login failed: account locked", "user_id", user.id(), "business_rule", "BR-003");
            return LoginResult.failure("Account locked");
        }
        if (user == null || !user.checkPassword(password)) {
            count("failure", "wrong_password", "BR-002");
            log.warning("Login failed: wrong email or password", "business_rule", "BR-002");
            return LoginResult.failure("Wrong email or password");
        }
        Span.current().setAttribute(ENDUSER_ID, user.id());
        String session = sessions.create(user); // C-001; throws when the session store is down
        count("success", null, null);
        log.info("Login successful", "user_id", user.id());
        return LoginResult.success(user.id(), session);
    }

    private void count(String status, String reason, String businessRule) {
        var attributes = Attributes.builder().put(STATUS, status);
        if (reason != null) attributes.put(REASON, reason);
        if (businessRule != null) attributes.put(RequirementAttributes.BUSINESS_RULE, businessRule);
        loginAttempts.add(1, RequirementAttributes.current(attributes.build()));
    }
}

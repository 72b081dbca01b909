package io.homeostat.examples.login;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where users live: in memory here, a database in a real service. Each lookup is a client span, as a JDBC
 * instrumentation would record it; it names no requirement, and inherits the caller's.
 */
public final class UserDirectory {
    /** A user; {@code failedAttempts} counts towards the lockout (BR-003). */
    public static final class User {
        private final String id;
        private final String email;
        private final String password;
        private int failedAttempts;

        User(String id, String email, String password) {
            this.id = id;
            this.email = email;
            this.password = password;
        }

        public String id() {
            return id;
        }

        public String email() {
            return email;
        }

        synchronized boolean checkPassword(String attempt) {
            boolean ok = password.equals(attempt);
            failedAttempts = ok ? 0 : failedAttempts + 1;
            return ok;
        }

        synchronized boolean locked(int maxAttempts) {
            return failedAttempts >= maxAttempts;
        }
    }

    private final Map<String, User> byEmail = new ConcurrentHashMap<>();

    public User add(String id, String email, String password) {
        User user = new User(id, email, password);
        byEmail.put(email, user);
        return user;
    }

    public User find(String email) {
        Span span = GlobalOpenTelemetry.getTracer("io.homeostat.examples.login").spanBuilder("SELECT users")
                .setSpanKind(SpanKind.CLIENT).setAttribute("db.system.name", "in-memory").startSpan();
        try {
            return byEmail.get(email);
        } finally {
            span.end();
        }
    }
}

package io.homeostat.examples.login;

import java.util.List;

/**
 * A few logins, as a small service would serve them: two that succeed, an invalid email (BR-001), a wrong
 * password (BR-002), one whose session store is down (an exception), and a logout whose annotation breaks the
 * key convention. Run it under the agent with the extension to see the annotation style
 * ({@code --annotated}), or with any OpenTelemetry SDK for the API style; docs/tagging.md shows the commands.
 */
public final class LoginServiceMain {
    private LoginServiceMain() {}

    public static void main(String[] args) {
        boolean annotated = List.of(args).contains("--annotated");
        UserDirectory users = new UserDirectory();
        users.add("u-alice", "alice@example.com", "secret");
        users.add("u-bob", "bob@example.com", "hunter2");
        users.add("u-carol", "carol@example.com", "s3ssion");
        SessionStore fast = user -> {
            if (user.id().equals("u-carol")) {
                throw new IllegalStateException("Session store unavailable: timeout after 2000ms for user " + user.id());
            }
            return "session-" + user.id();
        };
        AnnotatedAuthenticationService byAnnotation = new AnnotatedAuthenticationService(users, fast);
        AuthenticationService byApi = new AuthenticationService(users, fast);
        String[][] attempts = {
                {"alice@example.com", "secret"}, {"bob@example.com", "hunter2"}, {"not-an-email", "x"},
                {"bob@example.com", "wrong"}, {"carol@example.com", "s3ssion"}};
        for (String[] attempt : attempts) {
            try {
                LoginResult result = annotated ? byAnnotation.login(attempt[0], attempt[1]) : byApi.login(attempt[0], attempt[1]);
                System.out.println("login " + attempt[0] + ": " + (result.success() ? "ok" : result.error()));
            } catch (IllegalStateException e) {
                System.out.println("login " + attempt[0] + ": failed: " + e.getMessage());
            }
        }
        if (annotated) byAnnotation.logout("u-alice");
    }
}

package io.homeostat.examples.login;

/** The seed's {@code LoginResult}: a user and a session, or why not. */
public record LoginResult(boolean success, String userId, String sessionId, String error) {
    public static LoginResult success(String userId, String sessionId) {
        return new LoginResult(true, userId, sessionId, null);
    }

    public static LoginResult failure(String error) {
        return new LoginResult(false, null, null, error);
    }
}

package io.homeostat.cli;

/**
 * A command could not do its job for a reason the user can act on (a file, the broker, a topic): the message
 * is the one line the command prints, naming the problem; the exit code is 1.
 */
final class CommandFailure extends RuntimeException {
    CommandFailure(String message) {
        super(message);
    }

    CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}

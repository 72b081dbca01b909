package io.homeostat.cli;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. The exception handlers dead-letter every failure that is about one record,
 * so what reaches here is not: a failing state store, a punctuator, the broker. The thread is replaced (Kafka Streams
 * restarts its tasks from their last commit, exactly once, in the same process: a passing fault costs seconds, not
 * a restart of the JVM and of its state), up to {@value #MAX_REPLACEMENTS} times within {@link #WINDOW}. A failure
 * that keeps coming back, or one of the JVM itself (out of memory), stops the client and {@code homeostat run} exits
 * 1, so that a supervisor sees it, rather than a process that looks alive while judging nothing.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {
    static final int MAX_REPLACEMENTS = 3;
    static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final LongSupplier clock;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile boolean stopped;

    StreamThreadFailures(LongSupplier clock) {
        this.clock = clock;
    }

    StreamThreadFailures() {
        this(System::currentTimeMillis);
    }

    /** Whether a failure stopped the client (then {@code homeostat run} exits 1). */
    boolean stopped() {
        return stopped;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        if (ofTheJvm(failure)) {
            stopped = true;
            LOG.error("A stream thread failed with an error of the JVM; stopping the processor (exit 1) so that a "
                    + "supervisor restarts it", failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = clock.getAsLong();
        synchronized (replacements) {
            while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW.toMillis()) replacements.removeFirst();
            if (replacements.size() < MAX_REPLACEMENTS) {
                replacements.addLast(now);
                LOG.error("A stream thread failed (not because of one record: those go to the dead-letter topic); "
                        + "replacing it, its tasks restart from their last commit ({} of at most {} replacements within {} min)",
                        replacements.size(), MAX_REPLACEMENTS, WINDOW.toMinutes(), failure);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        }
        stopped = true;
        LOG.error("A stream thread failed again: {} replacements within {} min did not help; stopping the processor "
                + "(exit 1) so that a supervisor restarts it", MAX_REPLACEMENTS, WINDOW.toMinutes(), failure);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static boolean ofTheJvm(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VirtualMachineError) return true;
        }
        return false;
    }
}

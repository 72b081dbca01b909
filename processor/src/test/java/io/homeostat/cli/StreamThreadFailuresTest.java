package io.homeostat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** A dead stream thread is replaced a few times; one that keeps dying, or a JVM error, stops the client. */
class StreamThreadFailuresTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final StreamThreadFailures failures = new StreamThreadFailures(now::get);

    @Test
    void aPassingFailureReplacesTheThread() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(failures.handle(new StreamsException("store"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            now.addAndGet(1_000);
        }
        assertThat(failures.stopped()).isFalse();
    }

    @Test
    void aFailureThatKeepsComingBackStopsTheClient() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) failures.handle(new StreamsException("store"));
        assertThat(failures.handle(new StreamsException("store"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.stopped()).isTrue();
    }

    @Test
    void replacementsOutsideTheWindowAreForgotten() {
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) failures.handle(new StreamsException("store"));
        now.addAndGet(StreamThreadFailures.WINDOW.toMillis() + 1);
        assertThat(failures.handle(new StreamsException("store"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void anErrorOfTheJvmStopsTheClientAtOnce() {
        assertThat(failures.handle(new StreamsException(new OutOfMemoryError("heap"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.stopped()).isTrue();
    }
}

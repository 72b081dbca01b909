package io.homeostat.forward;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counters of what was forwarded; logged every {@code stats-interval} when they changed. */
public final class BridgeStats {
    private static final Logger LOG = LoggerFactory.getLogger(AlertBridge.class);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong deliveredFiring = new AtomicLong();
    private final AtomicLong resent = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong waiting = new AtomicLong();
    private String lastLogged = "";

    void delivered(int changes, int firing) {
        delivered.addAndGet(changes);
        deliveredFiring.addAndGet(firing);
    }

    void resent(int alerts) {
        resent.addAndGet(alerts);
    }

    void failedAttempt() {
        failedAttempts.incrementAndGet();
    }

    void countDeadLetter() {
        deadLettered.incrementAndGet();
    }

    void waiting(int changes) {
        waiting.set(changes);
    }

    public long delivered() {
        return delivered.get();
    }

    public long resent() {
        return resent.get();
    }

    public long failedAttempts() {
        return failedAttempts.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    /** Alert changes read but not yet delivered (the batch being retried). */
    public long waiting() {
        return waiting.get();
    }

    String summary(int firing) {
        return delivered.get() + " alert change(s) delivered (" + deliveredFiring.get() + " firing), " + resent.get()
                + " re-sent, " + deadLettered.get() + " dead-lettered, " + failedAttempts.get() + " failed attempt(s), "
                + waiting.get() + " waiting; " + firing + " firing now";
    }

    synchronized void logIfChanged(int firing) {
        String now = summary(firing);
        if (!now.equals(lastLogged)) LOG.info("Forwarded so far: {}", now);
        lastLogged = now;
    }
}

package io.homeostat.examples.login;

import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A session store that takes time and fails now and then, as its {@link Behaviour} says: log-normal latency
 * (it really sleeps) and a failure probability. The demo switches it from healthy to degraded and back.
 */
public final class SimulatedSessionStore implements SessionStore {
    /** Log-normal latency around a median, and how often the store is unavailable. */
    public record Behaviour(String name, double medianLatencyMs, double latencySigma, double failureRate) {
        public static Behaviour healthy() {
            return new Behaviour("healthy", 120, 0.5, 0.002);
        }

        public static Behaviour degraded() {
            return new Behaviour("degraded", 420, 0.6, 0.06);
        }
    }

    private final SplittableRandom random;
    private volatile Behaviour behaviour;

    public SimulatedSessionStore(Behaviour behaviour, long seed) {
        this.behaviour = behaviour;
        this.random = new SplittableRandom(seed);
    }

    public void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    @Override
    public String create(UserDirectory.User user) {
        Behaviour now = behaviour;
        double gaussian;
        boolean fails;
        synchronized (random) {
            gaussian = gaussian();
            fails = random.nextDouble() < now.failureRate();
        }
        sleep(now.medianLatencyMs() * Math.exp(now.latencySigma() * gaussian));
        if (fails) {
            throw new IllegalStateException("Session store unavailable: timeout after 2000ms for user " + user.id());
        }
        return UUID.randomUUID().toString();
    }

    /** Standard normal deviate (Box–Muller). */
    private double gaussian() {
        double u1 = Math.max(1e-12, random.nextDouble());
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void sleep(double millis) {
        try {
            TimeUnit.MICROSECONDS.sleep((long) (millis * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating a session", e);
        }
    }
}

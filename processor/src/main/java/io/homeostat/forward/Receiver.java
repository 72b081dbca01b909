package io.homeostat.forward;

import java.util.List;
import java.util.Map;

/**
 * Where the bridge delivers alerts: Alertmanager's API, or webhooks. A receiver never throws for what the
 * other side does (down, slow, refusing): it says so in an {@link Outcome}, and the bridge decides.
 */
public interface Receiver extends AutoCloseable {

    /** The alerts of one batch on their way; {@link #attempt()} again delivers only what is still missing. */
    interface Delivery {
        Outcome attempt();
    }

    /**
     * @param accepted whether the batch is delivered (to as many of the receiver's URLs as it needs)
     * @param rejected alerts the other side refused as invalid (by index in the batch, with its reason): they
     *                 will never be accepted, so they are reported and dead-lettered rather than retried
     * @param failure  when not accepted: why, for the log ({@code http://am:9093: connection refused})
     */
    record Outcome(boolean accepted, Map<Integer, String> rejected, String failure) {
        public Outcome {
            rejected = Map.copyOf(rejected);
        }

        static Outcome accepted(Map<Integer, String> rejected) {
            return new Outcome(true, rejected, null);
        }

        static Outcome failed(String failure) {
            return new Outcome(false, Map.of(), failure);
        }
    }

    /** Starts delivering {@code alerts} (state changes, or a periodic re-send). */
    Delivery deliver(List<AlertmanagerAlert> alerts);

    /** For logs: {@code Alertmanager http://am-0:9093, http://am-1:9093}. */
    String describe();

    /** Checks what can be checked before the first alert (Alertmanager's version and resolve_timeout); never throws. */
    default void probe() {}

    @Override
    default void close() {}
}

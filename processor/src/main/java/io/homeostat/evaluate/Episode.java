package io.homeostat.evaluate;

import io.homeostat.model.Alert;

/**
 * Alert state of one target between evaluations, kept in a changelogged store so that a restart neither
 * forgets a firing alert nor fires the same episode again.
 *
 * @param phase     where the target is in its alert lifecycle
 * @param since     when the current phase began (epoch ms): pending since, or firing since
 * @param lastAlert the last firing alert published (for {@link Phase#FIRING}), else {@code null}
 */
public record Episode(String fingerprint, Phase phase, long since, Alert lastAlert) {
    public enum Phase {
        /** Violated at alert level, waiting for {@code for} to pass. */
        PENDING,
        /** An alert is firing. */
        FIRING
    }
}

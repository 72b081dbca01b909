package io.homeostat.topology;

import io.homeostat.model.Alert;

/** What the evaluation publishes: alert changes, and the current status of targets and services. */
public sealed interface Emitted {

    /** A record for {@code homeostasis.alerts}, keyed by the alert's fingerprint. */
    record AlertChange(Alert alert) implements Emitted {}

    /**
     * A record for {@code homeostasis.status}: a {@link io.homeostat.model.TargetStatus} keyed by target
     * id, an {@link io.homeostat.model.UnattributedStatus} keyed by {@code unattributed/<service>}, or
     * {@code null} (a tombstone) for a deleted target.
     */
    record Status(String key, Object status) implements Emitted {}
}

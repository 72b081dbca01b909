package io.homeostat.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.model.Alert;
import io.homeostat.model.Fingerprints;
import io.homeostat.model.Target;
import io.homeostat.model.Timestamps;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
    private static final String ID = "REQ-F-AUTH-001/span.success_rate";
    private final Target target = Targets.loginSuccess();

    private Verdict verdict(double actual) {
        return Evaluator.judge(target, new Measurement(actual, null, false, 500, List.of("trace-1")), 1_000, 61_000);
    }

    @Test
    void firesOnceThenStaysQuietWhileUnchangedThenResolves() {
        AlertLifecycle.Transition fired = AlertLifecycle.next(ID, target, verdict(0.97), null, 100_000);
        assertThat(fired.alerts()).hasSize(1);
        Alert alert = fired.alerts().get(0);
        assertThat(alert.status()).isEqualTo("firing");
        assertThat(alert.kind()).isEqualTo("deviation");
        assertThat(alert.targetId()).isEqualTo(ID);
        assertThat(alert.requirement()).isEqualTo("REQ-F-AUTH-001");
        assertThat(alert.businessRules()).containsExactly("BR-001", "BR-002", "BR-003");
        assertThat(alert.actual()).isEqualTo(0.97);
        assertThat(alert.alertThreshold()).isEqualTo(0.98);
        assertThat(alert.severity()).isEqualTo("warning");
        assertThat(alert.startsAt()).isEqualTo(Timestamps.format(100_000));
        assertThat(alert.endsAt()).isNull();
        assertThat(alert.windowStart()).isEqualTo(Timestamps.format(1_000));
        assertThat(alert.alertId()).isEqualTo(alert.fingerprint() + "-100000");
        assertThat(alert.sampleTraceIds()).containsExactly("trace-1");

        AlertLifecycle.Transition same = AlertLifecycle.next(ID, target, verdict(0.975), fired.episode(), 105_000);
        assertThat(same.alerts()).isEmpty();
        assertThat(same.episode()).isEqualTo(fired.episode());

        AlertLifecycle.Transition resolved = AlertLifecycle.next(ID, target, verdict(0.995), same.episode(), 110_000);
        assertThat(resolved.episode()).isNull();
        assertThat(resolved.alerts()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("resolved");
            assertThat(r.fingerprint()).isEqualTo(alert.fingerprint());
            assertThat(r.alertId()).isEqualTo(alert.alertId());
            assertThat(r.startsAt()).isEqualTo(alert.startsAt());
            assertThat(r.endsAt()).isEqualTo(Timestamps.format(110_000));
            assertThat(r.actual()).isEqualTo(0.995);
            assertThat(r.resolvedReason()).isEqualTo("target_met");
        });
    }

    @Test
    void severityChangeIsPublishedUnderTheSameEpisode() {
        AlertLifecycle.Transition fired = AlertLifecycle.next(ID, target, verdict(0.97), null, 100_000);
        AlertLifecycle.Transition worse = AlertLifecycle.next(ID, target, verdict(0.5), fired.episode(), 105_000);
        assertThat(worse.alerts()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("firing");
            assertThat(a.severity()).isEqualTo("critical");
            assertThat(a.alertId()).isEqualTo(fired.alerts().get(0).alertId());
            assertThat(a.timestamp()).isEqualTo(Timestamps.format(105_000));
        });
    }

    @Test
    void firingAlertHoldsBetweenAlertLevelAndTarget() {
        AlertLifecycle.Transition fired = AlertLifecycle.next(ID, target, verdict(0.97), null, 100_000);
        // 0.985 is below the target (0.99) but above the alert level (0.98): no flapping.
        AlertLifecycle.Transition between = AlertLifecycle.next(ID, target, verdict(0.985), fired.episode(), 105_000);
        assertThat(between.alerts()).isEmpty();
        assertThat(between.episode().phase()).isEqualTo(Episode.Phase.FIRING);
        // ...and deviating without an open alert fires nothing.
        assertThat(AlertLifecycle.next(ID, target, verdict(0.985), null, 105_000).alerts()).isEmpty();
    }

    @Test
    void forDelaysFiringUntilViolatedContinuously() {
        Target slow = Targets.parse("""
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "for": "10s"}""");
        Verdict bad = Evaluator.judge(slow, new Measurement(0.9, null, false, 100, List.of()), 0, 1);
        Verdict good = Evaluator.judge(slow, new Measurement(0.999, null, false, 100, List.of()), 0, 1);
        AlertLifecycle.Transition t1 = AlertLifecycle.next(ID, slow, bad, null, 0);
        assertThat(t1.alerts()).isEmpty();
        assertThat(t1.episode().phase()).isEqualTo(Episode.Phase.PENDING);
        AlertLifecycle.Transition blip = AlertLifecycle.next(ID, slow, good, t1.episode(), 5_000);
        assertThat(blip.alerts()).isEmpty();
        assertThat(blip.episode()).isNull();

        AlertLifecycle.Transition p1 = AlertLifecycle.next(ID, slow, bad, null, 20_000);
        AlertLifecycle.Transition p2 = AlertLifecycle.next(ID, slow, bad, p1.episode(), 25_000);
        assertThat(p2.alerts()).isEmpty();
        AlertLifecycle.Transition p3 = AlertLifecycle.next(ID, slow, bad, p2.episode(), 30_000);
        assertThat(p3.alerts()).singleElement().satisfies(a -> assertThat(a.startsAt()).isEqualTo(Timestamps.format(30_000)));
    }

    @Test
    void noEventsResolvesAndInsufficientDataHolds() {
        AlertLifecycle.Transition fired = AlertLifecycle.next(ID, target, verdict(0.97), null, 100_000);
        Verdict insufficient = new Verdict(Verdict.State.INSUFFICIENT_DATA, 0.5, null, null, null, 3, 0, 1, List.of());
        AlertLifecycle.Transition held = AlertLifecycle.next(ID, target, insufficient, fired.episode(), 105_000);
        assertThat(held.alerts()).isEmpty();
        assertThat(held.episode()).isEqualTo(fired.episode());

        Verdict none = new Verdict(Verdict.State.NO_EVENTS, null, null, null, null, 0, 50_000, 110_000, List.of());
        AlertLifecycle.Transition quiet = AlertLifecycle.next(ID, target, none, held.episode(), 110_000);
        assertThat(quiet.episode()).isNull();
        assertThat(quiet.alerts()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("resolved");
            assertThat(a.resolvedReason()).isEqualTo("no_events");
            assertThat(a.events()).isZero();
            assertThat(a.actual()).isEqualTo(0.97); // last known value, not a made-up one
        });
    }

    @Test
    void deletingATargetResolvesItsAlert() {
        AlertLifecycle.Transition fired = AlertLifecycle.next(ID, target, verdict(0.97), null, 100_000);
        AlertLifecycle.Transition deleted = AlertLifecycle.deleted(fired.episode(), 120_000);
        assertThat(deleted.episode()).isNull();
        assertThat(deleted.alerts()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo("resolved");
            assertThat(a.resolvedReason()).isEqualTo("target_deleted");
        });
        assertThat(AlertLifecycle.deleted(null, 120_000).alerts()).isEmpty();
    }

    @Test
    void changedLabelsEndTheOldIdentityAndStartANewOne() {
        AlertLifecycle.Transition fired = AlertLifecycle.next(ID, target, verdict(0.97), null, 100_000);
        Target relabelled = Targets.parse("""
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "labels": {"team": "payments"}}""");
        Verdict stillBad = Evaluator.judge(relabelled, new Measurement(0.97, null, false, 500, List.of()), 0, 1);
        AlertLifecycle.Transition moved = AlertLifecycle.next(ID, relabelled, stillBad, fired.episode(), 105_000);
        assertThat(moved.alerts()).extracting(Alert::status).containsExactly("resolved", "firing");
        assertThat(moved.alerts().get(0).resolvedReason()).isEqualTo("target_changed");
        assertThat(moved.alerts().get(1).fingerprint()).isNotEqualTo(moved.alerts().get(0).fingerprint());
    }

    @Test
    void fingerprintIsStableAndIgnoresLabelOrder() {
        assertThat(Fingerprints.alert("a/b", java.util.Map.of("x", "1", "y", "2")))
                .isEqualTo(Fingerprints.alert("a/b", new java.util.TreeMap<>(java.util.Map.of("y", "2", "x", "1"))))
                .hasSize(16)
                .isNotEqualTo(Fingerprints.alert("a/c", java.util.Map.of("x", "1", "y", "2")));
    }
}

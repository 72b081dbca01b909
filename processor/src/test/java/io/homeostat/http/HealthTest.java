package io.homeostat.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.testing.Schemas;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** The probes' rules, on every state the Kafka Streams client can be in. */
class HealthTest {
    final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    final AtomicReference<List<String>> threads = new AtomicReference<>(List.of());
    final AtomicBoolean stopped = new AtomicBoolean();
    final Health health = new Health(state::get, threads::get, 2, stopped::get);

    @Test
    void startingIsLiveButNotReady() {
        assertUp(health.live(), true);
        assertUp(health.ready(), false);
        state.set(State.REBALANCING);
        threads.set(List.of("PARTITIONS_ASSIGNED", "STARTING"));
        assertUp(health.live(), true);
        assertUp(health.ready(), false);
        assertThat(health.ready().body().get("reason").asText()).contains("REBALANCING");
    }

    @Test
    void runningWithEveryThreadAndNothingToRestoreIsReady() {
        state.set(State.RUNNING);
        threads.set(List.of("RUNNING", "RUNNING"));
        assertUp(health.live(), true);
        assertUp(health.ready(), true);
        assertThat(health.ready().body().get("alive_threads").asInt()).isEqualTo(2);
    }

    @Test
    void restoringStoresAreNotReady() {
        state.set(State.RUNNING);
        threads.set(List.of("RUNNING", "RUNNING"));
        TopicPartition changelog = new TopicPartition("homeostat-targets-changelog", 0);
        health.onRestoreStart(changelog, "targets", 0, 100);
        assertUp(health.live(), true);
        assertUp(health.ready(), false);
        assertThat(health.ready().body().get("restoring_stores").asInt()).isEqualTo(1);
        health.onRestoreEnd(changelog, "targets", 100);
        assertUp(health.ready(), true);
        health.onRestoreStart(changelog, "targets", 0, 100);
        health.onRestoreSuspended(changelog, "targets", 50); // the task moved away mid-restore
        assertUp(health.ready(), true);
    }

    @Test
    void errorAndAClientStoppedByAFailureAreNotLive() {
        for (State s : List.of(State.PENDING_ERROR, State.ERROR)) {
            state.set(s);
            assertUp(health.live(), false);
            assertUp(health.ready(), false);
            assertThat(health.live().body().get("reason").asText()).contains(s.name());
        }
        state.set(State.RUNNING);
        threads.set(List.of("RUNNING", "RUNNING"));
        stopped.set(true);
        assertUp(health.live(), false);
        assertThat(health.live().body().get("reason").asText()).contains("stream thread failed");
    }

    @Test
    void aDeadThreadThatWasNotReplacedIsNotLive() {
        state.set(State.RUNNING);
        threads.set(List.of("RUNNING", "DEAD"));
        assertUp(health.live(), false);
        assertThat(health.live().body().get("reason").asText()).isEqualTo("only 1 of 2 stream threads are alive");
        threads.set(List.of("RUNNING")); // removed from the client's threads
        assertUp(health.live(), false);
        threads.set(List.of("RUNNING", "STARTING")); // replaced
        assertUp(health.live(), true);
    }

    private static void assertUp(Health.Probe probe, boolean up) {
        assertThat(probe.up()).as("%s", probe.body()).isEqualTo(up);
        assertThat(probe.body().get("status").asText()).isEqualTo(up ? "UP" : "DOWN");
        Schemas.assertValid("health.schema.json", probe.body());
    }
}

package io.homeostat.forward;

import io.homeostat.model.Alert;
import io.homeostat.model.DeadLetters;
import io.homeostat.model.Durations;
import io.homeostat.model.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards Homeostat's alerts from Kafka to Alertmanager (or webhooks), losing none and resurrecting none.
 *
 * <p>What the guarantees rest on:
 * <ul>
 *   <li><b>At least once, in order per alert.</b> The alerts topic is read {@code read_committed} from the
 *       group's committed offsets; a batch's offsets are committed only after the receiver accepted the batch.
 *       While it does not (down, timing out, 5xx), the bridge retries the same batch with exponential backoff
 *       and logs what is waiting; it never skips ahead. A crash before the commit delivers the batch again.</li>
 *   <li><b>One view of what is firing, consistent with the offsets.</b> Every firing alert delivered is put on
 *       a compacted state topic (key: fingerprint), every resolved one tombstoned there, in the same Kafka
 *       transaction as the offsets. A restart reads the state topic to its end and resumes at the committed
 *       offsets: the view is exactly what was delivered up to there, so alerts resolved before the crash are
 *       not re-sent and those still firing are.</li>
 *   <li><b>Re-sends keep Alertmanager's view alive.</b> Alertmanager resolves an alert it has not heard of
 *       for {@code resolve_timeout}; the bridge posts every firing alert of its view every
 *       {@code resend-interval} (and at start). Posting an alert again is idempotent in Alertmanager (the label
 *       set is its identity; its notification log suppresses repeats), so a restart causes no duplicate
 *       notification.</li>
 *   <li><b>One bridge per group.</b> The group id is the producer's {@code transactional.id}: a second
 *       bridge of the same group fences the first, whose next commit fails, and which then stops.</li>
 *   <li><b>Bad input is reported, not retried forever.</b> A record that is not an alert, or an alert the
 *       receiver refuses as invalid (HTTP 400), goes to the dead-letter topic with the reason, in the same
 *       transaction; everything else keeps flowing.</li>
 * </ul>
 */
// Implements: REQ-RUNTIME-002 (alerts delivered to the user's alert routing, none lost)
public final class AlertBridge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertBridge.class);
    static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(5);
    private static final int COMMIT_ATTEMPTS = 3;

    private final BridgeSettings settings;
    private final Properties kafka;
    private final Receiver receiver;
    private final AlertMapping mapping;
    private final FiringView view = new FiringView();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final BridgeStats stats = new BridgeStats();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private KafkaProducer<byte[], byte[]> producer;
    private List<TopicPartition> partitions = List.of();

    /** A record of the alerts topic and the alert in it; {@code alert} is null when it is unreadable. */
    private record Change(ConsumerRecord<byte[], byte[]> record, Alert alert, String problem) {}

    public AlertBridge(BridgeSettings settings, Properties kafka, Receiver receiver, AlertMapping mapping) {
        this.settings = settings;
        this.kafka = kafka;
        this.receiver = receiver;
        this.mapping = mapping;
    }

    /** What was forwarded so far (tests and the periodic log line read it). */
    public BridgeStats stats() {
        return stats;
    }

    /** The number of alerts the bridge believes firing (its view). */
    public int firing() {
        return view.size();
    }

    /**
     * Runs until {@link #stop()}: restores the view, then forwards. Returns normally when stopped; throws
     * {@link BridgeException} (with a message for people) when it cannot go on.
     */
    public void run() throws BridgeException {
        try {
            runUnchecked();
        } catch (WakeupException | InterruptedException stopped) {
            if (!stopped()) throw new BridgeException("interrupted", stopped);
        } catch (BridgeException e) {
            throw e;
        } catch (ProducerFencedException e) {
            throw new BridgeException("another bridge with group " + settings.groupId() + " (transactional.id) started "
                    + "and took over; this one stops", e);
        } catch (ExecutionException e) {
            throw new BridgeException("Kafka: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        } catch (java.util.concurrent.TimeoutException | TimeoutException e) {
            throw new BridgeException("Kafka did not answer in time at " + kafka.get("bootstrap.servers") + ": "
                    + e.getMessage(), e);
        } catch (KafkaException e) {
            throw new BridgeException("Kafka: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new BridgeException(e.toString(), e);
        } finally {
            closeClients();
            finished.countDown();
            long waiting = stats.waiting();
            LOG.info("Alert bridge stopped. {}{}", stats.summary(view.size()), waiting == 0 ? ""
                    : "; " + waiting + " alert change(s) were not delivered: their offsets are not committed, so the next "
                    + "start delivers them");
        }
    }

    /** Asks {@link #run()} to return: a batch being retried stays undelivered (and uncommitted). */
    public void stop() {
        stopRequested.countDown();
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            try {
                c.wakeup();
            } catch (RuntimeException closing) {
                // closed meanwhile: run() is returning anyway
            }
        }
    }

    /** Waits (at most {@code timeout}) until {@link #run()} has returned; true if it has. */
    public boolean awaitStopped(Duration timeout) {
        try {
            return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean stopped() {
        return stopRequested.getCount() == 0;
    }

    private void runUnchecked() throws Exception {
        ensureStateTopic();
        producer = new KafkaProducer<>(producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        // Fences an older bridge of this group and aborts what it left open, before the view is read.
        producer.initTransactions();
        restore();
        consumer = new KafkaConsumer<>(consumerProperties(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        if (stopped()) return;
        waitForAlertsTopic();
        if (stopped()) return;
        receiver.probe();
        LOG.info("Forwarding {} (group {}) to {}; {} firing alert(s) restored from {}", settings.alertsTopic(),
                settings.groupId(), receiver.describe(), view.size(), settings.stateTopic());
        long now = System.currentTimeMillis();
        if (settings.mode() == BridgeSettings.Mode.ALERTMANAGER) resendAll();
        long nextResend = now + settings.resendInterval().toMillis();
        long nextStats = now + settings.statsInterval().toMillis();
        long nextPartitionCheck = now + KAFKA_TIMEOUT.toMillis();
        while (!stopped()) {
            long wait = Math.max(10, Math.min(1_000, nextResend - System.currentTimeMillis()));
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(wait));
            if (!records.isEmpty()) forward(records);
            now = System.currentTimeMillis();
            if (now >= nextResend && !stopped()) {
                if (settings.mode() == BridgeSettings.Mode.ALERTMANAGER) resendAll(); else repeatDue(now);
                nextResend = System.currentTimeMillis() + settings.resendInterval().toMillis();
            }
            if (!settings.statsInterval().isZero() && now >= nextStats) {
                stats.logIfChanged(view.size());
                nextStats = now + settings.statsInterval().toMillis();
            }
            if (now >= nextPartitionCheck) {
                assignNewPartitions();
                nextPartitionCheck = now + KAFKA_TIMEOUT.toMillis();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ forwarding

    private void forward(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        // The latest record per alert: Alertmanager needs each alert's current state, not every step to it.
        Map<String, Change> changes = new LinkedHashMap<>();
        List<Change> unreadable = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (record.value() == null) continue; // a tombstone: no alert in it
            Change change = read(record);
            if (change.alert() == null) {
                unreadable.add(change);
                continue;
            }
            changes.remove(change.alert().fingerprint());
            changes.put(change.alert().fingerprint(), change);
        }
        List<AlertmanagerAlert> batch = new ArrayList<>();
        Map<Integer, Change> changeAt = new HashMap<>();
        Set<String> requirements = new HashSet<>();
        for (Change change : changes.values()) {
            Alert alert = change.alert();
            AlertmanagerAlert next = mapping.toAlertmanager(alert);
            FiringView.Entry before = view.get(alert.fingerprint());
            if (before != null) {
                AlertmanagerAlert previous = mapping.toAlertmanager(before.alert());
                // A new label set (the severity changed) is a new alert to Alertmanager: end the old one.
                if (!previous.labels().equals(next.labels())) batch.add(previous.endedAt(alert.timestamp()));
            }
            changeAt.put(batch.size(), change);
            batch.add(next);
            requirements.add(alert.requirement());
        }
        if (settings.mode() == BridgeSettings.Mode.WEBHOOK) {
            // A webhook message lists its whole group, as Alertmanager's do: the requirement's other firing alerts.
            for (String requirement : requirements) {
                for (FiringView.Entry entry : view.ofRequirement(requirement)) {
                    if (!changes.containsKey(entry.alert().fingerprint())) batch.add(mapping.toAlertmanager(entry.alert()));
                }
            }
        }
        Map<Integer, String> rejected = Map.of();
        if (!batch.isEmpty()) {
            Optional<Receiver.Outcome> outcome = deliverUntilAccepted(batch, changes.values());
            if (outcome.isEmpty()) return; // stopped: nothing is committed, the next start delivers the batch
            rejected = outcome.get().rejected();
        }
        long now = System.currentTimeMillis();
        Map<String, FiringView.Entry> puts = new LinkedHashMap<>();
        Set<String> removes = new HashSet<>();
        List<Change> deadLetters = new ArrayList<>(unreadable);
        for (Map.Entry<Integer, Change> at : changeAt.entrySet()) {
            Change change = at.getValue();
            String fingerprint = change.alert().fingerprint();
            String refused = rejected.get(at.getKey());
            if (refused != null) {
                deadLetters.add(new Change(change.record(), change.alert(), receiver.describe() + " refused the alert: " + refused));
                removes.add(fingerprint);
            } else if (change.alert().firing()) {
                puts.put(fingerprint, new FiringView.Entry(change.alert(), now));
            } else {
                removes.add(fingerprint);
            }
        }
        commit(puts, removes, deadLetters, offsets(records));
        puts.forEach(view::put);
        removes.forEach(view::remove);
        int delivered = changes.size() - rejected.size();
        stats.delivered(delivered, (int) changes.values().stream().filter(c -> c.alert().firing()).count());
        for (Change dead : deadLetters) {
            stats.countDeadLetter();
            LOG.error("Not delivered, sent to {} instead: {} ({})", settings.deadLetterTopic(), where(dead.record()),
                    dead.problem());
        }
        if (delivered > 0) LOG.debug("Delivered {} alert change(s) to {}", delivered, receiver.describe());
    }

    private Change read(ConsumerRecord<byte[], byte[]> record) {
        try {
            Alert alert = Json.MAPPER.readValue(record.value(), Alert.class);
            if (alert.fingerprint() == null || alert.status() == null || alert.requirement() == null
                    || alert.startsAt() == null) {
                return new Change(record, null, "not a Homeostat alert: fingerprint, status, requirement and starts_at "
                        + "are required");
            }
            if (!alert.firing() && !Alert.RESOLVED.equals(alert.status())) {
                return new Change(record, null, "unknown alert status '" + alert.status() + "'");
            }
            return new Change(record, alert, null);
        } catch (java.io.IOException e) {
            return new Change(record, null, "unreadable alert: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** Delivers the batch, retrying with backoff until it is accepted; empty when the bridge was stopped first. */
    private Optional<Receiver.Outcome> deliverUntilAccepted(List<AlertmanagerAlert> batch, Iterable<Change> changes)
            throws InterruptedException {
        Receiver.Delivery delivery = receiver.deliver(batch);
        long since = System.currentTimeMillis();
        long backoff = settings.minBackoff().toMillis();
        int attempts = 0;
        int pending = 0;
        for (Change ignored : changes) pending++;
        while (!stopped()) {
            Receiver.Outcome outcome = delivery.attempt();
            attempts++;
            if (outcome.accepted()) {
                stats.waiting(0);
                if (attempts > 1) {
                    LOG.info("Delivered {} alert change(s) to {} after {} attempts ({} after the first)", pending,
                            receiver.describe(), attempts, Durations.format(Duration.ofMillis(System.currentTimeMillis() - since)));
                }
                return Optional.of(outcome);
            }
            stats.failedAttempt();
            stats.waiting(pending);
            long sleep = jitter(backoff);
            LOG.warn("Could not deliver {} alert change(s) ({}); undelivered for {}: {}; their offsets stay uncommitted. "
                            + "Attempt {}, next in {}", pending, outcome.failure(),
                    Durations.format(Duration.ofMillis(System.currentTimeMillis() - since)), describe(changes),
                    attempts, Durations.format(Duration.ofMillis(sleep)));
            if (stopRequested.await(sleep, TimeUnit.MILLISECONDS)) break;
            backoff = Math.min(settings.maxBackoff().toMillis(), backoff * 2);
        }
        return Optional.empty();
    }

    private static long jitter(long backoff) {
        // ±20 %: bridges that lost the same Alertmanager do not all come back at the same instant.
        return Math.max(1, (long) (backoff * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }

    /** The first few waiting alerts, for the log: {@code firing REQ-1/latency (critical), resolved REQ-2/errors}. */
    private static String describe(Iterable<Change> changes) {
        List<String> shown = new ArrayList<>();
        int total = 0;
        for (Change change : changes) {
            total++;
            if (shown.size() < 5) {
                Alert a = change.alert();
                shown.add(a.status() + " " + a.targetId() + (a.severity() == null ? "" : " (" + a.severity() + ")")
                        + " from " + where(change.record()));
            }
        }
        return String.join(", ", shown) + (total > shown.size() ? " and " + (total - shown.size()) + " more" : "");
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** The view's changes, the dead letters and the offsets, in one transaction. */
    private void commit(Map<String, FiringView.Entry> puts, Set<String> removes, List<Change> deadLetters,
                        Map<TopicPartition, OffsetAndMetadata> offsets) {
        producer.beginTransaction();
        puts.forEach((fingerprint, entry) -> producer.send(new ProducerRecord<>(settings.stateTopic(), 0,
                bytes(fingerprint), FiringView.encode(entry))));
        removes.forEach(fingerprint -> producer.send(new ProducerRecord<>(settings.stateTopic(), 0, bytes(fingerprint), null)));
        for (Change dead : deadLetters) {
            ConsumerRecord<byte[], byte[]> source = dead.record();
            RecordHeaders headers = new RecordHeaders();
            headers.add(DeadLetters.REASON, bytes(dead.problem()));
            headers.add(DeadLetters.CLASS, bytes(AlertBridge.class.getName()));
            headers.add(DeadLetters.SOURCE_TOPIC, bytes(source.topic()));
            headers.add(DeadLetters.SOURCE_PARTITION, bytes(Integer.toString(source.partition())));
            headers.add(DeadLetters.SOURCE_OFFSET, bytes(Long.toString(source.offset())));
            producer.send(new ProducerRecord<>(settings.deadLetterTopic(), null, source.key(), source.value(), headers));
        }
        if (offsets != null) producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        for (int attempt = 1; ; attempt++) {
            try {
                producer.commitTransaction();
                return;
            } catch (TimeoutException e) {
                if (attempt >= COMMIT_ATTEMPTS) throw e;
                LOG.warn("Committing the delivered alerts timed out; trying again ({}/{})", attempt + 1, COMMIT_ATTEMPTS);
            }
        }
    }

    // -------------------------------------------------------------------------------------- re-sends, repeats

    /** Alertmanager: every firing alert of the view again, once; a failure waits for the next round. */
    private void resendAll() {
        if (view.size() == 0) return;
        List<AlertmanagerAlert> firing = view.entries().stream().map(e -> mapping.toAlertmanager(e.alert())).toList();
        Receiver.Outcome outcome = receiver.deliver(firing).attempt();
        if (outcome.accepted()) {
            stats.resent(firing.size());
            LOG.debug("Re-sent {} firing alert(s) to {}", firing.size(), receiver.describe());
        } else {
            stats.failedAttempt();
            LOG.warn("Could not re-send {} firing alert(s) to {}: {}; trying again in {}", firing.size(), receiver.describe(),
                    outcome.failure(), Durations.format(settings.resendInterval()));
        }
    }

    /** Webhooks: the groups with an alert not notified for {@code repeat-interval}, notified again. */
    private void repeatDue(long now) {
        if (settings.repeatInterval().isZero() || view.size() == 0) return;
        Set<String> due = new HashSet<>();
        for (FiringView.Entry entry : view.entries()) {
            if (now - entry.notifiedAt() >= settings.repeatInterval().toMillis()) due.add(entry.alert().requirement());
        }
        if (due.isEmpty()) return;
        List<FiringView.Entry> repeated = new ArrayList<>();
        for (String requirement : due) repeated.addAll(view.ofRequirement(requirement));
        Receiver.Outcome outcome = receiver.deliver(repeated.stream().map(e -> mapping.toAlertmanager(e.alert())).toList())
                .attempt();
        if (!outcome.accepted()) {
            stats.failedAttempt();
            LOG.warn("Could not repeat {} firing alert(s) to {}: {}; trying again in {}", repeated.size(), receiver.describe(),
                    outcome.failure(), Durations.format(settings.resendInterval()));
            return;
        }
        Map<String, FiringView.Entry> puts = new LinkedHashMap<>();
        for (FiringView.Entry entry : repeated) puts.put(entry.alert().fingerprint(), new FiringView.Entry(entry.alert(), now));
        commit(puts, Set.of(), List.of(), null);
        puts.forEach(view::put);
        stats.resent(repeated.size());
    }

    // ------------------------------------------------------------------------------------------ Kafka set-up

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // A first start delivers what is on the topic, not only what comes after it.
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        return props;
    }

    private Properties producerProperties() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, settings.groupId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-producer");
        return props;
    }

    /** The state topic: one partition, compacted; created when missing. */
    private void ensureStateTopic() throws Exception {
        try (Admin admin = Admin.create(kafka)) {
            NewTopic topic = new NewTopic(settings.stateTopic(), Optional.of(1),
                    settings.stateTopicReplication() > 0 ? Optional.of(settings.stateTopicReplication()) : Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(topic)).all().get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                LOG.info("Created the bridge's state topic {} (compacted)", settings.stateTopic());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, settings.stateTopic());
                Config config = admin.describeConfigs(List.of(resource)).all()
                        .get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(resource);
                var policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    LOG.warn("The state topic {} is not compacted (cleanup.policy={}): a firing alert older than its "
                            + "retention would be forgotten on restart", settings.stateTopic(), policy == null ? "?" : policy.value());
                }
            }
        }
    }

    /** Reads the state topic to its end ({@code read_committed}): what was delivered as firing up to the committed offsets. */
    private void restore() throws Exception {
        Properties props = new Properties();
        props.putAll(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-restore");
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> state = reader.partitionsFor(settings.stateTopic(), KAFKA_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            reader.assign(state);
            reader.seekToBeginning(state);
            Map<TopicPartition, Long> end = reader.endOffsets(state, KAFKA_TIMEOUT);
            long deadline = System.nanoTime() + KAFKA_TIMEOUT.toNanos();
            while (!reached(reader, end)) {
                if (System.nanoTime() > deadline) {
                    throw new java.util.concurrent.TimeoutException("could not read " + settings.stateTopic() + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
                    if (record.key() == null) continue;
                    String fingerprint = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        view.remove(fingerprint);
                        continue;
                    }
                    try {
                        view.put(fingerprint, FiringView.decode(record.value()));
                    } catch (FiringView.UnreadableState e) {
                        if (e.getMessage().contains("newer")) throw new BridgeException(settings.stateTopic() + ": " + e.getMessage(), e);
                        LOG.error("Skipped an unreadable record of the state topic at {}: {}", where(record), e.getMessage());
                    }
                }
            }
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> reader, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (reader.position(e.getKey(), KAFKA_TIMEOUT) < e.getValue()) return false;
        }
        return true;
    }

    /** Assigns every partition of the alerts topic, waiting (and saying so) while it does not exist. */
    private void waitForAlertsTopic() throws Exception {
        long lastSaid = 0;
        while (!stopped()) {
            List<TopicPartition> found = alertPartitions();
            if (!found.isEmpty()) {
                partitions = found;
                consumer.assign(partitions);
                return;
            }
            if (System.currentTimeMillis() - lastSaid > 30_000) {
                LOG.warn("Waiting for the topic {} (`homeostat run` creates it)", settings.alertsTopic());
                lastSaid = System.currentTimeMillis();
            }
            stopRequested.await(TOPIC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void assignNewPartitions() throws Exception {
        List<TopicPartition> found = alertPartitions();
        if (found.size() > partitions.size()) {
            LOG.info("{} now has {} partitions; reading them all", settings.alertsTopic(), found.size());
            partitions = found;
            consumer.assign(partitions);
        }
    }

    private List<TopicPartition> alertPartitions() throws Exception {
        try {
            return consumer.partitionsFor(settings.alertsTopic(), KAFKA_TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        } catch (UnknownTopicOrPartitionException e) {
            return List.of();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void closeClients() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the consumer: {}", e.toString());
            }
        }
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.debug("Closing the producer: {}", e.toString());
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Why the bridge cannot go on, in words for people. */
    public static final class BridgeException extends Exception {
        public BridgeException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

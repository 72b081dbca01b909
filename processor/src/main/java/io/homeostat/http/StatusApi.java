package io.homeostat.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.evaluate.Episode;
import io.homeostat.evaluate.Episodes;
import io.homeostat.evaluate.StateCodec;
import io.homeostat.evaluate.StatusCodec;
import io.homeostat.issues.IssueCodec;
import io.homeostat.issues.IssueState;
import io.homeostat.issues.IssueTracker;
import io.homeostat.model.Alert;
import io.homeostat.model.Json;
import io.homeostat.model.Target;
import io.homeostat.model.Timestamps;
import io.homeostat.topology.QueryableStores;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status API, {@code /api/v1}: read-only views of the stores of every instance (Kafka Streams' interactive
 * queries). Each instance answers for all: lists gather what every instance holds (each asked with
 * {@code scope=local}), and a single target or issue is asked of the instance that owns its key
 * ({@code queryMetadataForKey}). Records are served as the topics carry them (a target's status as on the status
 * topic, its open alert as on the alerts topic, an issue as on the issues topic), wrapped with what the API adds.
 */
final class StatusApi {
    static final String PREFIX = "/api/v1/";
    static final String TARGETS = PREFIX + "targets";
    static final String ISSUES = PREFIX + "issues";
    static final String ROUTES = PREFIX + "internal/routes/";
    private static final Logger LOG = LoggerFactory.getLogger(StatusApi.class);

    private final KafkaStreams streams;
    private final LocalStores stores;
    private final HostInfo self;
    private final Peers peers;
    private final LongSupplier clock;

    StatusApi(KafkaStreams streams, LocalStores stores, HostInfo self, Peers peers, LongSupplier clock) {
        this.streams = streams;
        this.stores = stores;
        this.self = self;
        this.peers = peers;
        this.clock = clock;
    }

    /** @param path the decoded request path; @param query its parameters */
    ApiResponse handle(String path, Map<String, String> query) {
        boolean local = "local".equals(query.get("scope"));
        try {
            if (path.equals(TARGETS) || path.equals(TARGETS + "/")) {
                return targets(local, flag(query.get("series")));
            }
            if (path.startsWith(TARGETS + "/")) return target(path.substring(TARGETS.length() + 1), local);
            if (path.equals(ISSUES) || path.equals(ISSUES + "/")) return issues(local, "all".equals(query.get("status")));
            if (path.startsWith(ISSUES + "/")) return issue(path.substring(ISSUES.length() + 1), local);
            if (path.startsWith(ROUTES)) return route(path.substring(ROUTES.length()));
            return ApiResponse.notFound("no such endpoint: " + path + " (see /api/v1/targets, /api/v1/targets/{id}, "
                    + "/api/v1/issues, /api/v1/issues/{id})");
        } catch (InvalidStateStoreException e) {
            return ApiResponse.unavailable("this instance's stores cannot be read now (Kafka Streams is " + streams.state()
                    + "; partitions move during a rebalance): retry shortly");
        }
    }

    private static boolean flag(String value) {
        return value != null && (value.isEmpty() || value.equals("true") || value.equals("1"));
    }

    // ---- targets ----

    private ApiResponse targets(boolean local, boolean series) {
        List<JsonNode> targets = new ArrayList<>();
        List<JsonNode> unattributed = new ArrayList<>();
        localTargets(series, targets, unattributed);
        ObjectNode body = envelope();
        ArrayNode errors = body.putArray("errors");
        if (!local) {
            String query = "scope=local" + (series ? "&series=true" : "");
            for (Peers.Answer answer : fanOut(TARGETS, query, errors)) {
                answer.body().path("targets").forEach(targets::add);
                answer.body().path("unattributed").forEach(unattributed::add);
            }
        }
        targets.sort(Comparator.comparing(t -> t.path("target_id").asText()));
        unattributed.sort(Comparator.comparing(u -> u.path("service").asText()));
        body.put("partial", !errors.isEmpty());
        body.putArray("targets").addAll(targets);
        body.putArray("unattributed").addAll(unattributed);
        return ApiResponse.ok(body);
    }

    private void localTargets(boolean series, List<JsonNode> into, List<JsonNode> unattributedInto) {
        ReadOnlyKeyValueStore<String, byte[]> statuses = stores.statuses();
        ReadOnlyKeyValueStore<String, byte[]> episodes = stores.episodes();
        WindowSeries windows = series ? new WindowSeries(stores.sliceReader(), stores.sliceMs()) : null;
        try (KeyValueIterator<String, byte[]> it = stores.targets().all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                Target target = target(entry.value);
                if (target != null) into.add(entry(entry.key, target, statuses, episodes, windows, false));
            }
        }
        try (KeyValueIterator<String, byte[]> it = stores.unattributed().all()) {
            while (it.hasNext()) {
                try {
                    unattributedInto.add(Json.MAPPER.valueToTree(StateCodec.decodeUnattributed(it.next().value)));
                } catch (IllegalArgumentException e) {
                    // unreadable: its task reports it, and its counts start over
                }
            }
        }
    }

    private ApiResponse target(String id, boolean local) {
        byte[] stored = stores.targets().get(id);
        Target target = stored == null ? null : target(stored);
        if (target != null) {
            ObjectNode body = entry(id, target, stores.statuses(), stores.episodes(),
                    new WindowSeries(stores.sliceReader(), stores.sliceMs()), true);
            return ApiResponse.ok(body);
        }
        String unknown = "no target '" + id + "' (GET " + TARGETS + " lists them; a target is applied with "
                + "`homeostat targets apply`)";
        if (local) return ApiResponse.notFound("no target '" + id + "' on the instance " + Peers.describe(self));
        // Its requirement first (the target-routes store, keyed by target id), then the requirement's owner.
        KeyQueryMetadata routeOwner = streams.queryMetadataForKey(QueryableStores.TARGET_ROUTES, id,
                QueryableStores.keySerializer());
        if (!available(routeOwner)) return rebalancing();
        String requirement;
        if (routeOwner.activeHost().equals(self)) {
            byte[] route = stores.routes().get(id);
            requirement = route == null ? null : QueryableStores.decodeRoute(route);
        } else {
            Peers.Answer answer = ask(routeOwner.activeHost(), ROUTES + id, null);
            if (answer == null) return ownerSilent(routeOwner.activeHost());
            requirement = answer.status() == 200 ? answer.body().path("requirement").asText(null) : null;
        }
        if (requirement == null) return ApiResponse.notFound(unknown);
        KeyQueryMetadata owner = streams.queryMetadataForKey(QueryableStores.TARGETS, requirement,
                QueryableStores.keySerializer());
        if (!available(owner)) return rebalancing();
        if (owner.activeHost().equals(self)) return ApiResponse.notFound(unknown);
        Peers.Answer answer = ask(owner.activeHost(), TARGETS + "/" + id, "scope=local");
        if (answer == null) return ownerSilent(owner.activeHost());
        return new ApiResponse(answer.status(), answer.body(), Map.of());
    }

    private ApiResponse route(String id) {
        byte[] route = stores.routes().get(id);
        if (route == null) return ApiResponse.notFound("no route for target '" + id + "' on " + Peers.describe(self));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("target_id", id);
        body.put("requirement", QueryableStores.decodeRoute(route));
        return ApiResponse.ok(body);
    }

    /** A target as the API shows it: its definition, latest verdict, open alert; with detail, its episodes. */
    private ObjectNode entry(String id, Target target, ReadOnlyKeyValueStore<String, byte[]> statuses,
                             ReadOnlyKeyValueStore<String, byte[]> episodes, WindowSeries windows, boolean detail) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("target_id", id);
        entry.put("requirement", target.requirement());
        entry.put("instance", Peers.describe(self));
        entry.set("definition", target.toJson());
        JsonNode status = status(statuses.get(id));
        entry.set("status", status == null ? NullNode.getInstance() : status);
        Episode deviation = episode(episodes, id);
        Episode silence = episode(episodes, Episodes.noDataKey(id));
        Alert open = firing(deviation) ? deviation.lastAlert() : firing(silence) ? silence.lastAlert() : null;
        entry.set("alert", open == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(open));
        if (windows != null) {
            if (status != null && status.hasNonNull("window_start") && status.hasNonNull("window_end")) {
                entry.set("series", windows.of(target, Timestamps.parse(status.get("window_start").asText()),
                        Timestamps.parse(status.get("window_end").asText())));
            } else {
                entry.putNull("series");
            }
        }
        if (detail) {
            ArrayNode list = entry.putArray("episodes");
            if (deviation != null) list.add(episodeJson(Alert.KIND_DEVIATION, deviation));
            if (silence != null) list.add(episodeJson(Alert.KIND_NO_DATA, silence));
        }
        return entry;
    }

    private static boolean firing(Episode episode) {
        return episode != null && episode.phase() == Episode.Phase.FIRING && episode.lastAlert() != null;
    }

    private static ObjectNode episodeJson(String kind, Episode episode) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("kind", kind);
        node.put("fingerprint", episode.fingerprint());
        node.put("phase", episode.phase() == Episode.Phase.FIRING ? "firing" : "pending");
        node.put("since", Timestamps.format(episode.since()));
        node.set("alert", episode.lastAlert() == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(episode.lastAlert()));
        return node;
    }

    private static Target target(byte[] stored) {
        try {
            return StateCodec.decodeTarget(stored);
        } catch (IllegalArgumentException e) {
            return null; // unreadable: its task reports it and keeps the target inactive
        }
    }

    private static JsonNode status(byte[] stored) {
        if (stored == null) return null;
        try {
            return Json.MAPPER.readTree(StatusCodec.decodeJson(stored));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Episode episode(ReadOnlyKeyValueStore<String, byte[]> episodes, String key) {
        byte[] stored = episodes.get(key);
        if (stored == null) return null;
        try {
            return StateCodec.decodeEpisode(stored);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- issues ----

    private ApiResponse issues(boolean local, boolean all) {
        List<JsonNode> issues = new ArrayList<>();
        long now = clock.getAsLong();
        try (KeyValueIterator<String, byte[]> it = stores.issues().all()) {
            while (it.hasNext()) {
                IssueState state = issueState(it.next().value);
                if (state != null && (all || state.open())) issues.add(issueJson(state, now));
            }
        }
        ObjectNode body = envelope();
        ArrayNode errors = body.putArray("errors");
        if (!local) {
            for (Peers.Answer answer : fanOut(ISSUES, "scope=local" + (all ? "&status=all" : ""), errors)) {
                answer.body().path("issues").forEach(issues::add);
            }
        }
        issues.sort(Comparator.comparing((JsonNode i) -> -i.path("issue").path("occurrences").asLong())
                .thenComparing(i -> i.path("issue").path("issue_id").asText()));
        body.put("partial", !errors.isEmpty());
        body.putArray("issues").addAll(issues);
        return ApiResponse.ok(body);
    }

    private ApiResponse issue(String id, boolean local) {
        byte[] stored = stores.issues().get(id);
        IssueState state = stored == null ? null : issueState(stored);
        if (state != null) return ApiResponse.ok(issueJson(state, clock.getAsLong()));
        String unknown = "no production issue '" + id + "' (GET " + ISSUES + "?status=all lists them)";
        if (local) return ApiResponse.notFound(unknown);
        KeyQueryMetadata owner = streams.queryMetadataForKey(QueryableStores.PRODUCTION_ISSUES, id,
                QueryableStores.keySerializer());
        if (!available(owner)) return rebalancing();
        if (owner.activeHost().equals(self)) return ApiResponse.notFound(unknown);
        Peers.Answer answer = ask(owner.activeHost(), ISSUES + "/" + id, "scope=local");
        if (answer == null) return ownerSilent(owner.activeHost());
        return new ApiResponse(answer.status(), answer.body(), Map.of());
    }

    private ObjectNode issueJson(IssueState state, long now) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("issue", Json.MAPPER.valueToTree(IssueTracker.describe(state, now)));
        if (state.intentPriority() == null) node.putNull("intent_priority");
        else node.put("intent_priority", state.intentPriority());
        node.put("instance", Peers.describe(self));
        return node;
    }

    private static IssueState issueState(byte[] stored) {
        try {
            return IssueCodec.decodeState(stored);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- instances ----

    private ObjectNode envelope() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("generated_at", Timestamps.format(clock.getAsLong()));
        body.put("instance", Peers.describe(self));
        return body;
    }

    /** Asks every other instance, in parallel; what could not be had goes to {@code errors}. */
    private List<Peers.Answer> fanOut(String path, String query, ArrayNode errors) {
        List<HostInfo> others = new ArrayList<>();
        for (StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
            if (!metadata.hostInfo().equals(self) && !others.contains(metadata.hostInfo())) others.add(metadata.hostInfo());
        }
        List<CompletableFuture<Peers.Answer>> futures = others.stream().map(h -> peers.get(h, path, query)).toList();
        List<Peers.Answer> answers = new ArrayList<>();
        for (int i = 0; i < others.size(); i++) {
            String instance = Peers.describe(others.get(i));
            try {
                Peers.Answer answer = futures.get(i).get(Peers.REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                if (answer.status() == 200) {
                    answers.add(answer);
                } else {
                    errors.addObject().put("instance", instance).put("message", "HTTP " + answer.status() + ": "
                            + answer.body().path("message").asText(""));
                }
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                errors.addObject().put("instance", instance).put("message", "did not answer: " + describe(cause));
                futures.get(i).cancel(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.addObject().put("instance", instance).put("message", "interrupted");
            }
        }
        return answers;
    }

    /** The owner's answer, or {@code null} when it did not give one. */
    private Peers.Answer ask(HostInfo owner, String path, String query) {
        try {
            return peers.get(owner, path, query).get(Peers.REQUEST_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Instance {} did not answer {}: {}", Peers.describe(owner), path, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static boolean available(KeyQueryMetadata metadata) {
        return metadata != null && !KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) && metadata.activeHost() != null
                && metadata.activeHost().port() > 0;
    }

    private ApiResponse rebalancing() {
        return ApiResponse.unavailable("which instance owns this key is not known now (Kafka Streams is " + streams.state()
                + "): retry shortly");
    }

    private static ApiResponse ownerSilent(HostInfo owner) {
        return ApiResponse.unavailable("the instance that owns this key, " + Peers.describe(owner)
                + ", did not answer: retry shortly");
    }
}

package io.homeostat.topology;

import io.homeostat.model.FeedbackIntent;
import io.homeostat.model.ProductionIssue;
import io.homeostat.issues.IssuePartial;
import io.homeostat.issues.IssueState;
import io.homeostat.issues.IssueTracker;
import io.homeostat.issues.IssueCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the production issues of one partition (keyed by issue id): folds their occurrences into the
 * issue's state, publishes the issue when it changes meaningfully ({@link IssueTracker}) and its feedback
 * intent once, republishes an issue whose counts changed at most once per refresh interval (a wall-clock
 * punctuator every tenth of it, at most a second, publishes the changed ones that are due), and on another
 * wall-clock punctuator resolves issues that have been quiet for the quiet period and forgets resolved ones
 * after the retention. Wall clock, because stream time stops when errors do.
 */
final class TrackIssuesProcessor implements Processor<String, IssuePartial, String, Object> {
    static final String NAME = "track-issues";
    /** Children: issue records (issues topic) and their intents (intents topic). */
    static final String ISSUES = "issues";
    static final String INTENTS = "issue-intents";
    static final String ISSUES_STORE = "production-issues";
    private static final Logger LOG = LoggerFactory.getLogger(TrackIssuesProcessor.class);

    private final RuntimeSettings settings;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;
    /** What the punctuator needs of each issue, mirrored from the store (the truth on restore). */
    private final Map<String, Activity> activity = new HashMap<>();
    private TaskMetrics metrics;
    private Sensor issuesPublished;
    private Sensor intentsPublished;
    private UnreadableState unreadable;

    private record Activity(boolean open, long lastArrivalMs, long resolvedAtMs) {
        static Activity of(IssueState state) {
            return new Activity(state.open(), state.lastArrivalMs(), state.resolvedAtMs());
        }
    }

    /** Issues whose counts changed since their record was published: what the refresh punctuator looks at. */
    private final java.util.Set<String> changed = new java.util.LinkedHashSet<>();

    TrackIssuesProcessor(RuntimeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        store = context.getStateStore(ISSUES_STORE);
        metrics = new TaskMetrics(context);
        issuesPublished = metrics.counter("issues-published", "Production issue records published (opened, changed, resolved)");
        intentsPublished = metrics.counter("issue-intents-published", "Feedback intents published for production issues");
        unreadable = new UnreadableState(metrics);
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                IssueState state = decode(entry.key, entry.value);
                if (state != null) activity.put(entry.key, Activity.of(state));
                if (state != null && state.changedSincePublished()) changed.add(entry.key);
            }
        }
        long quietMs = settings.issueQuietPeriod().toMillis();
        long every = Math.max(1_000, Math.min(quietMs / 10, 60_000));
        context.schedule(Duration.ofMillis(every), PunctuationType.WALL_CLOCK_TIME, this::sweep);
        context.schedule(Duration.ofMillis(refreshTickMs(settings.issueRefresh().toMillis())), PunctuationType.WALL_CLOCK_TIME,
                this::refresh);
    }

    /** How often changed issues are looked at: a tenth of the refresh interval, at most a second. */
    static long refreshTickMs(long refreshMs) {
        return Math.max(100, Math.min(1_000, refreshMs / 10));
    }

    /** Republishes the changed issues whose last record is a refresh interval old (less one tick). */
    private void refresh(long now) {
        if (changed.isEmpty()) return;
        long refreshMs = settings.issueRefresh().toMillis();
        long tickMs = refreshTickMs(refreshMs);
        for (String issueId : List.copyOf(changed)) {
            IssueState state = decode(issueId, store.get(issueId));
            if (state == null) {
                changed.remove(issueId);
                continue;
            }
            apply(issueId, IssueTracker.refresh(state, now, refreshMs, tickMs), now);
        }
    }

    @Override
    public void process(Record<String, IssuePartial> record) {
        long now = context.currentSystemTimeMs();
        IssueState state = decode(record.key(), store.get(record.key()));
        apply(record.key(), IssueTracker.occurred(state, record.value(), now, settings.intentsEnabled(),
                settings.issueRefresh().toMillis()), now);
    }

    // Implements: REQ-RUNTIME-003 (issues resolve after a quiet period, judged by wall clock)
    private void sweep(long now) {
        long quietMs = settings.issueQuietPeriod().toMillis();
        long retentionMs = settings.issueRetention().toMillis();
        List<String> quiet = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        activity.forEach((issueId, a) -> {
            if (a.open() && now - a.lastArrivalMs() >= quietMs) quiet.add(issueId);
            if (!a.open() && now - a.resolvedAtMs() >= retentionMs) expired.add(issueId);
        });
        for (String issueId : quiet) {
            IssueState state = decode(issueId, store.get(issueId));
            if (state != null) apply(issueId, IssueTracker.quiet(state, now, quietMs), now);
            else activity.remove(issueId);
        }
        for (String issueId : expired) {
            store.delete(issueId);
            activity.remove(issueId);
            changed.remove(issueId);
        }
    }

    /** The stored state, or {@code null} when there is none or it is unreadable (then the issue starts afresh). */
    private IssueState decode(String issueId, byte[] stored) {
        if (stored == null) return null;
        try {
            return IssueCodec.decodeState(stored);
        } catch (IllegalArgumentException e) {
            unreadable.report(ISSUES_STORE, issueId, e, "the issue starts afresh at its next occurrence");
            return null;
        }
    }

    private void apply(String issueId, IssueTracker.Transition transition, long now) {
        store.put(issueId, IssueCodec.encode(transition.state()));
        activity.put(issueId, Activity.of(transition.state()));
        if (transition.state().changedSincePublished()) changed.add(issueId);
        else changed.remove(issueId);
        // The intent first: the issue record names it.
        for (FeedbackIntent intent : transition.intents()) {
            context.forward(new Record<>(intent.intentId(), intent, now), INTENTS);
            intentsPublished.record();
            LOG.info("Intent {} {} for issue {}: {}", intent.intentId(), intent.priority(), issueId, intent.description());
        }
        for (ProductionIssue issue : transition.issues()) {
            context.forward(new Record<>(issue.issueId(), issue, now), ISSUES);
            issuesPublished.record();
            if (!transition.milestone()) {
                // A refresh of the counts: the topic stays current, the log keeps to the decade rule.
                LOG.debug("Issue {} refreshed: {} occurrences", issue.issueId(), issue.occurrences());
                continue;
            }
            LOG.info("Issue {} {} {} {}: {} occurrences, {} ({}: {})", issue.issueId(), issue.status().toUpperCase(),
                    issue.severity(), issue.requirement(), issue.occurrences(), issue.impact(), issue.errorType(),
                    issue.normalizedMessage());
        }
    }

    @Override
    public void close() {
        if (metrics != null) metrics.close();
    }
}

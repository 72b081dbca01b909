package io.homeostat.cli;

import io.homeostat.topology.Topics;
import picocli.CommandLine.Option;

/** Topic names; defaults are the contract's. */
public final class TopicOptions {
    private static final Topics DEFAULTS = Topics.defaults();

    @Option(names = "--spans-topic", defaultValue = "otlp_spans", description = "OTLP spans in (default: ${DEFAULT-VALUE}).")
    String spans = DEFAULTS.spans();
    @Option(names = "--metrics-topic", defaultValue = "otlp_metrics", description = "OTLP metrics in (default: ${DEFAULT-VALUE}).")
    String metrics = DEFAULTS.metrics();
    @Option(names = "--logs-topic", defaultValue = "otlp_logs", description = "OTLP logs in (default: ${DEFAULT-VALUE}).")
    String logs = DEFAULTS.logs();
    @Option(names = "--targets-topic", defaultValue = "homeostasis.targets", description = "Targets in, compacted (default: ${DEFAULT-VALUE}).")
    String targets = DEFAULTS.targets();
    @Option(names = "--alerts-topic", defaultValue = "homeostasis.alerts", description = "Alerts out (default: ${DEFAULT-VALUE}).")
    String alerts = DEFAULTS.alerts();
    @Option(names = "--issues-topic", defaultValue = "homeostasis.issues", description = "Production issues out (default: ${DEFAULT-VALUE}).")
    String issues = DEFAULTS.issues();
    @Option(names = "--intents-topic", defaultValue = "homeostasis.intents", description = "Feedback intents out (default: ${DEFAULT-VALUE}).")
    String intents = DEFAULTS.intents();
    @Option(names = "--status-topic", defaultValue = "homeostasis.status", description = "Target status out, compacted (default: ${DEFAULT-VALUE}).")
    String status = DEFAULTS.status();
    @Option(names = "--dlq-topic", defaultValue = "homeostasis.dlq", description = "Dead letters out (default: ${DEFAULT-VALUE}).")
    String deadLetters = DEFAULTS.deadLetters();

    public Topics topics() {
        return new Topics(spans, metrics, logs, targets, alerts, issues, intents, status, deadLetters);
    }
}

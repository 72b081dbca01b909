package io.homeostat.topology;

/** Topic names of the contract; every one configurable, these are the defaults. */
public record Topics(String spans, String metrics, String logs, String targets, String alerts, String issues,
                     String intents, String status, String deadLetters) {

    public static Topics defaults() {
        return new Topics("otlp_spans", "otlp_metrics", "otlp_logs", "homeostasis.targets", "homeostasis.alerts",
                "homeostasis.issues", "homeostasis.intents", "homeostasis.status", "homeostasis.dlq");
    }
}

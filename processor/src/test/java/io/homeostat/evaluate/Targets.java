package io.homeostat.evaluate;

import io.homeostat.model.Target;
import io.homeostat.model.TargetParser;

/** Targets for tests, written as users write them. */
final class Targets {
    private Targets() {}

    static Target parse(String json) {
        try {
            return TargetParser.parse(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The seed's REQ-NFR-PERF-001: latency below 500 ms, alert if more than 5 % exceed it. */
    static Target loginLatency() {
        return parse("""
                {"requirement": "REQ-NFR-PERF-001", "metric": "span.duration_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "description": "Login response time < 500ms", "constraint": "C-001",
                 "labels": {"team": "identity"}}""");
    }

    /** The seed's REQ-F-AUTH-001: success rate at least 99 %, alert if it drops below 98 %. */
    static Target loginSuccess() {
        return parse("""
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "business_rules": ["BR-001", "BR-002", "BR-003"]}""");
    }

    /** A success rate of at least {@code target} over {@code window}. */
    static Target successRate(String requirement, double target, String window) {
        return parse("""
                {"requirement": "%s", "metric": "span.success_rate", "target": %s, "operator": "gte", "window": "%s"}"""
                .formatted(requirement, target, window));
    }
}

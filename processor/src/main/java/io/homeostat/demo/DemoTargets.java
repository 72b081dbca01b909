package io.homeostat.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed's two homeostasis targets (config/observability.yml), resolved as the contract says: login
 * latency from the {@code login_latency_ms} histogram below 500 ms for 95 % of logins, and the login
 * success rate (not a declared metric: the span ratio of REQ-F-AUTH-001) at least 99 %, alert below 98 %.
 */
public final class DemoTargets {
    private DemoTargets() {}

    /** Target id → target JSON, with the given window (short, so the demo shows a cycle in minutes). */
    public static Map<String, String> targets(String window) {
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("REQ-NFR-PERF-001/login_latency_ms", """
                {"requirement": "REQ-NFR-PERF-001", "metric": "login_latency_ms", "target": 500, "operator": "lt",
                 "alert_threshold": 0.95, "description": "Login response time < 500ms", "window": "%s",
                 "min_events": 20, "constraint": "C-001", "labels": {"team": "identity", "service": "customer-portal"},
                 "annotations": {"runbook": "https://example.invalid/runbooks/login-latency"}}
                """.formatted(window));
        targets.put("REQ-F-AUTH-001/span.success_rate", """
                {"requirement": "REQ-F-AUTH-001", "metric": "span.success_rate", "target": 0.99, "operator": "gte",
                 "alert_threshold": 0.98, "description": "Login success rate >= 99%%", "window": "%s",
                 "min_events": 20, "business_rules": ["BR-001", "BR-002", "BR-003"],
                 "labels": {"team": "identity", "service": "customer-portal"}}
                """.formatted(window));
        return targets;
    }
}

package io.homeostat.issues;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The seed: severity "critical" if "critical" in str(error).lower() else "high"; priority P0 if critical else P1. */
class SeverityRulesTest {

    @Test
    void criticalWhenTheMessageSaysSoElseHigh() {
        assertThat(SeverityRules.messageSaysCritical("CRITICAL: ledger out of balance")).isTrue();
        assertThat(SeverityRules.messageSaysCritical("a Critical section failed")).isTrue();
        assertThat(SeverityRules.messageSaysCritical("Session store unavailable")).isFalse();
        assertThat(SeverityRules.messageSaysCritical(null)).isFalse();
        assertThat(SeverityRules.issueSeverity(true)).isEqualTo("critical");
        assertThat(SeverityRules.issueSeverity(false)).isEqualTo("high");
    }

    @Test
    void anAttributeCanSayCritical() {
        assertThat(SeverityRules.attributeSaysCritical("critical")).isTrue();
        assertThat(SeverityRules.attributeSaysCritical(" Critical ")).isTrue();
        assertThat(SeverityRules.attributeSaysCritical("high")).isFalse();
        assertThat(SeverityRules.attributeSaysCritical(null)).isFalse();
    }

    @Test
    void priorityIsP0ForCriticalSourcesElseP1() {
        assertThat(SeverityRules.priority("critical")).isEqualTo("P0");
        assertThat(SeverityRules.priority("high")).isEqualTo("P1");
        assertThat(SeverityRules.priority("warning")).isEqualTo("P1");
        assertThat(SeverityRules.priority(null)).isEqualTo("P1");
    }

    @Test
    void logSeverities() {
        assertThat(SeverityRules.isErrorLog(17, "ERROR")).isTrue();
        assertThat(SeverityRules.isErrorLog(13, "WARN")).isFalse();
        assertThat(SeverityRules.isErrorLog(0, "error")).as("text only, no number").isTrue();
        assertThat(SeverityRules.isErrorLog(0, "CRITICAL")).isTrue();
        assertThat(SeverityRules.isErrorLog(0, "INFO")).isFalse();
        assertThat(SeverityRules.isErrorLog(0, null)).isFalse();
        assertThat(SeverityRules.isErrorLog(9, "ERROR")).as("the number wins").isFalse();
        assertThat(SeverityRules.isCriticalLog(21, "FATAL")).isTrue();
        assertThat(SeverityRules.isCriticalLog(17, "CRITICAL")).isTrue();
        assertThat(SeverityRules.isCriticalLog(17, "ERROR")).isFalse();
    }
}

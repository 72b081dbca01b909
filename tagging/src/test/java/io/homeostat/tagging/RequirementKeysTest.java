package io.homeostat.tagging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Keys that break the REQ-* / BR-* / C-* conventions are rejected when the requirement is built. */
class RequirementKeysTest {
    @Test
    void theSeedsKeysAreAccepted() {
        Requirement r = Requirement.of("REQ-F-AUTH-001").businessRules("BR-001", "BR-002").constraints("C-001");
        assertThat(r.key()).isEqualTo("REQ-F-AUTH-001");
        assertThat(r.businessRules()).containsExactly("BR-001", "BR-002");
        assertThat(r.constraints()).containsExactly("C-001");
        assertThat(Requirement.of("REQ-NFR-PERF-001").key()).isEqualTo("REQ-NFR-PERF-001");
        assertThat(Requirement.of("REQ-RUNTIME-001").key()).isEqualTo("REQ-RUNTIME-001");
    }

    @Test
    void aRequirementKeyOffTheConventionIsRejectedWithItsReason() {
        for (String bad : new String[] {"req-f-auth-001", "REQ_F_AUTH_001", "F-AUTH-001", "REQ-", "REQ-F-AUTH-001 ", "", "REQ-F,AUTH"}) {
            assertThatThrownBy(() -> Requirement.of(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid requirement key")
                    .hasMessageContaining(RequirementKeys.DEFAULT_REQUIREMENT_PATTERN)
                    .hasMessageContaining("homeostat.tagging.requirement-pattern");
        }
        assertThatThrownBy(() -> Requirement.of(null)).hasMessageContaining("invalid requirement key null");
    }

    @Test
    void businessRulesAndConstraintsAreCheckedToo() {
        Requirement r = Requirement.of("REQ-F-AUTH-001");
        assertThatThrownBy(() -> r.businessRules("BR-001", "RULE-2")).hasMessageContaining("invalid business rule key \"RULE-2\"");
        assertThatThrownBy(() -> r.constraints("C001")).hasMessageContaining("invalid constraint key \"C001\"")
                .hasMessageContaining("e.g. C-001");
        assertThatThrownBy(() -> r.businessRules("REQ-F-AUTH-001")).hasMessageContaining("business rule");
    }

    @Test
    void thePatternIsConfigurable() {
        RequirementKeys jira = RequirementKeys.of("[A-Z]+-[0-9]+", "RULE-[0-9]+", "LIMIT-[0-9]+");
        Requirement r = Requirement.of("AUTH-42", jira).businessRules("RULE-7").constraints("LIMIT-1");
        assertThat(r.attributes().get(RequirementAttributes.REQUIREMENT)).isEqualTo("AUTH-42");
        assertThatThrownBy(() -> Requirement.of("REQ-F-AUTH-001", jira)).hasMessageContaining("[A-Z]+-[0-9]+");
        assertThatThrownBy(() -> RequirementKeys.of("REQ-(", "BR", "C")).hasMessageContaining("invalid requirement key pattern");
    }

    @Test
    void environmentNamesOfTheSettings() {
        assertThat(RequirementKeys.envName("homeostat.tagging.requirement-pattern")).isEqualTo("HOMEOSTAT_TAGGING_REQUIREMENT_PATTERN");
    }
}

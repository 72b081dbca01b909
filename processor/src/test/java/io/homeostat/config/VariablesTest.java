package io.homeostat.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VariablesTest {
    private final Variables variables = new Variables(Map.of("ENV", "production", "EMPTY", "", "VERSION", "1.4.2"));

    @Test
    void expandsSetVariablesDefaultsAndDollars() {
        List<String> problems = new ArrayList<>();
        assertThat(variables.expand("${ENV}", problems)).isEqualTo("production");
        assertThat(variables.expand("v${VERSION}-${ENV}", problems)).isEqualTo("v1.4.2-production");
        assertThat(variables.expand("${UNSET:-500}", problems)).isEqualTo("500");
        assertThat(variables.expand("${EMPTY:-fallback}", problems)).as(":- also replaces an empty value").isEqualTo("fallback");
        assertThat(variables.expand("${EMPTY-fallback}", problems)).as("- replaces only an unset one").isEmpty();
        assertThat(variables.expand("${ENV:-staging}", problems)).isEqualTo("production");
        assertThat(variables.expand("costs $$5", problems)).isEqualTo("costs $5");
        assertThat(variables.expand("no variables here", problems)).isEqualTo("no variables here");
        assertThat(problems).isEmpty();
    }

    @Test
    void anUnsetVariableWithoutDefaultIsAProblemNamingIt() {
        List<String> problems = new ArrayList<>();
        assertThat(variables.expand("${REGION}", problems)).isEqualTo("${REGION}");
        assertThat(problems).singleElement().asString()
                .contains("environment variable REGION is not set").contains("${REGION:-default}");
    }

    @Test
    void malformedReferencesAreProblems() {
        List<String> problems = new ArrayList<>();
        variables.expand("${1BAD}", problems);
        variables.expand("${ENV", problems);
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).contains("not a variable reference");
        assertThat(problems.get(1)).contains("unclosed '${'");
    }
}

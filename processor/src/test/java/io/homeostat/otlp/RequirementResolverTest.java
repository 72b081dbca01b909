package io.homeostat.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementResolverTest {
    private static KeyValue attr(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    @Test
    void spanWinsOverScopeWhichWinsOverResource() {
        List<KeyValue> span = List.of(attr("requirement", "REQ-SPAN"));
        List<KeyValue> scope = List.of(attr("requirement", "REQ-SCOPE"));
        List<KeyValue> resource = List.of(attr("requirement", "REQ-RESOURCE"), attr("service.name", "svc"));
        assertThat(RequirementResolver.requirement(span, scope, resource)).isEqualTo("REQ-SPAN");
        assertThat(RequirementResolver.requirement(List.of(), scope, resource)).isEqualTo("REQ-SCOPE");
        assertThat(RequirementResolver.requirement(List.of(), List.of(), resource)).isEqualTo("REQ-RESOURCE");
        assertThat(RequirementResolver.requirement(List.of(attr("requirement", " ")), List.of(), List.of())).isNull();
        assertThat(RequirementResolver.serviceName(resource)).isEqualTo("svc");
        assertThat(RequirementResolver.serviceName(List.of())).isEqualTo("unknown_service");
    }

    @Test
    void businessRulesAndConstraintsAreCommaSeparatedStringsOrArrays() {
        KeyValue array = KeyValue.newBuilder().setKey("business_rules").setValue(AnyValue.newBuilder()
                .setArrayValue(ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setStringValue("BR-001"))
                        .addValues(AnyValue.newBuilder().setStringValue("BR-002")))).build();
        assertThat(RequirementResolver.keys("business_rules", List.of(array), List.of(), List.of()))
                .containsExactly("BR-001", "BR-002");
        assertThat(RequirementResolver.keys("constraints", List.of(), List.of(attr("constraints", "C-001, C-002")), List.of()))
                .containsExactly("C-001", "C-002");
        assertThat(RequirementResolver.keys("constraints", List.of(), List.of(), List.of())).isEmpty();
    }
}

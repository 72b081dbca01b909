package io.homeostat.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;

/** Reading OTLP attribute lists, which are small: a linear scan beats building a map. */
public final class Attributes {
    private Attributes() {}

    /** The attribute's value as text, or {@code null} when absent or empty. */
    public static String text(List<KeyValue> attributes, String key) {
        for (int i = 0, n = attributes.size(); i < n; i++) {
            KeyValue kv = attributes.get(i);
            if (kv.getKey().equals(key)) {
                String text = asText(kv.getValue());
                return text == null || text.isBlank() ? null : text.trim();
            }
        }
        return null;
    }

    /** The attribute as a list of strings: string arrays, or one comma-separated string. */
    public static List<String> list(List<KeyValue> attributes, String key) {
        for (KeyValue kv : attributes) {
            if (!kv.getKey().equals(key)) continue;
            AnyValue value = kv.getValue();
            List<String> out = new ArrayList<>();
            if (value.hasArrayValue()) {
                for (AnyValue item : value.getArrayValue().getValuesList()) {
                    String text = asText(item);
                    if (text != null) splitInto(text, out);
                }
            } else {
                String text = asText(value);
                if (text != null) splitInto(text, out);
            }
            return out;
        }
        return List.of();
    }

    private static void splitInto(String text, List<String> out) {
        for (String part : text.split(",")) {
            String trimmed = part.trim();
            if (!trimmed.isEmpty()) out.add(trimmed);
        }
    }

    static String asText(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesCount() == 0
                    ? null : asText(value.getArrayValue().getValues(0));
            default -> null;
        };
    }
}

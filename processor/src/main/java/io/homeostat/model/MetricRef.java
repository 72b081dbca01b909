package io.homeostat.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A metric and the attribute matches its data points must have: {@code where} maps an attribute to the
 * values it may take ({@code {"status": ["success", "failure"]}}); a point matches when it has every
 * attribute with one of the listed values.
 */
public record MetricRef(String metric, Map<String, List<String>> where) {
    public MetricRef {
        where = where == null ? Map.of() : Map.copyOf(new TreeMap<>(where));
    }

    public boolean matches(Map<String, String> attributes) {
        for (Map.Entry<String, List<String>> condition : where.entrySet()) {
            String value = attributes.get(condition.getKey());
            if (value == null || !condition.getValue().contains(value)) return false;
        }
        return true;
    }
}

package io.homeostat.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The names an OTLP metric and its attributes get in Prometheus, as Prometheus' own OTLP receiver gives them
 * (the {@code otlptranslator} library, {@code prometheus/otlptranslator} at 51da773, translation strategy
 * {@code UnderscoreEscapingWithSuffixes}, Prometheus 3's default; the Collector's
 * {@code prometheusremotewrite} exporter names alike):
 * <ul>
 *   <li>the name is split into words at every character outside {@code [a-zA-Z0-9:]} (so {@code .}, {@code -}
 *       and runs of {@code _} all become one {@code _});</li>
 *   <li>the unit (UCUM, as the instrument declares it) is appended unless the name already has that word:
 *       {@code ms} → {@code milliseconds}, {@code s} → {@code seconds}, {@code By} → {@code bytes}, ...;
 *       {@code X/Y} adds {@code X_per_Y} ({@code /s} → {@code per_second}); {@code 1} and {@code {...}} units add
 *       nothing, so {@code login_latency_ms} with unit {@code ms} is {@code login_latency_ms_milliseconds};</li>
 *   <li>a monotonic counter ends in {@code _total} (a {@code total} word elsewhere is dropped); a gauge with unit
 *       {@code 1} ends in {@code _ratio};</li>
 *   <li>a leading digit gets {@code _}; histograms then have {@code _bucket}, {@code _sum}, {@code _count} series
 *       (exponential ones are native histograms under the name itself);</li>
 *   <li>attribute names become label names with every other character than {@code [a-zA-Z0-9]} (runs of them)
 *       as one {@code _} and {@code key_} before a leading digit.</li>
 * </ul>
 * {@link Style#RAW} is the strategy {@code UnderscoreEscapingWithoutSuffixes}: invalid characters become
 * {@code _}, nothing is appended (what the Collector's exporters do with {@code add_metric_suffixes: false}).
 */
public final class PrometheusNames {
    /** How metric names are made: {@code --metric-names otlp} (the default) or {@code raw}. */
    public enum Style { OTLP, RAW }

    private PrometheusNames() {}

    /** otlptranslator's {@code unitMap}. */
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
            Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
            Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
            Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
            Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
            Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
            Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
            Map.entry("1", ""), Map.entry("%", "percent"));

    /** otlptranslator's {@code perUnitMap}. */
    private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour", "d", "day",
            "w", "week", "mo", "month", "y", "year");

    /**
     * The Prometheus name of an OTLP metric (without the {@code _bucket}/{@code _sum}/{@code _count} of a
     * classic histogram's series).
     *
     * @param unit the instrument's unit, or null when unknown (nothing is appended for it)
     */
    public static String metric(String name, String unit, MetricType type, Style style) {
        if (style == Style.RAW) {
            String raw = String.join("_", split(name, true));
            return !raw.isEmpty() && Character.isDigit(raw.charAt(0)) ? "_" + raw : raw;
        }
        List<String> tokens = split(name, false);
        String[] suffixes = unitSuffixes(unit == null ? "" : unit);
        String main = cleanUp(suffixes[0]);
        String per = cleanUp(suffixes[1]);
        if (tokens.contains(main)) main = "";
        if (per.equals("per_")) {
            per = "";
        } else {
            if (per.endsWith("_")) per = per.substring(0, per.length() - 1);
            if (tokens.contains(per)) per = "";
        }
        if (!per.isEmpty() && main.endsWith("_")) main = main.substring(0, main.length() - 1);
        if (!main.isEmpty()) tokens.add(main);
        if (!per.isEmpty()) tokens.add(per);
        if (type.shape() == MetricType.Shape.MONOTONIC_SUM) {
            tokens.removeIf("total"::equals);
            tokens.add("total");
        }
        if ("1".equals(unit) && type.shape() == MetricType.Shape.GAUGE) {
            tokens.removeIf("ratio"::equals);
            tokens.add("ratio");
        }
        String joined = String.join("_", tokens);
        return !joined.isEmpty() && Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
    }

    /** An attribute's label name; the resource's {@code service.name} is {@code job}, as the OTLP receiver makes it. */
    public static String label(String attribute) {
        if (attribute.equals("service.name")) return "job";
        StringBuilder label = new StringBuilder();
        boolean previousReplaced = false;
        for (char c : attribute.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                label.append(c);
                previousReplaced = false;
            } else if (!previousReplaced) {
                label.append('_');
                previousReplaced = true;
            }
        }
        return label.length() > 0 && Character.isDigit(label.charAt(0)) ? "key_" + label : label.toString();
    }

    /** The words of a name: split at characters outside {@code [a-zA-Z0-9:]} ({@code keepUnderscores}: outside {@code [a-zA-Z0-9:_]}). */
    private static List<String> split(String name, boolean keepUnderscores) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        for (char c : name.toCharArray()) {
            boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':'
                    || (keepUnderscores && c == '_');
            if (valid) {
                token.append(c);
            } else if (token.length() > 0) {
                tokens.add(token.toString());
                token.setLength(0);
            }
        }
        if (token.length() > 0) tokens.add(token.toString());
        return tokens;
    }

    /** otlptranslator's {@code buildUnitSuffixes}: the main and the {@code per_} suffix, not yet cleaned up. */
    private static String[] unitSuffixes(String unit) {
        String[] parts = unit.split("/", 2);
        String main = "";
        String per = "";
        String mainUnit = parts[0].strip();
        if (!mainUnit.isEmpty() && !mainUnit.contains("{") && !mainUnit.contains("}")) {
            main = UNITS.getOrDefault(mainUnit, mainUnit);
        }
        if (parts.length > 1 && !parts[1].isEmpty()) {
            String perUnit = parts[1].strip();
            if (!perUnit.isEmpty() && !perUnit.contains("{") && !perUnit.contains("}")) {
                per = PER_UNITS.getOrDefault(perUnit, perUnit);
            }
            if (!per.isEmpty()) per = "per_" + per;
        }
        return new String[] {main, per};
    }

    /** otlptranslator's {@code cleanUpUnit}: invalid characters to {@code _}, runs collapsed, no leading {@code _}. */
    private static String cleanUp(String unit) {
        StringBuilder out = new StringBuilder();
        for (char c : unit.toCharArray()) {
            boolean valid = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
            char next = valid ? c : '_';
            if (next == '_' && out.length() > 0 && out.charAt(out.length() - 1) == '_') continue;
            out.append(next);
        }
        String cleaned = out.toString();
        return cleaned.startsWith("_") ? cleaned.substring(1) : cleaned;
    }
}

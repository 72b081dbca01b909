package io.homeostat.config;

/**
 * One thing wrong with a configuration file, where it is: printed like a compiler message,
 * {@code config/observability.yml:104:7: telemetry.homeostasis.REQ-F-AUTH-001: 'operator': unknown operator 'below'},
 * so that editors and CI logs link straight to the line.
 *
 * @param line 1-based; 0 when the problem has no place in the file (e.g. the file cannot be read)
 * @param column 1-based; 0 when unknown
 * @param path where in the document (dots for keys, [i] for list items); empty for the whole file
 */
public record ConfigProblem(String source, int line, int column, String path, String message) {

    public static ConfigProblem at(String source, YamlTree.Location location, String path, String message) {
        return location == null ? new ConfigProblem(source, 0, 0, path, message)
                : new ConfigProblem(source, location.line(), location.column(), path, message);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(source);
        if (line > 0) text.append(':').append(line);
        if (line > 0 && column > 0) text.append(':').append(column);
        text.append(": ");
        if (path != null && !path.isEmpty()) text.append(path).append(": ");
        return text.append(message).toString();
    }
}

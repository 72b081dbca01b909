package io.homeostat.cli;

import io.homeostat.model.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h} on the command line, as in the contract. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

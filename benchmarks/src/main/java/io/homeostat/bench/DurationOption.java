package io.homeostat.bench;

import io.homeostat.model.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Durations on the command line as the contract writes them ({@code 500ms}, {@code 5s}, {@code 20m}). */
public final class DurationOption implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return Durations.parse(value);
    }
}

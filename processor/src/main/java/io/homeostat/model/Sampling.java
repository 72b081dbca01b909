package io.homeostat.model;

/**
 * How the spans a target reads were sampled, when their trace state does not say it ({@code ot=th}): the seed's
 * {@code telemetry.traces} ({@code sample_rate}, {@code always_sample_errors}), or a target's own {@code sampling}.
 * A span without an adjusted count of its own then stands for {@code 1 / sample_rate} spans; with
 * {@code always_sample_errors}, every error was kept, so an error stands for itself alone.
 *
 * @param sampleRate         the share of spans kept, in (0, 1]
 * @param alwaysSampleErrors whether every error span was kept whatever the rate
 */
public record Sampling(double sampleRate, boolean alwaysSampleErrors) {
    public Sampling {
        if (!(sampleRate > 0 && sampleRate <= 1)) throw new IllegalArgumentException("sample_rate must be in (0, 1], was " + sampleRate);
    }
}

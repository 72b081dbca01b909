package io.homeostat.config;

import java.util.List;

/** The SLO targets as a Sloth spec file (the rules themselves come with {@link PrometheusRules#export}). */
public final class SloRulesExport {
    private SloRulesExport() {}

    /** The spec, and what it cannot say (notes, also its comments). */
    public record Spec(String yaml, List<String> notes) {}

    public static Spec sloth(TargetFiles.Loaded loaded, String sourceName, PrometheusNames.Style names) throws ConfigException {
        SloRules.Spec spec = SloRules.slothSpec(loaded, sourceName, names);
        return new Spec(spec.yaml(), spec.notes());
    }
}

package io.homeostat.testing;

import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.otlp.OtlpEncoding;

/** The exporter's name for an encoding the processor decodes. */
public final class ExportEncodings {
    private ExportEncodings() {}

    public static KafkaExporterEncoding of(OtlpEncoding encoding) {
        return encoding == OtlpEncoding.JSON ? KafkaExporterEncoding.OTLP_JSON : KafkaExporterEncoding.OTLP_PROTO;
    }
}

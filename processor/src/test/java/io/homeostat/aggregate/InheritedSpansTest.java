package io.homeostat.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.issues.IssueExtractor;
import io.homeostat.issues.IssuePartial;
import io.homeostat.otlp.OtlpDecoder;
import io.homeostat.otlp.OtlpEncoding;
import io.homeostat.otlp.SpanScanner;
import io.homeostat.otlp.SpanSummaries;
import io.homeostat.testing.ExportEncodings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spans that only inherited their requirement (the tagging library marks them {@code requirement.inherited = true}):
 * left out of the span SLIs, still traced for production issues; unmarked spans count as before.
 */
class InheritedSpansTest {
    private static final AttributeKey<String> REQUIREMENT = AttributeKey.stringKey("requirement");
    private static final AttributeKey<Boolean> INHERITED = AttributeKey.booleanKey("requirement.inherited");

    /** {@code logins} logins, each with a database query inside; the query fails in {@code failing} of them. */
    static List<SpanData> logins(int logins, int failing, boolean markInner) {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            Tracer tracer = provider.get("app");
            for (int i = 0; i < logins; i++) {
                Span login = tracer.spanBuilder("REQ-F-AUTH-001:login").setAttribute(REQUIREMENT, "REQ-F-AUTH-001").startSpan();
                try (Scope ignored = login.makeCurrent()) {
                    var query = tracer.spanBuilder("SELECT users").setAttribute(REQUIREMENT, "REQ-F-AUTH-001");
                    if (markInner) query.setAttribute(INHERITED, true);
                    Span select = query.startSpan();
                    if (i < failing) {
                        select.recordException(new IllegalStateException("connection refused"));
                        select.setStatus(StatusCode.ERROR, "connection refused");
                    }
                    select.end();
                } finally {
                    login.end();
                }
            }
            return exporter.getFinishedSpanItems();
        }
    }

    record Folded(SpanAggregate spans, IssueExtractor.Batch issues, int inherited) {}

    static Folded fold(List<SpanData> spans) throws Exception {
        byte[] request = KafkaSpanExporter.marshal(spans, ExportEncodings.of(OtlpEncoding.PROTOBUF));
        SpanSummaries summaries = new SpanSummaries();
        OtlpDecoder.scanTraces(request, OtlpEncoding.PROTOBUF, new SpanScanner(), summaries);
        SpanSliceBuffer buffer = new SpanSliceBuffer();
        SpanFolder folder = new SpanFolder(3_600_000L * 24 * 365 * 100, buffer);
        folder.fold(summaries, 0);
        SpanAggregate all = new SpanAggregate();
        buffer.drain().forEach(p -> all.merge(p.spans()));
        return new Folded(all, IssueExtractor.fromSpans(summaries.fullSpans(), 0), folder.inherited());
    }

    @Test
    void markedInnerSpansAreLeftOutOfTheSlisButTheirErrorsAreIssues() throws Exception {
        Folded folded = fold(logins(40, 3, true));
        assertThat(folded.spans().count()).as("the logins only, not their queries").isEqualTo(40);
        assertThat(folded.spans().errors()).as("the logins did not fail themselves").isZero();
        assertThat(folded.inherited()).isEqualTo(40);
        assertThat(folded.issues().occurrences()).as("the failed queries are production issues").isEqualTo(3);
        assertThat(folded.issues().issues().values()).singleElement().extracting(IssuePartial::requirement)
                .isEqualTo("REQ-F-AUTH-001");
    }

    @Test
    void unmarkedInnerSpansCountAsBefore() throws Exception {
        Folded folded = fold(logins(40, 3, false));
        assertThat(folded.spans().count()).isEqualTo(80);
        assertThat(folded.spans().errors()).isEqualTo(3);
        assertThat(folded.inherited()).isZero();
        assertThat(folded.issues().occurrences()).isEqualTo(3);
    }
}

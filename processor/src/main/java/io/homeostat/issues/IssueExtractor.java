package io.homeostat.issues;

import com.google.protobuf.ByteString;
import io.homeostat.otlp.Attributes;
import io.homeostat.otlp.RequirementResolver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the errors in one OTLP export request and folds them into one {@link IssuePartial} per issue:
 * the per-batch pre-aggregation that keeps per-occurrence records off the repartition topic.
 *
 * <p>Errors are {@code exception} span events (each one an occurrence), spans with status ERROR that
 * recorded no exception event but say what failed (a status message or an {@code error.type}), and log
 * records of severity ERROR or above. A bare ERROR status with neither message nor type (typically a
 * parent span marking a failure that a child recorded as an exception) opens no issue of its own; it is
 * still an error in the span SLIs. An error without a requirement is an issue of requirement
 * {@value #UNKNOWN_REQUIREMENT}, one per service (as the seed's tracer does), unless that is switched off: then it is
 * only counted.
 */
// Implements: REQ-RUNTIME-003 (production errors traced back to their requirement)
public final class IssueExtractor {
    public static final String EXCEPTION_EVENT = "exception";
    public static final String EXCEPTION_TYPE = "exception.type";
    public static final String EXCEPTION_MESSAGE = "exception.message";
    public static final String EXCEPTION_STACKTRACE = "exception.stacktrace";
    public static final String ERROR_TYPE = "error.type";
    public static final String ENDUSER_ID = "enduser.id";
    /** Newer semantic conventions replace {@code enduser.id} with {@code user.id}; both are read. */
    public static final String USER_ID = "user.id";
    public static final String SEVERITY = "severity";
    public static final String ERROR_SEVERITY = "error.severity";
    /**
     * The requirement of an error that names none, as the seed's {@code trace_context.get("requirement", "UNKNOWN")}:
     * such errors are issues of their service (the service is part of the issue's identity).
     */
    public static final String UNKNOWN_REQUIREMENT = "UNKNOWN";
    private static final HexFormat HEX = HexFormat.of();
    private static final int TRACE_ID_BYTES = 16;
    private static final int SPAN_ID_BYTES = 8;

    private IssueExtractor() {}

    /**
     * The issues of one request.
     *
     * @param issues                  one partial per issue id, in order of first appearance
     * @param occurrences             error occurrences found (with a requirement)
     * @param records                 spans or log records read
     * @param bareErrorSpans          spans with status ERROR that say nothing about the error (no issue)
     * @param unattributedByService   log records without a requirement, per service (spans are counted by
     *                                the span aggregation already)
     */
    public record Batch(Map<String, IssuePartial> issues, long occurrences, long records, long bareErrorSpans,
                        Map<String, Long> unattributedByService) {}

    /** @param fallbackTimeMs event time for spans that carry none (the Kafka record's timestamp) */
    public static Batch fromSpans(ExportTraceServiceRequest request, long fallbackTimeMs) {
        return fromSpans(request, fallbackTimeMs, false);
    }

    /** @param unknownIssues errors without a requirement are issues of {@value #UNKNOWN_REQUIREMENT} */
    public static Batch fromSpans(ExportTraceServiceRequest request, long fallbackTimeMs, boolean unknownIssues) {
        Folder folder = new Folder(unknownIssues);
        long spans = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            List<KeyValue> resource = resourceSpans.getResource().getAttributesList();
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                List<KeyValue> scope = scopeSpans.getScope().getAttributesList();
                for (Span span : scopeSpans.getSpansList()) {
                    spans++;
                    boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
                    if (!error && span.getEventsCount() == 0) continue; // the common case, kept cheap
                    fromSpan(span, scope, resource, fallbackTimeMs, error, folder);
                }
            }
        }
        return folder.batch(spans);
    }

    private static void fromSpan(Span span, List<KeyValue> scope, List<KeyValue> resource, long fallbackTimeMs,
                                 boolean error, Folder folder) {
        List<KeyValue> own = span.getAttributesList();
        long endMs = span.getEndTimeUnixNano() > 0 ? span.getEndTimeUnixNano() / 1_000_000L : fallbackTimeMs;
        boolean sawException = false;
        Context context = null;
        for (Span.Event event : span.getEventsList()) {
            if (!EXCEPTION_EVENT.equals(event.getName())) continue;
            sawException = true;
            if (context == null) context = folder.context(own, scope, resource);
            if (context == null) return; // no requirement: counted with the span SLIs
            List<KeyValue> attrs = event.getAttributesList();
            String type = firstNonNull(Attributes.text(attrs, EXCEPTION_TYPE), Attributes.text(own, ERROR_TYPE),
                    Occurrence.UNSPECIFIED_TYPE);
            String message = orEmpty(Attributes.text(attrs, EXCEPTION_MESSAGE));
            String userId = firstNonNull(userId(attrs), userId(own), null);
            long timeMs = event.getTimeUnixNano() > 0 ? event.getTimeUnixNano() / 1_000_000L : endMs;
            boolean critical = SeverityRules.messageSaysCritical(message) || saysCritical(attrs) || saysCritical(own);
            folder.add(new Occurrence(context.requirement, context.service, context.businessRules, context.constraints,
                    type, message, orEmpty(Attributes.text(attrs, EXCEPTION_STACKTRACE)), id(span.getTraceId(), TRACE_ID_BYTES),
                    id(span.getSpanId(), SPAN_ID_BYTES), timeMs, userId, critical));
        }
        if (!error || sawException) return;
        String message = orEmpty(span.getStatus().getMessage()).trim();
        String type = Attributes.text(own, ERROR_TYPE);
        if (message.isEmpty() && type == null) {
            folder.bareErrorSpans++;
            return;
        }
        context = folder.context(own, scope, resource);
        if (context == null) return;
        folder.add(new Occurrence(context.requirement, context.service, context.businessRules, context.constraints,
                type == null ? Occurrence.UNSPECIFIED_TYPE : type, message, "", id(span.getTraceId(), TRACE_ID_BYTES),
                id(span.getSpanId(), SPAN_ID_BYTES), endMs, userId(own),
                SeverityRules.messageSaysCritical(message) || saysCritical(own)));
    }

    /** @param fallbackTimeMs event time for log records that carry none (the Kafka record's timestamp) */
    public static Batch fromLogs(ExportLogsServiceRequest request, long fallbackTimeMs) {
        return fromLogs(request, fallbackTimeMs, false);
    }

    /** @param unknownIssues error log records without a requirement are issues of {@value #UNKNOWN_REQUIREMENT} */
    public static Batch fromLogs(ExportLogsServiceRequest request, long fallbackTimeMs, boolean unknownIssues) {
        Folder folder = new Folder(unknownIssues);
        long records = 0;
        for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
            List<KeyValue> resource = resourceLogs.getResource().getAttributesList();
            for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
                List<KeyValue> scope = scopeLogs.getScope().getAttributesList();
                for (LogRecord log : scopeLogs.getLogRecordsList()) {
                    records++;
                    List<KeyValue> own = log.getAttributesList();
                    int severity = log.getSeverityNumberValue();
                    boolean error = SeverityRules.isErrorLog(severity, log.getSeverityText());
                    boolean tagged = RequirementResolver.requirement(own, scope, resource) != null;
                    if (!tagged) folder.unattributed.merge(RequirementResolver.serviceName(resource), 1L, Long::sum);
                    Context context = error ? folder.context(own, scope, resource) : null;
                    if (context == null) continue;
                    String body = text(log.getBody());
                    String message = body.isEmpty() ? orEmpty(Attributes.text(own, EXCEPTION_MESSAGE)) : body;
                    String type = firstNonNull(Attributes.text(own, EXCEPTION_TYPE), Attributes.text(own, ERROR_TYPE),
                            Occurrence.UNSPECIFIED_TYPE);
                    long timeNanos = log.getTimeUnixNano() > 0 ? log.getTimeUnixNano() : log.getObservedTimeUnixNano();
                    boolean critical = SeverityRules.isCriticalLog(severity, log.getSeverityText())
                            || SeverityRules.messageSaysCritical(message) || saysCritical(own);
                    folder.add(new Occurrence(context.requirement, context.service, context.businessRules,
                            context.constraints, type, message, orEmpty(Attributes.text(own, EXCEPTION_STACKTRACE)),
                            id(log.getTraceId(), TRACE_ID_BYTES), id(log.getSpanId(), SPAN_ID_BYTES),
                            timeNanos > 0 ? timeNanos / 1_000_000L : fallbackTimeMs, userId(own), critical));
                }
            }
        }
        return folder.batch(records);
    }

    /** Requirement context of a span or log record, resolved once per record that has an error. */
    private record Context(String requirement, String service, List<String> businessRules, List<String> constraints) {
        /** {@code null} when the record has no requirement, unless {@code unknown}: then {@value #UNKNOWN_REQUIREMENT}. */
        static Context of(List<KeyValue> own, List<KeyValue> scope, List<KeyValue> resource, boolean unknown) {
            String requirement = RequirementResolver.requirement(own, scope, resource);
            if (requirement == null && !unknown) return null;
            return new Context(requirement == null ? UNKNOWN_REQUIREMENT : requirement, RequirementResolver.serviceName(resource),
                    RequirementResolver.businessRules(own, scope, resource),
                    RequirementResolver.keys(RequirementResolver.CONSTRAINTS, own, scope, resource));
        }
    }

    /** Folds occurrences into partials by issue id. */
    private static final class Folder {
        final boolean unknownIssues;
        final Map<String, IssuePartial> issues = new LinkedHashMap<>();
        final Map<String, Long> unattributed = new HashMap<>();
        long occurrences;
        long bareErrorSpans;

        Folder(boolean unknownIssues) {
            this.unknownIssues = unknownIssues;
        }

        Context context(List<KeyValue> own, List<KeyValue> scope, List<KeyValue> resource) {
            return Context.of(own, scope, resource, unknownIssues);
        }

        void add(Occurrence occurrence) {
            occurrences++;
            IssuePartial.Key key = IssuePartial.keyOf(occurrence);
            IssuePartial partial = issues.get(key.issueId());
            if (partial == null) {
                issues.put(key.issueId(), IssuePartial.of(key, occurrence));
            } else {
                partial.add(occurrence);
            }
        }

        Batch batch(long records) {
            return new Batch(issues, occurrences, records, bareErrorSpans, unattributed);
        }
    }

    private static String userId(List<KeyValue> attributes) {
        String user = Attributes.text(attributes, ENDUSER_ID);
        return user != null ? user : Attributes.text(attributes, USER_ID);
    }

    private static boolean saysCritical(List<KeyValue> attributes) {
        return SeverityRules.attributeSaysCritical(Attributes.text(attributes, SEVERITY))
                || SeverityRules.attributeSaysCritical(Attributes.text(attributes, ERROR_SEVERITY));
    }

    /** A log body as text: a string as is, a scalar printed; a structured body has no message. */
    private static String text(AnyValue body) {
        return switch (body.getValueCase()) {
            case STRING_VALUE -> body.getStringValue().trim();
            case INT_VALUE -> Long.toString(body.getIntValue());
            case DOUBLE_VALUE -> Double.toString(body.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(body.getBoolValue());
            default -> "";
        };
    }

    /** An id as hex, or {@code null} when absent, all zero or not of the length OTLP gives it (16 or 8 bytes). */
    private static String id(ByteString bytes, int length) {
        return bytes.size() != length || isZero(bytes) ? null : HEX.formatHex(bytes.toByteArray());
    }

    private static boolean isZero(ByteString bytes) {
        for (int i = 0; i < bytes.size(); i++) if (bytes.byteAt(i) != 0) return false;
        return true;
    }

    private static String firstNonNull(String a, String b, String c) {
        return a != null ? a : b != null ? b : c;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}

package io.homeostat.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the span SLIs need of each span of one export request, in request order: its requirement (span,
 * scope, else resource attribute), its service, start and end time, whether its status is ERROR, where its
 * trace id lies, its adjusted count (from the {@code ot=th} entry of its trace state, {@link SamplingThreshold})
 * and whether it only inherited its requirement (attribute {@value #INHERITED} = true). Column arrays, reused from request to request, so that reading a request
 * allocates nothing per span. Filled by {@link SpanScanner} straight from protobuf bytes, or by
 * {@link #addAll} from a decoded request (OTLP/JSON); both give the same summaries for the same request.
 *
 * <p>Spans that production issues need in full — status ERROR, or an {@code exception} event — are
 * available as {@link #fullSpans()}: a request holding only them, each with its resource and scope (and
 * their schema URLs). Holds one request at a time.
 */
public final class SpanSummaries {
    /**
     * The attribute the tagging library sets on spans that carry their requirement only because they ran inside
     * it (database and HTTP client spans): not counted by the span SLIs, still traced for production issues.
     */
    public static final String INHERITED = "requirement.inherited";
    private static final int INITIAL = 1024;

    private int count;
    private String[] requirements = new String[INITIAL];
    private String[] services = new String[INITIAL];
    private long[] startNanos = new long[INITIAL];
    private long[] endNanos = new long[INITIAL];
    private boolean[] errors = new boolean[INITIAL];
    private int[] traceIdOffsets = new int[INITIAL];
    private int[] traceIdLengths = new int[INITIAL];
    private double[] adjustedCounts = new double[INITIAL];
    private boolean[] inherited = new boolean[INITIAL];
    /** The protobuf request (scanner) or a scratch copy of the trace ids (decoded request). */
    private byte[] traceIdBytes = new byte[0];
    private int scratchUsed;
    private Supplier<ExportTraceServiceRequest> fullSpans = () -> ExportTraceServiceRequest.getDefaultInstance();
    private int fullSpanCount;

    /** Forgets the previous request; the arrays stay. */
    public void clear() {
        Arrays.fill(requirements, 0, count, null);
        Arrays.fill(services, 0, count, null);
        count = 0;
        scratchUsed = 0;
        fullSpanCount = 0;
        fullSpans = ExportTraceServiceRequest::getDefaultInstance;
    }

    public int size() {
        return count;
    }

    /** The span's requirement key, or {@code null} when it has none. */
    public String requirement(int i) {
        return requirements[i];
    }

    /** The {@code service.name} of the span's resource ({@value RequirementResolver#UNKNOWN_SERVICE} when none). */
    public String service(int i) {
        return services[i];
    }

    public long startNanos(int i) {
        return startNanos[i];
    }

    public long endNanos(int i) {
        return endNanos[i];
    }

    public boolean error(int i) {
        return errors[i];
    }

    /** How many spans the span stands for, from its trace state; {@link Double#NaN} when its trace state does not tell. */
    public double adjustedCount(int i) {
        return adjustedCounts[i];
    }

    /** Whether the span only inherited its requirement from the call it ran in ({@value #INHERITED}). */
    public boolean inherited(int i) {
        return inherited[i];
    }

    /** Length of the span's trace id in bytes (16 in valid OTLP; 0 when absent). */
    public int traceIdLength(int i) {
        return traceIdLengths[i];
    }

    /** Copies the span's trace id into {@code into} at {@code at}. */
    public void copyTraceId(int i, byte[] into, int at) {
        System.arraycopy(traceIdBytes, traceIdOffsets[i], into, at, traceIdLengths[i]);
    }

    /** The span's trace id in lowercase hex. */
    public String traceIdHex(int i) {
        return java.util.HexFormat.of().formatHex(traceIdBytes, traceIdOffsets[i], traceIdOffsets[i] + traceIdLengths[i]);
    }

    /** The spans that production issues need in full (ERROR, or an exception event), with their resource and scope. */
    public ExportTraceServiceRequest fullSpans() {
        return fullSpans.get();
    }

    /** How many spans {@link #fullSpans()} holds. */
    public int fullSpanCount() {
        return fullSpanCount;
    }

    // --- filling -------------------------------------------------------------------------------------

    void useTraceIdBytes(byte[] bytes) {
        traceIdBytes = bytes;
    }

    void setFullSpans(Supplier<ExportTraceServiceRequest> supplier, int spans) {
        fullSpans = supplier;
        fullSpanCount = spans;
    }

    void add(String requirement, String service, long start, long end, boolean error, int traceIdOffset, int traceIdLength,
             double adjustedCount, boolean inheritedRequirement) {
        if (count == requirements.length) grow();
        requirements[count] = RequirementResolver.usable(requirement);
        services[count] = service;
        startNanos[count] = start;
        endNanos[count] = end;
        errors[count] = error;
        traceIdOffsets[count] = traceIdOffset;
        traceIdLengths[count] = traceIdLength;
        adjustedCounts[count] = adjustedCount;
        inherited[count] = inheritedRequirement;
        count++;
    }

    private void grow() {
        int n = requirements.length * 2;
        requirements = Arrays.copyOf(requirements, n);
        services = Arrays.copyOf(services, n);
        startNanos = Arrays.copyOf(startNanos, n);
        endNanos = Arrays.copyOf(endNanos, n);
        errors = Arrays.copyOf(errors, n);
        traceIdOffsets = Arrays.copyOf(traceIdOffsets, n);
        traceIdLengths = Arrays.copyOf(traceIdLengths, n);
        adjustedCounts = Arrays.copyOf(adjustedCounts, n);
        inherited = Arrays.copyOf(inherited, n);
    }

    /**
     * Summarises a decoded request (OTLP/JSON, or any caller holding generated classes) exactly as
     * {@link SpanScanner} summarises its protobuf bytes.
     */
    public void addAll(ExportTraceServiceRequest request) {
        ExportTraceServiceRequest.Builder full = null;
        int fullCount = 0;
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            List<KeyValue> resource = resourceSpans.getResource().getAttributesList();
            String service = RequirementResolver.serviceName(resource);
            ResourceSpans.Builder fullResource = null;
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                List<KeyValue> scope = scopeSpans.getScope().getAttributesList();
                ScopeSpans.Builder fullScope = null;
                for (Span span : scopeSpans.getSpansList()) {
                    int length = span.getTraceId().size();
                    if (scratchUsed + length > traceIdBytes.length) {
                        traceIdBytes = Arrays.copyOf(traceIdBytes, Math.max(4096, 2 * (scratchUsed + length)));
                    }
                    span.getTraceId().copyTo(traceIdBytes, scratchUsed);
                    boolean error = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
                    add(RequirementResolver.requirement(span.getAttributesList(), scope, resource), service,
                            span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), error, scratchUsed, length,
                            SamplingThreshold.adjustedCount(span.getTraceState()), isInherited(span.getAttributesList()));
                    scratchUsed += length;
                    if (error || hasExceptionEvent(span)) {
                        if (fullScope == null) {
                            fullScope = ScopeSpans.newBuilder().setSchemaUrl(scopeSpans.getSchemaUrl());
                            if (scopeSpans.hasScope()) fullScope.setScope(scopeSpans.getScope());
                        }
                        fullScope.addSpans(span);
                        fullCount++;
                    }
                }
                if (fullScope != null) {
                    if (fullResource == null) {
                        fullResource = ResourceSpans.newBuilder().setSchemaUrl(resourceSpans.getSchemaUrl());
                        if (resourceSpans.hasResource()) fullResource.setResource(resourceSpans.getResource());
                    }
                    fullResource.addScopeSpans(fullScope);
                }
            }
            if (fullResource != null) {
                if (full == null) full = ExportTraceServiceRequest.newBuilder();
                full.addResourceSpans(fullResource);
            }
        }
        if (full != null) {
            ExportTraceServiceRequest built = full.build();
            setFullSpans(() -> built, fullCount);
        }
    }

    /** {@value #INHERITED} is {@code true} (a boolean, or the text {@code true}), the first of its key. */
    public static boolean isInherited(List<KeyValue> attributes) {
        for (KeyValue kv : attributes) {
            if (!INHERITED.equals(kv.getKey())) continue;
            return kv.getValue().hasBoolValue() ? kv.getValue().getBoolValue()
                    : kv.getValue().hasStringValue() && "true".equalsIgnoreCase(kv.getValue().getStringValue().trim());
        }
        return false;
    }

    static boolean hasExceptionEvent(Span span) {
        for (Span.Event event : span.getEventsList()) {
            if (SpanScanner.EXCEPTION_EVENT.equals(event.getName())) return true;
        }
        return false;
    }
}

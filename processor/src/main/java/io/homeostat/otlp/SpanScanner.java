package io.homeostat.otlp;

import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an OTLP {@code ExportTraceServiceRequest} in protobuf straight into {@link SpanSummaries}, without
 * building the generated message objects: per span only the requirement attribute (and the scope's and
 * resource's), the times, the status code and the trace id are taken; the spans that production issues
 * need in full (ERROR, or an {@code exception} event) are handed to the generated {@link Span} parser.
 *
 * <p>It accepts and rejects exactly what {@code ExportTraceServiceRequest.parseFrom} accepts and rejects,
 * and reads the same values: every field is walked and checked as the generated parser checks it (tags,
 * varints, lengths, nesting up to 100 messages deep, UTF-8 of every {@code string}, unknown fields of every
 * wire type including groups), a field that appears more than once is the last one (a message, the merge
 * of all), a field with an unexpected wire type is an unknown field, and an attribute is the first of its
 * key, as {@link Attributes#text} reads it. The tests compare both on SDK output and on hand-made wire
 * forms. Not thread-safe: one per stream task (it caches the text of requirement keys).
 */
public final class SpanScanner {
    static final String EXCEPTION_EVENT = "exception";
    private static final int RECURSION_LIMIT = 100;
    private static final int VARINT = 0;
    private static final int I64 = 1;
    private static final int LEN = 2;
    private static final int START_GROUP = 3;
    private static final int END_GROUP = 4;
    private static final int I32 = 5;
    private static final byte[] REQUIREMENT = RequirementResolver.REQUIREMENT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] SERVICE_NAME = RequirementResolver.SERVICE_NAME.getBytes(StandardCharsets.UTF_8);
    private static final byte[] EXCEPTION = EXCEPTION_EVENT.getBytes(StandardCharsets.UTF_8);
    private static final byte[] INHERITED = SpanSummaries.INHERITED.getBytes(StandardCharsets.UTF_8);
    /** How the generic walk checks the fields the scanner does not read itself. */
    private static final Schema LINK = Schema.of(Span.Link.getDescriptor());
    private static final Schema KEY_VALUE_LIST = Schema.of(io.opentelemetry.proto.common.v1.KeyValueList.getDescriptor());
    private static final Schema ANY_VALUE = Schema.of(io.opentelemetry.proto.common.v1.AnyValue.getDescriptor());
    private static final Schema KEY_VALUE = Schema.of(io.opentelemetry.proto.common.v1.KeyValue.getDescriptor());
    private static final Schema ENTITY_REF = Schema.of(io.opentelemetry.proto.common.v1.EntityRef.getDescriptor());

    private byte[] buf;
    private int pos;
    private int depth;
    private final TextCache texts = new TextCache();
    /** One AnyValue reading per nesting level (values nest in arrays), reused. */
    private AnyText[] anyTexts = new AnyText[16];
    private final KeyValueText keyValue = new KeyValueText();

    /**
     * Summarises {@code payload}, a protobuf {@code ExportTraceServiceRequest}, into {@code out} (cleared first).
     *
     * @throws InvalidProtocolBufferException when {@code ExportTraceServiceRequest.parseFrom} would throw
     */
    public void scan(byte[] payload, SpanSummaries out) throws InvalidProtocolBufferException {
        out.clear();
        out.useTraceIdBytes(payload);
        buf = payload;
        pos = 0;
        depth = 0;
        List<FullSpan> full = new ArrayList<>(0);
        try {
            int end = payload.length;
            int tag;
            while ((tag = readTag(end)) != 0) {
                if (tag == (1 << 3 | LEN)) {
                    int length = readLength(end);
                    enter();
                    resourceSpans(pos, pos + length, out, full);
                    depth--;
                } else {
                    skipField(tag, end);
                }
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw truncated(); // a length the reads below did not check; the generated parser says the same
        } finally {
            buf = null;
        }
        if (!full.isEmpty()) {
            List<FullSpan> spans = List.copyOf(full);
            byte[] bytes = payload;
            out.setFullSpans(() -> FullSpan.request(bytes, spans), spans.size());
        }
    }

    // --- the messages the scanner reads --------------------------------------------------------------

    /** A {@code ResourceSpans} in [start, end): its resource first (it may come last on the wire), then its spans. */
    private void resourceSpans(int start, int end, SpanSummaries out, List<FullSpan> full) throws InvalidProtocolBufferException {
        Context resource = new Context();
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | LEN -> {
                    int length = readLength(end);
                    enter();
                    resource.addOccurrence(pos, length);
                    resource(pos + length, resource);
                    depth--;
                }
                case 2 << 3 | LEN -> skipLengthDelimited(end); // scope spans: second pass
                case 3 << 3 | LEN -> {
                    int length = readLength(end);
                    string(length);
                    resource.schemaUrl(pos - length, length);
                }
                default -> skipField(tag, end);
            }
        }
        String service = RequirementResolver.service(resource.serviceFound ? resource.service : null);
        pos = start;
        while ((tag = readTag(end)) != 0) {
            if (tag == (2 << 3 | LEN)) {
                int length = readLength(end);
                enter();
                scopeSpans(pos, pos + length, resource, service, out, full);
                depth--;
            } else {
                skipField(tag, end); // read and checked in the first pass
            }
        }
        pos = end;
    }

    private void resource(int end, Context resource) throws InvalidProtocolBufferException {
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | LEN -> {
                    KeyValueText kv = keyValue(readLength(end));
                    if (!resource.requirementFound && kv.keyIs(buf, REQUIREMENT)) {
                        resource.requirementFound = true;
                        resource.requirement = kv.text(this);
                    } else if (!resource.serviceFound && kv.keyIs(buf, SERVICE_NAME)) {
                        resource.serviceFound = true;
                        resource.service = kv.text(this);
                    }
                }
                case 2 << 3 | VARINT -> readVarint64(end);
                case 3 << 3 | LEN -> message(readLength(end), ENTITY_REF);
                default -> skipField(tag, end);
            }
        }
    }

    private void scopeSpans(int start, int end, Context resource, String service, SpanSummaries out, List<FullSpan> full)
            throws InvalidProtocolBufferException {
        Context scope = new Context();
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | LEN -> {
                    int length = readLength(end);
                    enter();
                    scope.addOccurrence(pos, length);
                    scope(pos + length, scope);
                    depth--;
                }
                case 2 << 3 | LEN -> skipLengthDelimited(end); // spans: second pass
                case 3 << 3 | LEN -> {
                    int length = readLength(end);
                    string(length);
                    scope.schemaUrl(pos - length, length);
                }
                default -> skipField(tag, end);
            }
        }
        String outer = scope.requirement != null ? scope.requirement : resource.requirement;
        pos = start;
        while ((tag = readTag(end)) != 0) {
            if (tag == (2 << 3 | LEN)) {
                int length = readLength(end);
                enter();
                int spanStart = pos;
                if (span(pos + length, outer, service, out)) full.add(new FullSpan(resource, scope, spanStart, length));
                depth--;
            } else {
                skipField(tag, end);
            }
        }
        pos = end;
    }

    private void scope(int end, Context scope) throws InvalidProtocolBufferException {
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | LEN, 2 << 3 | LEN -> string(readLength(end)); // name, version
                case 3 << 3 | LEN -> {
                    KeyValueText kv = keyValue(readLength(end));
                    if (!scope.requirementFound && kv.keyIs(buf, REQUIREMENT)) {
                        scope.requirementFound = true;
                        scope.requirement = kv.text(this);
                    }
                }
                case 4 << 3 | VARINT -> readVarint64(end);
                default -> skipField(tag, end);
            }
        }
    }

    /** One span in [pos, end); returns whether production issues need it in full. */
    private boolean span(int end, String scopeRequirement, String service, SpanSummaries out) throws InvalidProtocolBufferException {
        int traceIdOffset = 0;
        int traceIdLength = 0;
        long start = 0;
        long finish = 0;
        int statusCode = 0;
        boolean requirementFound = false;
        String requirement = null;
        boolean inheritedFound = false;
        boolean inherited = false;
        double adjustedCount = Double.NaN;
        boolean exceptionEvent = false;
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | LEN -> {
                    traceIdLength = readLength(end);
                    traceIdOffset = pos;
                    pos += traceIdLength;
                }
                case 2 << 3 | LEN, 4 << 3 | LEN -> skipLengthDelimited(end); // span id, parent span id
                case 3 << 3 | LEN -> { // trace state: the last one on the wire, as the generated parser keeps it
                    int n = readLength(end);
                    string(n);
                    adjustedCount = n == 0 ? Double.NaN : SamplingThreshold.adjustedCount(buf, pos - n, n);
                }
                case 5 << 3 | LEN -> string(readLength(end)); // name
                case 6 << 3 | VARINT, 10 << 3 | VARINT, 12 << 3 | VARINT, 14 << 3 | VARINT -> readVarint64(end);
                case 7 << 3 | I64 -> start = readFixed64(end);
                case 8 << 3 | I64 -> finish = readFixed64(end);
                case 16 << 3 | I32 -> skipBytes(4, end);
                case 9 << 3 | LEN -> {
                    KeyValueText kv = keyValue(readLength(end));
                    if (!requirementFound && kv.keyIs(buf, REQUIREMENT)) {
                        requirementFound = true;
                        requirement = kv.text(this);
                    } else if (!inheritedFound && kv.keyIs(buf, INHERITED)) {
                        inheritedFound = true;
                        inherited = kv.isTrue(buf);
                    }
                }
                case 11 << 3 | LEN -> exceptionEvent |= event(readLength(end));
                case 13 << 3 | LEN -> message(readLength(end), LINK);
                case 15 << 3 | LEN -> statusCode = status(readLength(end), statusCode);
                default -> skipField(tag, end);
            }
        }
        boolean error = statusCode == 2; // STATUS_CODE_ERROR
        out.add(requirementFound && requirement != null ? requirement : scopeRequirement, service, start, finish, error,
                traceIdOffset, traceIdLength, adjustedCount, inherited);
        return error || exceptionEvent;
    }

    /** A status message; the code is the last one on the wire (occurrences merge). */
    private int status(int length, int code) throws InvalidProtocolBufferException {
        int end = pos + length;
        enter();
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 2 << 3 | LEN -> string(readLength(end));
                case 3 << 3 | VARINT -> code = (int) readVarint64(end);
                default -> skipField(tag, end);
            }
        }
        depth--;
        return code;
    }

    /** An event; returns whether its name is {@code exception}. */
    private boolean event(int length) throws InvalidProtocolBufferException {
        int end = pos + length;
        enter();
        boolean exception = false;
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | I64 -> skipBytes(8, end);
                case 2 << 3 | LEN -> {
                    int n = readLength(end);
                    string(n);
                    exception = Arrays.equals(buf, pos - n, pos, EXCEPTION, 0, EXCEPTION.length);
                }
                case 3 << 3 | LEN -> keyValue(readLength(end));
                case 4 << 3 | VARINT -> readVarint64(end);
                default -> skipField(tag, end);
            }
        }
        depth--;
        return exception;
    }

    /** A KeyValue of {@code length} bytes at pos: its key (the last on the wire) and its value, read as text. */
    private KeyValueText keyValue(int length) throws InvalidProtocolBufferException {
        int end = pos + length;
        enter();
        KeyValueText kv = keyValue;
        kv.reset(anyText(depth + 1));
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | LEN -> {
                    int n = readLength(end);
                    string(n);
                    kv.keyOffset = pos - n;
                    kv.keyLength = n;
                }
                case 2 << 3 | LEN -> {
                    int n = readLength(end);
                    enter();
                    anyValue(pos + n, kv.value);
                    depth--;
                }
                case 3 << 3 | VARINT -> readVarint64(end);
                default -> skipField(tag, end);
            }
        }
        depth--;
        return kv;
    }

    /**
     * An AnyValue in [pos, end), merged into {@code value}: the last oneof case on the wire wins, and array
     * occurrences add to one array (as the generated builder merges them), of which only the first
     * element's text matters.
     */
    private void anyValue(int end, AnyText value) throws InvalidProtocolBufferException {
        int tag;
        while ((tag = readTag(end)) != 0) {
            switch (tag) {
                case 1 << 3 | LEN -> {
                    int n = readLength(end);
                    string(n);
                    value.kind = AnyText.STRING;
                    value.offset = pos - n;
                    value.length = n;
                }
                case 2 << 3 | VARINT -> {
                    value.kind = AnyText.BOOL;
                    value.bits = readVarint64(end) != 0 ? 1 : 0;
                }
                case 3 << 3 | VARINT -> {
                    value.kind = AnyText.INT;
                    value.bits = readVarint64(end);
                }
                case 4 << 3 | I64 -> {
                    value.kind = AnyText.DOUBLE;
                    value.bits = readFixed64(end);
                }
                case 5 << 3 | LEN -> {
                    value.kind = AnyText.ARRAY;
                    int n = readLength(end);
                    enter();
                    arrayValue(pos + n, value);
                    depth--;
                }
                case 6 << 3 | LEN -> {
                    value.kind = AnyText.OTHER;
                    message(readLength(end), KEY_VALUE_LIST);
                }
                case 7 << 3 | LEN -> {
                    value.kind = AnyText.OTHER;
                    skipLengthDelimited(end);
                }
                case 8 << 3 | VARINT -> {
                    value.kind = AnyText.OTHER;
                    readVarint64(end);
                }
                default -> skipField(tag, end);
            }
        }
    }

    private void arrayValue(int end, AnyText array) throws InvalidProtocolBufferException {
        int tag;
        while ((tag = readTag(end)) != 0) {
            if (tag == (1 << 3 | LEN)) {
                int n = readLength(end);
                if (array.arrayCount++ == 0) {
                    enter();
                    AnyText first = anyText(depth).reset();
                    anyValue(pos + n, first);
                    array.firstText = first.rawText(this);
                    depth--;
                } else {
                    message(n, ANY_VALUE);
                }
            } else {
                skipField(tag, end);
            }
        }
    }

    private AnyText anyText(int level) {
        if (level >= anyTexts.length) anyTexts = Arrays.copyOf(anyTexts, Math.max(level + 1, anyTexts.length * 2));
        AnyText text = anyTexts[level];
        if (text == null) {
            text = new AnyText();
            anyTexts[level] = text;
        }
        return text;
    }

    // --- the generic walk: every other field, checked as the generated parser checks it ----------------

    /** A message of {@code length} bytes at pos, of the given schema, entered as a nested message. */
    private void message(int length, Schema schema) throws InvalidProtocolBufferException {
        int end = pos + length;
        enter();
        walk(end, schema);
        depth--;
    }

    private void walk(int end, Schema schema) throws InvalidProtocolBufferException {
        int tag;
        while ((tag = readTag(end)) != 0) {
            int field = tag >>> 3;
            int kind = field < schema.kinds.length ? schema.kinds[field] : Schema.UNKNOWN;
            int wireType = tag & 7;
            if (kind == Schema.STRING && wireType == LEN) {
                string(readLength(end));
            } else if (kind == Schema.MESSAGE && wireType == LEN) {
                message(readLength(end), schema.children[field]);
            } else if (kind != Schema.UNKNOWN && kind != Schema.STRING && kind != Schema.MESSAGE && wireType == kind) {
                skipField(tag, end); // a scalar of the expected wire type (bytes: LEN)
            } else {
                skipField(tag, end);
            }
        }
    }

    // --- wire primitives -----------------------------------------------------------------------------

    /** The next tag before {@code end}, or 0 at {@code end}. An end-group tag here ends no group: an error. */
    private int readTag(int end) throws InvalidProtocolBufferException {
        if (pos >= end) return 0;
        int tag = buf[pos];
        if (tag >= 8) {
            pos++; // a one-byte tag of fields 1 to 15: nearly all of them (0 to 7 would be field 0)
            if ((tag & 7) == END_GROUP) throw endGroupMismatch();
            return tag;
        }
        tag = (int) readVarint64(end);
        if (tag >>> 3 == 0) throw new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).");
        if ((tag & 7) == END_GROUP) throw endGroupMismatch();
        return tag;
    }

    private void enter() throws InvalidProtocolBufferException {
        if (depth >= RECURSION_LIMIT) {
            throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting.  May be malicious.  "
                    + "Use setRecursionLimit() to increase the recursion depth limit.");
        }
        depth++;
    }

    private long readVarint64(int end) throws InvalidProtocolBufferException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw truncated();
            byte b = buf[pos++];
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) return result;
        }
        throw new InvalidProtocolBufferException("CodedInputStream encountered a malformed varint.");
    }

    private long readFixed64(int end) throws InvalidProtocolBufferException {
        if (end - pos < 8) throw truncated();
        long value = (buf[pos] & 0xFFL) | (buf[pos + 1] & 0xFFL) << 8 | (buf[pos + 2] & 0xFFL) << 16
                | (buf[pos + 3] & 0xFFL) << 24 | (buf[pos + 4] & 0xFFL) << 32 | (buf[pos + 5] & 0xFFL) << 40
                | (buf[pos + 6] & 0xFFL) << 48 | (buf[pos + 7] & 0xFFL) << 56;
        pos += 8;
        return value;
    }

    /** A length prefix, checked against the enclosing message's end. */
    private int readLength(int end) throws InvalidProtocolBufferException {
        int length;
        if (pos < end && buf[pos] >= 0) {
            length = buf[pos++]; // under 128 bytes
        } else {
            length = (int) readVarint64(end);
        }
        if (length < 0) throw new InvalidProtocolBufferException("CodedInputStream encountered an embedded string or message "
                + "which claimed to have negative size.");
        if (length > end - pos) throw truncated();
        return length;
    }

    /** Skips a length-delimited value. (Not {@code pos += readLength(end)}: Java would add to the old pos.) */
    private void skipLengthDelimited(int end) throws InvalidProtocolBufferException {
        int length = readLength(end);
        pos += length;
    }

    private void skipBytes(int n, int end) throws InvalidProtocolBufferException {
        if (end - pos < n) throw truncated();
        pos += n;
    }

    /** A {@code string} of {@code length} bytes at pos: must be UTF-8. */
    private void string(int length) throws InvalidProtocolBufferException {
        if (!Utf8Check.isValid(buf, pos, length)) throw new InvalidProtocolBufferException("Protocol message had invalid UTF-8.");
        pos += length;
    }

    /** Skips a field the message does not know (or of an unexpected wire type), as it lands in the unknown fields. */
    private void skipField(int tag, int end) throws InvalidProtocolBufferException {
        switch (tag & 7) {
            case VARINT -> readVarint64(end);
            case I64 -> skipBytes(8, end);
            case LEN -> skipLengthDelimited(end);
            case START_GROUP -> skipGroup(tag >>> 3, end);
            case I32 -> skipBytes(4, end);
            default -> throw new InvalidProtocolBufferException("Protocol message tag had invalid wire type.");
        }
    }

    /** An unknown group: fields up to the end-group tag of the same number, nesting counted like messages. */
    private void skipGroup(int field, int end) throws InvalidProtocolBufferException {
        enter();
        while (true) {
            if (pos >= end) throw truncated();
            int tag = (int) readVarint64(end);
            if (tag >>> 3 == 0) throw new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).");
            if ((tag & 7) == END_GROUP) {
                if (tag >>> 3 != field) throw endGroupMismatch();
                break;
            }
            skipField(tag, end);
        }
        depth--;
    }

    private static InvalidProtocolBufferException truncated() {
        return new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly in the middle "
                + "of a field.  This could mean either that the input has been truncated or that an embedded message "
                + "misreported its own length.");
    }

    private static InvalidProtocolBufferException endGroupMismatch() {
        return new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
    }

    // --- state ---------------------------------------------------------------------------------------

    /** A resource or scope: its occurrences on the wire (they merge), requirement, service, schema url. */
    static final class Context {
        boolean requirementFound;
        String requirement;
        boolean serviceFound;
        String service;
        int[] occurrences = new int[2];
        int occurrenceCount;
        int schemaUrlOffset = -1;
        int schemaUrlLength;

        void addOccurrence(int offset, int length) {
            if (occurrenceCount * 2 + 2 > occurrences.length) occurrences = Arrays.copyOf(occurrences, occurrences.length * 2);
            occurrences[occurrenceCount * 2] = offset;
            occurrences[occurrenceCount * 2 + 1] = length;
            occurrenceCount++;
        }

        void schemaUrl(int offset, int length) {
            schemaUrlOffset = offset;
            schemaUrlLength = length;
        }

        String schemaUrl(byte[] bytes) {
            return schemaUrlOffset < 0 ? "" : new String(bytes, schemaUrlOffset, schemaUrlLength, StandardCharsets.UTF_8);
        }
    }

    /** A KeyValue being read: where its key is, and its value. */
    static final class KeyValueText {
        int keyOffset;
        int keyLength;
        AnyText value;

        void reset(AnyText text) {
            keyOffset = 0;
            keyLength = 0;
            value = text.reset();
        }

        boolean keyIs(byte[] bytes, byte[] key) {
            return keyLength == key.length && Arrays.equals(bytes, keyOffset, keyOffset + keyLength, key, 0, key.length);
        }

        /** The value is {@code true}: a boolean, or the text {@code true} (any case, trimmed), as {@link SpanSummaries} reads it. */
        boolean isTrue(byte[] bytes) {
            if (value.kind == AnyText.BOOL) return value.bits != 0;
            if (value.kind != AnyText.STRING) return false;
            String text = new String(bytes, value.offset, value.length, StandardCharsets.UTF_8).trim();
            return text.equalsIgnoreCase("true");
        }

        /** As {@link Attributes#text}: the value as text, trimmed; {@code null} when absent or blank. */
        String text(SpanScanner scanner) {
            if (value.kind == AnyText.STRING) return scanner.texts.trimmed(scanner.buf, value.offset, value.length);
            String raw = value.rawText(scanner);
            return raw == null || raw.isBlank() ? null : raw.trim();
        }
    }

    /** An AnyValue as {@link Attributes#asText} reads it. */
    static final class AnyText {
        static final int NONE = 0;
        static final int STRING = 1;
        static final int BOOL = 2;
        static final int INT = 3;
        static final int DOUBLE = 4;
        static final int ARRAY = 5;
        static final int OTHER = 6;
        int kind;
        int offset;
        int length;
        long bits;
        int arrayCount;
        String firstText;

        AnyText reset() {
            kind = NONE;
            arrayCount = 0;
            firstText = null;
            return this;
        }

        String rawText(SpanScanner scanner) {
            return switch (kind) {
                case STRING -> new String(scanner.buf, offset, length, StandardCharsets.UTF_8);
                case BOOL -> Boolean.toString(bits != 0);
                case INT -> Long.toString(bits);
                case DOUBLE -> Double.toString(Double.longBitsToDouble(bits));
                case ARRAY -> arrayCount == 0 ? null : firstText;
                default -> null;
            };
        }
    }

    /**
     * Attribute texts by their bytes, trimmed ({@code null} when blank): requirement keys and service names
     * repeat in every request, so their strings are made once. Bounded: cleared when full.
     */
    static final class TextCache {
        private static final int SIZE = 4096;
        private final byte[][] keys = new byte[SIZE][];
        private final String[] values = new String[SIZE];
        private int used;

        String trimmed(byte[] bytes, int offset, int length) {
            int hash = 1;
            for (int i = offset; i < offset + length; i++) hash = 31 * hash + bytes[i];
            int slot = (hash ^ (hash >>> 16)) & (SIZE - 1);
            for (int probe = 0; probe < 8; probe++) {
                int at = (slot + probe) & (SIZE - 1);
                byte[] key = keys[at];
                if (key == null) {
                    String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
                    String value = text.isBlank() ? null : text.trim();
                    if (used >= SIZE / 2) clear();
                    keys[at] = Arrays.copyOfRange(bytes, offset, offset + length);
                    values[at] = value;
                    used++;
                    return value;
                }
                if (key.length == length && Arrays.equals(key, 0, length, bytes, offset, offset + length)) return values[at];
            }
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            return text.isBlank() ? null : text.trim();
        }

        private void clear() {
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
            used = 0;
        }
    }

    /** A span production issues need in full: where it lies, and its resource and scope. */
    record FullSpan(Context resource, Context scope, int offset, int length) {
        /** A request holding only these spans, each under its resource and scope, in request order. */
        static ExportTraceServiceRequest request(byte[] bytes, List<FullSpan> spans) {
            try {
                ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
                Map<Context, ResourceSpans.Builder> resources = new HashMap<>();
                Map<Context, ScopeSpans.Builder> scopes = new HashMap<>();
                List<Context> resourceOrder = new ArrayList<>();
                Map<Context, List<Context>> scopeOrder = new HashMap<>();
                for (FullSpan span : spans) {
                    ResourceSpans.Builder rs = resources.get(span.resource());
                    if (rs == null) {
                        rs = ResourceSpans.newBuilder().setSchemaUrl(span.resource().schemaUrl(bytes));
                        Resource.Builder resource = Resource.newBuilder();
                        for (int i = 0; i < span.resource().occurrenceCount; i++) {
                            resource.mergeFrom(bytes, span.resource().occurrences[2 * i], span.resource().occurrences[2 * i + 1]);
                        }
                        if (span.resource().occurrenceCount > 0) rs.setResource(resource);
                        resources.put(span.resource(), rs);
                        resourceOrder.add(span.resource());
                    }
                    ScopeSpans.Builder ss = scopes.get(span.scope());
                    if (ss == null) {
                        ss = ScopeSpans.newBuilder().setSchemaUrl(span.scope().schemaUrl(bytes));
                        InstrumentationScope.Builder scope = InstrumentationScope.newBuilder();
                        for (int i = 0; i < span.scope().occurrenceCount; i++) {
                            scope.mergeFrom(bytes, span.scope().occurrences[2 * i], span.scope().occurrences[2 * i + 1]);
                        }
                        if (span.scope().occurrenceCount > 0) ss.setScope(scope);
                        scopes.put(span.scope(), ss);
                        scopeOrder.computeIfAbsent(span.resource(), r -> new ArrayList<>()).add(span.scope());
                    }
                    ss.addSpans(Span.parser().parseFrom(bytes, span.offset(), span.length()));
                }
                for (Context resource : resourceOrder) {
                    ResourceSpans.Builder rs = resources.get(resource);
                    for (Context scope : scopeOrder.get(resource)) rs.addScopeSpans(scopes.get(scope));
                    request.addResourceSpans(rs);
                }
                return request.build();
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("a span the scanner accepted did not parse", e);
            }
        }
    }

    /** For each field number of a message: how the generic walk checks it. */
    static final class Schema {
        static final int UNKNOWN = -1;
        /** Scalars are their wire type (0, 1, 2 for bytes, 5); strings and messages are these. */
        static final int STRING = 10;
        static final int MESSAGE = 11;
        final int[] kinds;
        final Schema[] children;

        private Schema(int size) {
            kinds = new int[size];
            Arrays.fill(kinds, UNKNOWN);
            children = new Schema[size];
        }

        static Schema of(Descriptors.Descriptor descriptor) {
            return of(descriptor, new HashMap<>());
        }

        private static Schema of(Descriptors.Descriptor descriptor, Map<String, Schema> built) {
            Schema existing = built.get(descriptor.getFullName());
            if (existing != null) return existing;
            int max = 0;
            for (Descriptors.FieldDescriptor f : descriptor.getFields()) max = Math.max(max, f.getNumber());
            Schema schema = new Schema(max + 1);
            built.put(descriptor.getFullName(), schema);
            for (Descriptors.FieldDescriptor f : descriptor.getFields()) {
                if (f.isPackable()) throw new IllegalStateException("packed fields are not walked: " + f.getFullName());
                schema.kinds[f.getNumber()] = switch (f.getType()) {
                    case STRING -> STRING;
                    case MESSAGE -> MESSAGE;
                    case BYTES -> LEN;
                    case DOUBLE, FIXED64, SFIXED64 -> I64;
                    case FLOAT, FIXED32, SFIXED32 -> I32;
                    case GROUP -> throw new IllegalStateException("groups are not walked: " + f.getFullName());
                    default -> VARINT;
                };
                if (f.getType() == Descriptors.FieldDescriptor.Type.MESSAGE) {
                    schema.children[f.getNumber()] = of(f.getMessageType(), built);
                }
            }
            return schema;
        }
    }

    /** The same request's generated form, for callers that need it whole (and the tests). */
    static ExportTraceServiceRequest parse(byte[] payload) throws InvalidProtocolBufferException {
        return ExportTraceServiceRequest.parseFrom(payload);
    }
}

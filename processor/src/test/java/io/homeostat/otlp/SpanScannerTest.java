package io.homeostat.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.homeostat.aggregate.SliceKey;
import io.homeostat.aggregate.SpanAggregate;
import io.homeostat.aggregate.SpanAggregateCodec;
import io.homeostat.aggregate.SpanBatchAggregator;
import io.homeostat.exporter.kafka.KafkaSpanExporter;
import io.homeostat.exporter.kafka.KafkaExporterEncoding;
import io.homeostat.testing.SdkSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scanner against the generated classes: for every input, both accept it or both reject it, and when
 * they accept it the scanner's span summaries (and the partial aggregates made from them) are exactly those
 * of the generated path. Inputs: SDK-produced batches, every way the protobuf wire format lets an encoder
 * write a request that the SDKs never write, broken input, and random mutations of all of these.
 */
class SpanScannerTest {
    private static final Instant END = Instant.parse("2026-11-24T10:15:30.123Z");
    private static final long END_NANOS = END.getEpochSecond() * 1_000_000_000L + END.getNano();
    private static final byte[] TRACE_ID = HexFormat.of().parseHex("0af7651916cd43dd8448eb211c80319c");

    // --- SDK-produced ------------------------------------------------------------------------------

    @Test
    void sdkBatchesScanToTheSameSummariesAndPartials() throws Exception {
        try (SdkSpans sdk = new SdkSpans("customer-portal")) {
            sdk.span("POST /login", Map.of("requirement", "REQ-NFR-PERF-001", "constraints", "C-001"), END, 742.5, false);
            sdk.span("login", Map.of("requirement", "REQ-F-AUTH-001", "business_rules", "BR-001,BR-002"), END, 12, true);
            sdk.span("untagged", Map.of("http.route", "/health"), END, 1, false);
            sdk.spans("REQ-F-AUTH-001", 40, END.plusSeconds(7), new double[] {5, 50, 500}, 4);
            sdk.span("blank", Map.of("requirement", "   "), END, 3, false);
            byte[] payload = sdk.batch(OtlpEncoding.PROTOBUF);

            SpanSummaries scanned = assertSameAsGenerated(payload);

            assertThat(scanned.size()).isEqualTo(44);
            assertThat(scanned.requirement(0)).isEqualTo("REQ-NFR-PERF-001");
            assertThat(scanned.requirement(2)).isNull();
            assertThat(scanned.service(2)).isEqualTo("customer-portal");
            assertThat(scanned.endNanos(0) - scanned.startNanos(0)).isEqualTo(742_500_000L);
            assertThat(scanned.error(1)).isTrue();
            // the ERROR spans (recordException: an exception event) are handed over whole
            assertThat(scanned.fullSpanCount()).isEqualTo(5);
            assertThat(scanned.fullSpans().getResourceSpans(0).getScopeSpans(0).getSpans(0).getEventsList())
                    .extracting(io.opentelemetry.proto.trace.v1.Span.Event::getName).containsExactly("exception");
        }
    }

    @Test
    void sdkSpansWithARequirementOnTheResourceOnlyAndAnExceptionOnAHealthySpan() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(io.opentelemetry.sdk.resources.Resource.getDefault().merge(io.opentelemetry.sdk.resources.Resource
                        .builder().put(AttributeKey.stringKey("service.name"), "billing")
                        .put(AttributeKey.stringKey("requirement"), "REQ-F-BILL-007").build()))
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
            long end = END_NANOS;
            Span ok = provider.get("t").spanBuilder("charge").setStartTimestamp(end - 5_000_000, TimeUnit.NANOSECONDS).startSpan();
            ok.recordException(new IllegalArgumentException("retried")); // an exception event on a span that succeeded
            ok.end(end, TimeUnit.NANOSECONDS);
            Span failed = provider.get("t").spanBuilder("refund").setStartTimestamp(end - 9_000_000, TimeUnit.NANOSECONDS)
                    .setAttribute("requirement", "REQ-F-BILL-009").startSpan();
            failed.setStatus(StatusCode.ERROR, "declined");
            failed.end(end, TimeUnit.NANOSECONDS);
            byte[] payload = KafkaSpanExporter.marshal(exporter.getFinishedSpanItems(), KafkaExporterEncoding.OTLP_PROTO);

            SpanSummaries scanned = assertSameAsGenerated(payload);

            assertThat(scanned.requirement(0)).isEqualTo("REQ-F-BILL-007");
            assertThat(scanned.requirement(1)).isEqualTo("REQ-F-BILL-009");
            assertThat(scanned.fullSpanCount()).isEqualTo(2);
        }
    }

    // --- what the wire format allows ---------------------------------------------------------------

    @Test
    void requirementFromScopeThenResourceAndTheFirstAttributeOfAKeyWins() throws Exception {
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder().addAttributes(text("requirement", "REQ-RESOURCE"))
                                .addAttributes(text("service.name", "  checkout  ")).addAttributes(text("service.name", "other")))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("lib").addAttributes(text("requirement", "REQ-SCOPE")))
                                .addSpans(span("plain"))
                                .addSpans(span("own").toBuilder().addAttributes(text("requirement", " REQ-OWN ")))
                                .addSpans(span("first-blank").toBuilder().addAttributes(text("requirement", " "))
                                        .addAttributes(text("requirement", "REQ-SECOND"))))
                        .addScopeSpans(ScopeSpans.newBuilder().addSpans(span("no-scope-requirement"))))
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span("bare"))))
                .build();

        SpanSummaries scanned = assertSameAsGenerated(request.toByteArray());

        assertThat(List.of(scanned.requirement(0), scanned.requirement(1), scanned.requirement(2), scanned.requirement(3)))
                .containsExactly("REQ-SCOPE", "REQ-OWN", "REQ-SCOPE", "REQ-RESOURCE");
        assertThat(scanned.requirement(4)).isNull();
        assertThat(scanned.service(0)).isEqualTo("checkout");
        assertThat(scanned.service(4)).isEqualTo(RequirementResolver.UNKNOWN_SERVICE);
    }

    @Test
    void everyKindOfAttributeValueReadsAsAttributesTextReadsIt() throws Exception {
        List<AnyValue> values = List.of(
                AnyValue.newBuilder().setIntValue(42).build(),
                AnyValue.newBuilder().setDoubleValue(0.5).build(),
                AnyValue.newBuilder().setBoolValue(true).build(),
                AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue(" REQ-A "))
                        .addValues(AnyValue.newBuilder().setStringValue("REQ-B"))).build(),
                AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()).build(),
                AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setArrayValue(
                        ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setIntValue(-7))))).build(),
                AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(text("k", "v"))).build(),
                AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("REQ-BYTES")).build(),
                AnyValue.newBuilder().setStringValueStrindex(3).build(),
                AnyValue.getDefaultInstance(),
                AnyValue.newBuilder().setStringValue("").build(),
                AnyValue.newBuilder().setStringValue("REQ-ÜNICODE-✓").build());
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        for (AnyValue value : values) {
            scope.addSpans(span("v").toBuilder().addAttributes(KeyValue.newBuilder().setKey("requirement").setValue(value)));
        }
        scope.addSpans(span("no value").toBuilder().addAttributes(KeyValue.newBuilder().setKey("requirement")));
        byte[] payload = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(scope)).build().toByteArray();

        SpanSummaries scanned = assertSameAsGenerated(payload);

        assertThat(scanned.requirement(0)).isEqualTo("42");
        assertThat(scanned.requirement(3)).isEqualTo("REQ-A");
        assertThat(scanned.requirement(5)).isEqualTo("-7");
        assertThat(scanned.requirement(6)).isNull();
        assertThat(scanned.requirement(11)).isEqualTo("REQ-ÜNICODE-✓");
    }

    @Test
    void missingFieldsAndTraceIdsOfOtherLengths() throws Exception {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                .addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder().addAttributes(text("requirement", "REQ-EMPTY")))
                .addSpans(span("no end").toBuilder().clearEndTimeUnixNano())
                .addSpans(span("no start").toBuilder().clearStartTimeUnixNano())
                .addSpans(span("short trace id").toBuilder().setTraceId(ByteString.copyFrom(new byte[8])))
                .addSpans(span("no trace id").toBuilder().clearTraceId().setStatus(Status.newBuilder()
                        .setCode(Status.StatusCode.STATUS_CODE_ERROR)))
                .addSpans(span("times past 2^63").toBuilder().setEndTimeUnixNano(-5).setStartTimeUnixNano(-10))
                .addSpans(span("unknown status code").toBuilder().setStatus(Status.newBuilder().setCodeValue(7)))
                .addSpans(span("ok status").toBuilder().setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)
                        .setMessage("fine")));
        byte[] payload = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(scope)).build().toByteArray();

        SpanSummaries scanned = assertSameAsGenerated(payload);

        assertThat(scanned.size()).isEqualTo(8);
        assertThat(scanned.traceIdLength(3)).isEqualTo(8);
        assertThat(scanned.error(4)).isTrue();
        assertThat(scanned.error(6)).isFalse();
        assertSameAsGenerated(new byte[0]); // an empty request is a valid one
    }

    @Test
    void traceStateGivesTheAdjustedCountAndTheInheritedMarkIsReadAsTheGeneratedClassesReadIt() throws Exception {
        Wire sampled = Wire.of().bytes(1, TRACE_ID).fixed64(8, END_NANOS)
                .string(3, "vendor=abc,ot=rv:0123456789abcd;th:e666").message(9, Wire.keyValue("requirement", "REQ-A"));
        Wire twoStates = Wire.of().bytes(1, TRACE_ID).fixed64(8, END_NANOS)
                .string(3, "ot=th:8").string(3, "ot=th:c")                                   // the last one on the wire
                .message(9, Wire.keyValue("requirement", "REQ-A"));
        Wire badThreshold = Wire.of().bytes(1, TRACE_ID).fixed64(8, END_NANOS)
                .string(3, "ot=th:123456789abcdef").message(9, Wire.keyValue("requirement", "REQ-A")); // 15 digits
        Wire inheritedBool = Wire.of().bytes(1, TRACE_ID).fixed64(8, END_NANOS)
                .message(9, Wire.keyValue("requirement", "REQ-A"))
                .message(9, Wire.of().string(1, "requirement.inherited").message(2, Wire.of().varint(2, 1)));
        Wire inheritedText = Wire.of().bytes(1, TRACE_ID).fixed64(8, END_NANOS)
                .message(9, Wire.keyValue("requirement.inherited", " TRUE "))
                .message(9, Wire.keyValue("requirement.inherited", "false"));               // the first of its key
        Wire notInherited = Wire.of().bytes(1, TRACE_ID).fixed64(8, END_NANOS)
                .message(9, Wire.keyValue("requirement.inherited", "no"));
        byte[] payload = Wire.of().message(1, Wire.of().message(2, Wire.of().message(2, sampled).message(2, twoStates)
                .message(2, badThreshold).message(2, inheritedBool).message(2, inheritedText).message(2, notInherited)))
                .build();

        SpanSummaries scanned = assertSameAsGenerated(payload);

        assertThat(scanned.adjustedCount(0)).isEqualTo(9.99938968568813);
        assertThat(scanned.adjustedCount(1)).isEqualTo(4.0);
        assertThat(scanned.adjustedCount(2)).isNaN();
        assertThat(scanned.adjustedCount(3)).isNaN();
        assertThat(scanned.inherited(0)).isFalse();
        assertThat(scanned.inherited(3)).isTrue();
        assertThat(scanned.inherited(4)).isTrue();
        assertThat(scanned.inherited(5)).isFalse();
    }

    @Test
    void repeatedSingularFieldsTakeTheLastAndMessagesMerge() throws Exception {
        Wire span = Wire.of()
                .bytes(1, new byte[16]).bytes(1, TRACE_ID)                       // trace id twice: the last
                .fixed64(7, END_NANOS - 9_000_000).fixed64(8, END_NANOS - 1).fixed64(8, END_NANOS) // end time twice
                .message(15, Wire.of().varint(3, 2))                             // status ERROR ...
                .message(15, Wire.of().string(2, "merged message"))              // ... merged with a message
                .message(9, Wire.of().message(2, Wire.of().string(1, "REQ-VALUE-FIRST")).string(1, "requirement")) // key after value
                .message(9, Wire.of().string(1, "requirement").string(1, "other")); // key twice: the last
        Wire spanWithTwoValues = Wire.of().fixed64(8, END_NANOS)
                .message(9, Wire.of().string(1, "requirement").message(2, Wire.of().string(1, "REQ-ONE"))
                        .message(2, Wire.of().string(1, "REQ-TWO")))               // value twice: merged, the last case
                .message(15, Wire.of().varint(3, 2)).message(15, Wire.of().varint(3, 1)); // status ERROR, then OK
        Wire spanWithArrayMerges = Wire.of().fixed64(8, END_NANOS)
                .message(9, Wire.of().string(1, "requirement")
                        .message(2, Wire.of().message(5, Wire.of().message(1, Wire.of().string(1, "REQ-ARRAY-1"))))
                        .message(2, Wire.of().string(1, "REQ-STRING"))
                        .message(2, Wire.of().message(5, Wire.of().message(1, Wire.of().string(1, "REQ-ARRAY-2")))));
        // the resource and the scope after the spans, each in two occurrences that merge
        Wire scopeSpans = Wire.of()
                .message(2, span).message(2, spanWithTwoValues).message(2, spanWithArrayMerges)
                .message(1, Wire.of().string(1, "lib"))
                .message(1, Wire.of().message(3, Wire.keyValue("team", "identity")))
                .string(3, "https://schema/scope");
        Wire resourceSpans = Wire.of()
                .message(2, scopeSpans)
                .message(1, Wire.of().message(1, Wire.keyValue("host.name", "h1")))
                .message(1, Wire.of().message(1, Wire.keyValue("service.name", "late-service"))
                        .message(1, Wire.keyValue("requirement", "REQ-LATE-RESOURCE")))
                .string(3, "https://schema/resource")
                .string(3, "https://schema/resource-2");
        byte[] payload = Wire.of().message(1, resourceSpans).build();

        SpanSummaries scanned = assertSameAsGenerated(payload);

        assertThat(scanned.requirement(0)).isEqualTo("REQ-VALUE-FIRST"); // its key came after its value
        assertThat(scanned.requirement(2)).isEqualTo("REQ-ARRAY-1");     // array occurrences add up, across the string
        assertThat(scanned.endNanos(0)).isEqualTo(END_NANOS);
        assertThat(scanned.error(0)).isTrue();
        assertThat(scanned.requirement(1)).isEqualTo("REQ-TWO");
        assertThat(scanned.error(1)).isFalse();
        assertThat(scanned.service(0)).isEqualTo("late-service");
        assertThat(scanned.fullSpans().getResourceSpans(0).getResource().getAttributesCount()).isEqualTo(3);
    }

    @Test
    void unknownFieldsOfEveryWireTypeAndKnownFieldsOfAnUnexpectedWireTypeAreSkipped() throws Exception {
        Wire unknown = Wire.of().varint(90, 12345).fixed64(91, -1).fixed32(92, 7).string(93, "unknown")
                .bytes(94, new byte[] {(byte) 0xFF, (byte) 0xFE}) // not UTF-8, but unknown fields are not checked
                .group(95, Wire.of().varint(1, 1).group(2, Wire.of().string(3, "nested group")));
        Wire span = Wire.of().raw(unknown).bytes(1, TRACE_ID).fixed64(7, END_NANOS - 5_000_000).fixed64(8, END_NANOS)
                .varint(8, 99)                         // end time as a varint: an unknown field, the fixed64 stays
                .bytes(6, new byte[] {2})             // kind as length-delimited: unknown
                .varint(15, 2)                        // status as a varint: unknown (not an ERROR status)
                .message(9, Wire.of().raw(unknown).string(1, "requirement").message(2, Wire.of().raw(unknown).string(1, "REQ-X")))
                .message(11, Wire.of().raw(unknown).string(2, "exception").message(3, Wire.keyValue("exception.type", "E")))
                .message(13, Wire.of().raw(unknown).bytes(1, TRACE_ID).string(3, "state").fixed32(6, 1));
        byte[] payload = Wire.of().raw(unknown)
                .message(1, Wire.of().raw(unknown)
                        .message(1, Wire.of().raw(unknown).message(1, Wire.keyValue("service.name", "svc")).varint(2, 3)
                                .message(3, Wire.of().string(1, "url").string(2, "type").string(3, "id").string(4, "desc")))
                        .message(2, Wire.of().raw(unknown).message(1, Wire.of().raw(unknown).string(1, "lib")).message(2, span)))
                .build();

        SpanSummaries scanned = assertSameAsGenerated(payload);

        assertThat(scanned.requirement(0)).isEqualTo("REQ-X");
        assertThat(scanned.endNanos(0)).isEqualTo(END_NANOS);
        assertThat(scanned.error(0)).isFalse();
        assertThat(scanned.fullSpanCount()).isEqualTo(1); // the exception event
    }

    @Test
    void brokenInputIsRejectedExactlyWhenTheGeneratedParserRejectsIt() throws Exception {
        byte[] good = sdkPayload();
        List<byte[]> broken = new ArrayList<>();
        for (int cut = 1; cut < good.length; cut++) broken.add(Arrays.copyOf(good, cut)); // every truncation
        byte[] invalidUtf8 = "REQ-\u00e9".getBytes(StandardCharsets.UTF_8);
        invalidUtf8[invalidUtf8.length - 1] = (byte) 0x28;
        broken.add(request(Wire.of().fixed64(8, END_NANOS).bytes(5, invalidUtf8)));                                  // span name
        broken.add(request(Wire.of().message(9, Wire.of().bytes(1, invalidUtf8).message(2, Wire.of().string(1, "v")))));   // key
        broken.add(request(Wire.of().message(9, Wire.of().string(1, "k").message(2, Wire.of().bytes(1, invalidUtf8)))));   // value
        broken.add(request(Wire.of().message(11, Wire.of().bytes(2, invalidUtf8))));                                       // event name
        broken.add(request(Wire.of().message(15, Wire.of().bytes(2, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})))); // surrogate
        broken.add(request(Wire.of().message(13, Wire.of().bytes(3, new byte[] {(byte) 0xC0, (byte) 0x80}))));              // overlong, link
        broken.add(Wire.of().tag(0, 0).rawVarint(1).build());                                                                 // field 0
        broken.add(Wire.of().tag(5, 6).build());                                                                              // wire type 6
        broken.add(Wire.of().tag(5, 7).build());                                                                              // wire type 7
        broken.add(Wire.of().tag(5, 4).build());                                                                              // stray end group
        broken.add(Wire.of().tag(5, 3).varint(1, 1).tag(6, 4).build());                                                       // wrong end group
        broken.add(Wire.of().tag(5, 3).varint(1, 1).build());                                                                 // open group
        broken.add(Wire.of().tag(1, 0).raw(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}).build());                  // 11-byte varint
        broken.add(Wire.of().tag(1, 2).rawVarint(-1L).build());                                                               // negative length
        broken.add(Wire.of().tag(1, 2).rawVarint(5).raw((byte) 0x0A, (byte) 0x07, (byte) 0, (byte) 0, (byte) 0).build());    // nested overrun
        for (byte[] payload : broken) {
            assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(payload)).as("the generated parser rejects it")
                    .isInstanceOf(InvalidProtocolBufferException.class);
            assertSameAsGenerated(payload);
        }
    }

    @Test
    void nestingIsLimitedToOneHundredMessagesAsInTheGeneratedParser() throws Exception {
        // request(0) > resource spans(1) > scope spans(2) > span(3) > key value(4) > any value(5) > array(6) > any value(7) ...
        for (int arrays = 44; arrays <= 50; arrays++) {
            Wire value = Wire.of().string(1, "REQ-DEEP");
            for (int i = 0; i < arrays; i++) value = Wire.of().message(5, Wire.of().message(1, value));
            assertSameAsGenerated(request(Wire.of().fixed64(8, END_NANOS)
                    .message(9, Wire.of().string(1, "requirement").message(2, value))));
            Wire group = Wire.of().varint(1, 1);
            for (int i = 0; i < 2 * arrays; i++) group = Wire.of().group(7, group);
            assertSameAsGenerated(request(Wire.of().raw(group)));
        }
    }

    @Test
    void randomMutationsOfValidRequestsAreAcceptedAndReadAlike() throws Exception {
        Random random = new Random(20261125);
        List<byte[]> seeds = List.of(sdkPayload(), request(Wire.of().bytes(1, TRACE_ID).fixed64(8, END_NANOS)
                .message(9, Wire.keyValue("requirement", "REQ-M")).message(15, Wire.of().varint(3, 2))
                .message(11, Wire.of().string(2, "exception").group(90, Wire.of().varint(1, 2)))));
        int accepted = 0;
        for (int i = 0; i < 4000; i++) {
            byte[] payload = seeds.get(i % seeds.size()).clone();
            for (int m = 0; m <= random.nextInt(3); m++) payload = mutate(payload, random);
            try {
                ExportTraceServiceRequest.parseFrom(payload);
                accepted++;
            } catch (InvalidProtocolBufferException e) {
                // rejected: the scanner must reject it too (checked below)
            }
            assertSameAsGenerated(payload);
        }
        assertThat(accepted).as("mutations the generated parser still accepts").isBetween(100, 3900);
    }

    @Test
    void theScannerIsReusableAcrossRequests() throws Exception {
        SpanScanner scanner = new SpanScanner();
        SpanSummaries summaries = new SpanSummaries();
        scanner.scan(sdkPayload(), summaries);
        int first = summaries.size();
        scanner.scan(request(Wire.of().fixed64(8, END_NANOS).message(9, Wire.keyValue("requirement", "REQ-Z"))), summaries);
        assertThat(first).isGreaterThan(1);
        assertThat(summaries.size()).isEqualTo(1);
        assertThat(summaries.requirement(0)).isEqualTo("REQ-Z");
        assertThat(summaries.fullSpanCount()).isZero();
    }

    @Test
    void utf8CheckAgreesWithProtobufOnEveryShortSequence() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int j = 0; j < bytes.length; j++) {
                int choice = random.nextInt(4);
                bytes[j] = (byte) (choice == 0 ? random.nextInt(0x80) : choice == 1 ? 0x80 + random.nextInt(0x40)
                        : 0xC0 + random.nextInt(0x40));
            }
            assertThat(Utf8Check.isValid(bytes, 0, bytes.length)).as(HexFormat.of().formatHex(bytes))
                    .isEqualTo(ByteString.copyFrom(bytes).isValidUtf8());
        }
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** Both paths accept or both reject; when accepted, returns the scanner's summaries after comparing them. */
    static SpanSummaries assertSameAsGenerated(byte[] payload) throws Exception {
        ExportTraceServiceRequest parsed;
        try {
            parsed = ExportTraceServiceRequest.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            assertThatThrownBy(() -> new SpanScanner().scan(payload, new SpanSummaries()))
                    .as("the scanner rejects what the generated parser rejects (%s)", e.getMessage())
                    .isInstanceOf(InvalidProtocolBufferException.class);
            return null;
        }
        SpanSummaries expected = new SpanSummaries();
        expected.addAll(parsed);
        SpanSummaries scanned = new SpanSummaries();
        new SpanScanner().scan(payload, scanned);
        assertThat(rows(scanned)).as("span summaries").isEqualTo(rows(expected));
        assertThat(scanned.fullSpanCount()).isEqualTo(expected.fullSpanCount());
        assertThat(scanned.fullSpans()).as("spans handed over whole").isEqualTo(expected.fullSpans());
        assertSamePartials(SpanBatchAggregator.aggregate(parsed, 5_000, 42), SpanBatchAggregator.aggregate(scanned, 5_000, 42));
        return scanned;
    }

    static List<String> rows(SpanSummaries s) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < s.size(); i++) {
            byte[] traceId = new byte[s.traceIdLength(i)];
            s.copyTraceId(i, traceId, 0);
            rows.add(s.requirement(i) + " | " + s.service(i) + " | " + s.startNanos(i) + " | " + s.endNanos(i) + " | "
                    + s.error(i) + " | " + HexFormat.of().formatHex(traceId) + " | " + s.adjustedCount(i) + " | " + s.inherited(i));
        }
        return rows;
    }

    static void assertSamePartials(SpanBatchAggregator.Result expected, SpanBatchAggregator.Result actual) {
        assertThat(actual.spans()).isEqualTo(expected.spans());
        assertThat(actual.latestEventTimeMs()).isEqualTo(expected.latestEventTimeMs());
        assertThat(actual.unattributedByService()).isEqualTo(expected.unattributedByService());
        assertThat(actual.partials().keySet()).containsExactlyElementsOf(expected.partials().keySet());
        for (Map.Entry<SliceKey, SpanAggregate> e : expected.partials().entrySet()) {
            assertThat(SpanAggregateCodec.encode(actual.partials().get(e.getKey())))
                    .as("partial %s", e.getKey()).isEqualTo(SpanAggregateCodec.encode(e.getValue()));
        }
    }

    private static byte[] mutate(byte[] payload, Random random) {
        if (payload.length == 0) return new byte[] {(byte) random.nextInt(256)};
        int at = random.nextInt(payload.length);
        return switch (random.nextInt(5)) {
            case 0 -> {
                payload[at] = (byte) random.nextInt(256);
                yield payload;
            }
            case 1 -> {
                payload[at] ^= (byte) (1 << random.nextInt(8));
                yield payload;
            }
            case 2 -> Arrays.copyOf(payload, at);
            case 3 -> {
                byte[] longer = new byte[payload.length + 1];
                System.arraycopy(payload, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(256);
                System.arraycopy(payload, at, longer, at + 1, payload.length - at);
                yield longer;
            }
            default -> {
                byte[] shorter = new byte[payload.length - 1];
                System.arraycopy(payload, 0, shorter, 0, at);
                System.arraycopy(payload, at + 1, shorter, at, payload.length - at - 1);
                yield shorter;
            }
        };
    }

    private static byte[] sdkPayload() {
        try (SdkSpans sdk = new SdkSpans("customer-portal")) {
            sdk.span("POST /login", Map.of("requirement", "REQ-NFR-PERF-001"), END, 742.5, false);
            sdk.span("login", Map.of("requirement", "REQ-F-AUTH-001"), END, 12, true);
            return sdk.batch(OtlpEncoding.PROTOBUF);
        }
    }

    /** A request with one resource, one scope and the given span. */
    private static byte[] request(Wire span) {
        return Wire.of().message(1, Wire.of().message(2, Wire.of().message(2, span))).build();
    }

    private static io.opentelemetry.proto.trace.v1.Span span(String name) {
        return io.opentelemetry.proto.trace.v1.Span.newBuilder().setName(name).setTraceId(ByteString.copyFrom(TRACE_ID))
                .setStartTimeUnixNano(END_NANOS - 25_000_000).setEndTimeUnixNano(END_NANOS).build();
    }

    private static KeyValue text(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }
}

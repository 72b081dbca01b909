package io.homeostat.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON, which is the protobuf JSON mapping with one exception: trace and span ids are hex strings,
 * not base64 (OTLP specification, "JSON Protobuf Encoding"). Enum values as integers, int64 as strings or
 * numbers, and lowerCamelCase or original field names are all accepted by protobuf's own parser.
 */
final class OtlpJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ID_FIELDS =
            Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private OtlpJson() {}

    static void merge(byte[] json, Message.Builder builder) throws OtlpDecodeException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new OtlpDecodeException("not valid JSON: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new OtlpDecodeException("OTLP/JSON must be a JSON object");
        }
        hexIdsToBase64(tree);
        try {
            PARSER.merge(tree.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException("not an OTLP/JSON " + builder.getDescriptorForType().getName() + ": "
                    + e.getMessage(), e);
        }
    }

    private static void hexIdsToBase64(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            List<Map.Entry<String, JsonNode>> replacements = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = field.getValue();
                if (ID_FIELDS.contains(field.getKey()) && value.isTextual()) {
                    replacements.add(Map.entry(field.getKey(), TextNode.valueOf(hexToBase64(value.asText()))));
                } else if (value.isContainerNode()) {
                    hexIdsToBase64(value);
                }
            }
            replacements.forEach(r -> object.set(r.getKey(), r.getValue()));
        } else if (node.isArray()) {
            node.forEach(OtlpJson::hexIdsToBase64);
        }
    }

    /** Hex ids become base64 for protobuf's parser; a value that is not hex is left for it to reject. */
    private static String hexToBase64(String id) {
        if (id.isEmpty()) return id;
        try {
            return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(id));
        } catch (IllegalArgumentException notHex) {
            return id;
        }
    }
}

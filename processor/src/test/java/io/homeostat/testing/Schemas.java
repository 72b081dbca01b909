package io.homeostat.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validation against the JSON Schemas in {@code schemas/}, with the networknt validator (2020-12). The output schemas
 * (alerts, status, issues, intents) are open to fields a later release adds; tests validate against their strict form
 * ({@link #schema}: every open object closed), so that a field Homeostat writes but the schema does not describe still
 * fails. {@link #published} is the schema as consumers get it.
 */
public final class Schemas {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A schema's $ref to another of ours (by its $id) reads the repository's file, never the network. */
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix("https://homeostat.io/schemas/",
                    RepoFiles.resolve("schemas").toUri().toString().replaceAll("/?$", "/"))));
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private Schemas() {}

    public static JsonSchema schema(String file) {
        return CACHE.computeIfAbsent("strict:" + file, f -> FACTORY.getSchema(closed(read(file))));
    }

    /** The schema as published: the output schemas accept fields they do not know. */
    public static JsonSchema published(String file) {
        return CACHE.computeIfAbsent(file, f -> FACTORY.getSchema(read(file)));
    }

    private static JsonNode read(String file) {
        try {
            return MAPPER.readTree(Files.readAllBytes(RepoFiles.resolve("schemas/" + file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object schema with {@code properties} and {@code "additionalProperties": true} closed. */
    static JsonNode closed(JsonNode schema) {
        JsonNode copy = schema.deepCopy();
        close(copy);
        return copy;
    }

    private static void close(JsonNode node) {
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
            if (object.has("properties") && object.path("additionalProperties").isBoolean()
                    && object.get("additionalProperties").asBoolean()) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(Schemas::close);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(Schemas::close);
        }
    }

    public static Set<ValidationMessage> validate(String schemaFile, JsonNode document) {
        return schema(schemaFile).validate(document);
    }

    public static void assertValid(String schemaFile, byte[] json) {
        try {
            assertValid(schemaFile, MAPPER.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void assertValid(String schemaFile, JsonNode document) {
        assertThat(validate(schemaFile, document)).as("%s against %s", document, schemaFile).isEmpty();
    }
}

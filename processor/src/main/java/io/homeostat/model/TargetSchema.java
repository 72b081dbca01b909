package io.homeostat.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The published target schema ({@code schemas/target.schema.json}, packaged into the jar by the build),
 * enforced with the networknt validator: a target the processor applies always validates against the
 * schema users read.
 */
public final class TargetSchema {
    public static final String RESOURCE = "/schemas/target.schema.json";
    private static final JsonSchema SCHEMA = load();

    private TargetSchema() {}

    private static JsonSchema load() {
        try (InputStream in = TargetSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Json.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema's complaints about a target, one line each; empty when it validates. */
    public static List<String> validate(JsonNode target) {
        return SCHEMA.validate(target).stream().map(ValidationMessage::getMessage).sorted().toList();
    }
}

package io.homeostat.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.homeostat.model.Json;
import java.util.Map;

/**
 * An answer of the status API: a status code and a JSON body. Errors are {@code {"error": <code>, "message":
 * <what happened and what to do>, "status": <HTTP status>}} (schemas/api-error.schema.json).
 */
record ApiResponse(int status, JsonNode body, Map<String, String> headers) {
    /** Seconds a client waits before it asks again while stores are not queryable (a rebalance takes seconds). */
    static final int RETRY_AFTER_SECONDS = 2;

    static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body, Map.of());
    }

    static ApiResponse notFound(String message) {
        return error(404, "not_found", message);
    }

    static ApiResponse unavailable(String message) {
        ObjectNode body = errorBody(503, "unavailable", message);
        body.put("retry_after_seconds", RETRY_AFTER_SECONDS);
        return new ApiResponse(503, body, Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)));
    }

    static ApiResponse error(int status, String code, String message) {
        return new ApiResponse(status, errorBody(status, code, message), Map.of());
    }

    private static ObjectNode errorBody(int status, String code, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        body.put("status", status);
        return body;
    }
}

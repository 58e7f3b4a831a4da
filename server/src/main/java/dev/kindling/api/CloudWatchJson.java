package dev.kindling.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.IOException;
import java.time.Instant;

/**
 * CloudWatch's JSON 1.0 protocol ({@code X-Amz-Target: GraniteServiceVersion20100801.<Operation>}), the one the SDK
 * for JavaScript v3 speaks. The service is "query compatible": an error's {@code __type} is the model's error shape,
 * and {@code x-amzn-query-error: <Code>;<Sender|Receiver>} carries the query protocol's code that clients show.
 */
final class CloudWatchJson implements CloudWatchWire {
    static final String TARGET_PREFIX = "GraniteServiceVersion20100801.";
    static final String SHAPE_PREFIX = "com.amazonaws.cloudwatch#";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    private static final ObjectMapper MAPPER = Json.MAPPER.copy().registerModule(timestamps());

    @Override
    public String operation(ApiRequest request) {
        String target = request.header("X-Amz-Target").orElse("");
        return target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
    }

    @Override
    public JsonNode input(ApiRequest request) {
        return readMembers(MAPPER, request, "JSON", "a JSON object");
    }

    /** The request body's members (none for an empty body), read by {@code mapper}: JSON 1.0's and CBOR's alike. */
    static JsonNode readMembers(ObjectMapper mapper, ApiRequest request, String format, String object) {
        if (request.body().length == 0) {
            return Json.object();
        }
        try {
            JsonNode node = mapper.readTree(request.body());
            if (node == null || !node.isObject()) {
                throw CloudWatchError.validation("The request body must be " + object + ".");
            }
            return node;
        } catch (IOException e) {
            throw CloudWatchError.of(400, "SerializationException", "The request body is not valid " + format + ".");
        }
    }

    @Override
    public ApiResponse output(String operation, ObjectNode result, String requestId) {
        return ApiResponse.bytes(200, write(MAPPER, result), CONTENT_TYPE);
    }

    @Override
    public ApiResponse error(CloudWatchError error, String requestId) {
        ObjectNode body = Json.object().put("__type", SHAPE_PREFIX + error.type()).put("message", error.getMessage());
        return ApiResponse.bytes(error.status(), write(MAPPER, body), CONTENT_TYPE)
                .withHeader("x-amzn-query-error", queryError(error));
    }

    static String queryError(CloudWatchError error) {
        return error.code() + ";" + (error.senderFault() ? "Sender" : "Receiver");
    }

    static byte[] write(ObjectMapper mapper, JsonNode tree) {
        try {
            return mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Timestamps as JSON and CBOR write them: epoch seconds (with milliseconds as a fraction), and in CBOR behind the
     * tag 1 (epoch-based date/time) that Smithy RPC v2 requires.
     */
    static SimpleModule timestamps() {
        return new SimpleModule().addSerializer(new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                if (gen instanceof CBORGenerator cbor) {
                    cbor.writeTag(1);
                }
                long millis = value.toEpochMilli();
                if (millis % 1000 == 0) {
                    gen.writeNumber(millis / 1000);
                } else {
                    gen.writeNumber(millis / 1000.0);
                }
            }
        });
    }
}

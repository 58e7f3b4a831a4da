package dev.kindling.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.io.IOException;

/** The one ObjectMapper of the API, and the AWS errors for bodies that are not the JSON a request needs. */
public final class Json {
    /** Strings as long as the largest request AWS accepts: a base64 ZipFile of a 50 MB zip. */
    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(ApiServer.MAX_REQUEST_BYTES).build())
            .build());

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a request body that must be a JSON object; an empty body is an empty object. */
    public static JsonNode parseObject(byte[] body) {
        if (body.length == 0) {
            return object();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || !node.isObject()) {
                throw new LambdaException(ErrorType.InvalidRequestContentException,
                        "Could not parse request body into json: the body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new LambdaException(ErrorType.InvalidRequestContentException,
                    "Could not parse request body into json: " + firstLine(e.getMessage()));
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

package dev.kindling.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a function's result becomes the HTTP response under payload format 1.0, as API Gateway maps it. The result
 * must be an object with a {@code statusCode} (100-599); {@code multiValueHeaders} and {@code headers} are merged
 * (a pair given in both is sent once), {@code body} is a string, base64-decoded when {@code isBase64Encoded}; the
 * content type is application/json unless the headers say otherwise. Format 1.0 infers nothing: any other result
 * is malformed, and API Gateway answers it with 500.
 */
public final class PayloadV1Response {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PayloadV1Response() {}

    /** The response the result describes, or empty when it is malformed. */
    public static Optional<HttpAnswer> map(byte[] result) {
        JsonNode response;
        try {
            response = JSON.readTree(result);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (response == null || !response.isObject()) {
            return Optional.empty();
        }
        Optional<Integer> status = status(response.path("statusCode"));
        if (status.isEmpty() || status.get() < 100 || status.get() > 599) {
            return Optional.empty();
        }
        Optional<List<Map.Entry<String, String>>> headers = headers(response);
        Optional<byte[]> body = body(response);
        if (headers.isEmpty() || body.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HttpAnswer(status.get(), headers.get(), body.get()));
    }

    private static Optional<Integer> status(JsonNode code) {
        if (code.isIntegralNumber() && code.canConvertToInt()) {
            return Optional.of(code.asInt());
        }
        if (code.isTextual()) {
            try {
                return Optional.of(Integer.parseInt(code.asText().strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<List<Map.Entry<String, String>>> headers(JsonNode response) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        JsonNode multi = response.path("multiValueHeaders");
        JsonNode single = response.path("headers");
        if (!(multi.isMissingNode() || multi.isNull() || multi.isObject())
                || !(single.isMissingNode() || single.isNull() || single.isObject())) {
            return Optional.empty();
        }
        for (var header : multi.properties()) {
            if (!header.getValue().isArray()) {
                return Optional.empty();
            }
            for (JsonNode value : header.getValue()) {
                if (value.isValueNode() && !value.isNull()) {
                    headers.add(Map.entry(header.getKey(), value.asText()));
                }
            }
        }
        for (var header : single.properties()) {
            JsonNode value = header.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                return Optional.empty();
            }
            Map.Entry<String, String> pair = Map.entry(header.getKey(), value.asText());
            if (headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase(pair.getKey())
                    && h.getValue().equals(pair.getValue()))) {
                headers.add(pair);
            }
        }
        if (headers.stream().noneMatch(h -> h.getKey().toLowerCase(Locale.ROOT).equals("content-type"))) {
            headers.add(Map.entry("Content-Type", "application/json"));
        }
        return Optional.of(headers);
    }

    private static Optional<byte[]> body(JsonNode response) {
        JsonNode body = response.path("body");
        if (body.isMissingNode() || body.isNull()) {
            return Optional.of(new byte[0]);
        }
        if (!body.isTextual()) {
            return Optional.empty();
        }
        if (!response.path("isBase64Encoded").asBoolean(false)) {
            return Optional.of(body.asText().getBytes(StandardCharsets.UTF_8));
        }
        try {
            return Optional.of(Base64.getDecoder().decode(body.asText().replaceAll("\\s", "")));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

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

/**
 * How a function's result becomes the HTTP response under payload format 2.0 (function URLs, HTTP API routes), as
 * AWS maps it. An object with a {@code statusCode} is a response: its status (a number or a numeric string), its
 * {@code headers}, each of its {@code cookies} as a {@code set-cookie} header, its {@code body} (base64-decoded when
 * {@code isBase64Encoded}); the content type is application/json unless the headers say otherwise. Any other
 * result is sent as it is with status 200 and application/json, except a JSON string, whose text is the body.
 * A response that cannot be sent (a status outside 100-599, a body that is not base64 when it says it is) is a 502.
 */
public final class PayloadV2Response {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json";

    private PayloadV2Response() {}

    /** AWS's answer when the function failed or its response cannot be sent. */
    public static HttpAnswer badGateway() {
        return HttpAnswer.text(502, JSON_TYPE, "Internal Server Error");
    }

    public static HttpAnswer map(byte[] result) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(result);
        } catch (IOException e) {
            return new HttpAnswer(200, List.of(Map.entry("Content-Type", JSON_TYPE)), result);
        }
        if (parsed == null) {
            return new HttpAnswer(200, List.of(Map.entry("Content-Type", JSON_TYPE)), result);
        }
        if (parsed.isTextual()) {
            return HttpAnswer.text(200, JSON_TYPE, parsed.asText());
        }
        if (!parsed.isObject() || !parsed.has("statusCode")) {
            return new HttpAnswer(200, List.of(Map.entry("Content-Type", JSON_TYPE)), result);
        }
        return structured(parsed);
    }

    private static HttpAnswer structured(JsonNode response) {
        int status = status(response.get("statusCode"));
        if (status < 100 || status > 599) {
            return badGateway();
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean typed = false;
        for (var header : response.path("headers").properties()) {
            JsonNode value = header.getValue();
            if (value.isNull() || value.isContainerNode()) {
                continue;
            }
            typed |= header.getKey().toLowerCase(Locale.ROOT).equals("content-type");
            headers.add(Map.entry(header.getKey(), value.asText()));
        }
        if (!typed) {
            headers.add(Map.entry("Content-Type", JSON_TYPE));
        }
        for (JsonNode cookie : response.path("cookies")) {
            if (cookie.isTextual()) {
                headers.add(Map.entry("Set-Cookie", cookie.asText()));
            }
        }
        JsonNode body = response.path("body");
        byte[] bytes;
        if (body.isMissingNode() || body.isNull()) {
            bytes = new byte[0];
        } else if (!body.isTextual()) {
            bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        } else if (response.path("isBase64Encoded").asBoolean(false)) {
            try {
                bytes = Base64.getDecoder().decode(body.asText().replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                return badGateway();
            }
        } else {
            bytes = body.asText().getBytes(StandardCharsets.UTF_8);
        }
        return new HttpAnswer(status, headers, bytes);
    }

    private static int status(JsonNode code) {
        if (code.isIntegralNumber()) {
            return code.asInt();
        }
        if (code.isTextual()) {
            try {
                return Integer.parseInt(code.asText().strip());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}

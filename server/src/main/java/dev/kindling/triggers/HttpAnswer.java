package dev.kindling.triggers;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The HTTP response a trigger sends back for an invocation: status, headers in order (a name may repeat, as
 * {@code set-cookie} does), and the body.
 */
public record HttpAnswer(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    public HttpAnswer {
        headers = List.copyOf(headers);
    }

    /** A body of text with its content type. */
    public static HttpAnswer text(int status, String contentType, String body) {
        return new HttpAnswer(status, List.of(Map.entry("Content-Type", contentType)),
                body.getBytes(StandardCharsets.UTF_8));
    }
}

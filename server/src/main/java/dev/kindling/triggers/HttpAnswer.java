package dev.kindling.triggers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP response a trigger sends back for an invocation: status, headers in order (a name may repeat, as
 * {@code set-cookie} does), and the body: whole, or {@link #stream}ed as the function writes it (a RESPONSE_STREAM
 * function URL), in which case {@code body} is empty.
 */
public record HttpAnswer(int status, List<Map.Entry<String, String>> headers, byte[] body,
        Optional<BodyStream> stream) {
    public HttpAnswer {
        headers = List.copyOf(headers);
    }

    public HttpAnswer(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        this(status, headers, body, Optional.empty());
    }

    /** A body sent as it is produced; each flush of {@code out} reaches the client. */
    @FunctionalInterface
    public interface BodyStream {
        /** Writes the body; returns when it is complete. Throws IOException once the client has gone. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** A body of text with its content type. */
    public static HttpAnswer text(int status, String contentType, String body) {
        return new HttpAnswer(status, List.of(Map.entry("Content-Type", contentType)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** This answer with other headers, its body (whole or streamed) kept. */
    public HttpAnswer withHeaders(List<Map.Entry<String, String>> newHeaders) {
        return new HttpAnswer(status, newHeaders, body, stream);
    }

    /** This answer's status and headers, with a streamed body. */
    HttpAnswer streaming(BodyStream body) {
        return new HttpAnswer(status, headers, new byte[0], Optional.of(body));
    }
}

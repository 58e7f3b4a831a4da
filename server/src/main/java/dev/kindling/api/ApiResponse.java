package dev.kindling.api;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP response: status, headers and a body, either whole (sent with its length) or {@link #streamed} (written
 * as it is produced, sent chunked: an event stream such as a Live Tail session).
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body, String contentType,
        Optional<StreamedBody> streamed) {
    private static final byte[] EMPTY = new byte[0];

    /** A body produced while the response is sent; each flush of {@code out} reaches the client. */
    @FunctionalInterface
    public interface StreamedBody {
        /** Writes the body; returns when it is complete. Throws IOException once the client has gone. */
        void writeTo(OutputStream out) throws IOException;
    }

    public ApiResponse(int status, Map<String, String> headers, byte[] body, String contentType) {
        this(status, headers, body, contentType, Optional.empty());
    }

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, new LinkedHashMap<>(), Json.bytes(value), "application/json");
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, new LinkedHashMap<>(), EMPTY, null);
    }

    public static ApiResponse bytes(int status, byte[] body, String contentType) {
        return new ApiResponse(status, new LinkedHashMap<>(), body, contentType);
    }

    public static ApiResponse streamed(int status, String contentType, StreamedBody body) {
        return new ApiResponse(status, new LinkedHashMap<>(), EMPTY, contentType, Optional.of(body));
    }

    public ApiResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }
}

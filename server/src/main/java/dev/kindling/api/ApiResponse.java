package dev.kindling.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** One HTTP response: status, headers and a body sent with its length. */
public record ApiResponse(int status, Map<String, String> headers, byte[] body, String contentType) {
    private static final byte[] EMPTY = new byte[0];

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, new LinkedHashMap<>(), Json.bytes(value), "application/json");
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, new LinkedHashMap<>(), EMPTY, null);
    }

    public static ApiResponse bytes(int status, byte[] body, String contentType) {
        return new ApiResponse(status, new LinkedHashMap<>(), body, contentType);
    }

    public ApiResponse withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }
}

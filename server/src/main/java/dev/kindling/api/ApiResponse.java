package dev.kindling.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One HTTP response: status, headers in order (a name may repeat, as Set-Cookie does) and a body sent with its length. */
public record ApiResponse(int status, List<Map.Entry<String, String>> headers, byte[] body, String contentType) {
    private static final byte[] EMPTY = new byte[0];

    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, new ArrayList<>(), Json.bytes(value), "application/json");
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, new ArrayList<>(), EMPTY, null);
    }

    public static ApiResponse bytes(int status, byte[] body, String contentType) {
        return new ApiResponse(status, new ArrayList<>(), body, contentType);
    }

    public ApiResponse withHeader(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }
}

package dev.kindling.triggers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request a trigger turns into an invocation (a function URL or an HTTP API route), as it arrived: method,
 * path and query still percent-encoded, every header in order (a name may repeat), the body, and where it came from.
 * Build one with {@link #builder()}.
 *
 * @param rawPath the path as sent, percent-encoded, without the query
 * @param rawQuery the query as sent, without '?', or empty
 * @param protocol as the request line said it, e.g. {@code HTTP/1.1}
 * @param requestId the id the invocation runs under (the context's aws_request_id)
 */
public record HttpExchange(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
        byte[] body, String sourceIp, String protocol, Instant receivedAt, String requestId) {
    public HttpExchange {
        headers = List.copyOf(headers);
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named setters, so that the request's several strings cannot be swapped. */
    public static final class Builder {
        private String method = "GET";
        private String rawPath = "/";
        private String rawQuery = "";
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private byte[] body = new byte[0];
        private String sourceIp = "127.0.0.1";
        private String protocol = "HTTP/1.1";
        private Instant receivedAt = Instant.now();
        private String requestId = "";

        public Builder method(String value) {
            method = value;
            return this;
        }

        public Builder rawPath(String value) {
            rawPath = value;
            return this;
        }

        public Builder rawQuery(String value) {
            rawQuery = value;
            return this;
        }

        public Builder header(String name, String value) {
            headers.add(Map.entry(name, value));
            return this;
        }

        public Builder body(byte[] value) {
            body = value;
            return this;
        }

        public Builder sourceIp(String value) {
            sourceIp = value;
            return this;
        }

        public Builder protocol(String value) {
            protocol = value;
            return this;
        }

        public Builder receivedAt(Instant value) {
            receivedAt = value;
            return this;
        }

        public Builder requestId(String value) {
            requestId = value;
            return this;
        }

        public HttpExchange build() {
            return new HttpExchange(method, rawPath, rawQuery, headers, body, sourceIp, protocol, receivedAt,
                    requestId);
        }
    }
}

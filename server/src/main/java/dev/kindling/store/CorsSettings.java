package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/**
 * A function URL's Cors member, as configured: an absent member was not sent (AWS shows only what was set).
 *
 * @param maxAge seconds a browser may cache a preflight answer
 */
public record CorsSettings(Optional<Boolean> allowCredentials, Optional<List<String>> allowHeaders,
        Optional<List<String>> allowMethods, Optional<List<String>> allowOrigins,
        Optional<List<String>> exposeHeaders, Optional<Integer> maxAge) {
    public static final CorsSettings NONE = new CorsSettings(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public List<String> origins() {
        return allowOrigins.orElse(List.of());
    }
}

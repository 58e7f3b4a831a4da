package dev.kindling.store;

import java.util.Map;
import java.util.Optional;

/**
 * The optional members of an HTTP API that CreateApi and UpdateApi set; empty members were not given.
 *
 * @param disableExecuteApiEndpoint whether the API's own endpoint refuses requests (403), as on AWS
 * @param cors the CorsConfiguration that API Gateway answers preflight requests and adds headers with
 */
public record HttpApiSettings(Optional<String> description, Optional<String> version,
        boolean disableExecuteApiEndpoint, Optional<CorsSettings> cors, Map<String, String> tags) {
    public static HttpApiSettings none() {
        return new HttpApiSettings(Optional.empty(), Optional.empty(), false, Optional.empty(), Map.of());
    }
}

package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/** An HTTP API's CorsConfiguration, as AWS's Cors shape has it; empty lists were not given. */
public record HttpApiCors(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
        List<String> exposeHeaders, Optional<Integer> maxAge, boolean allowCredentials) {}

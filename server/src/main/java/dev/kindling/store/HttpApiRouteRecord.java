package dev.kindling.store;

import java.util.Optional;

/**
 * A route of an HTTP API.
 *
 * @param routeKey {@code $default} or {@code METHOD /path}, as the client gave it
 * @param target {@code integrations/<id>}; empty until the route has one
 * @param authorization who may call the route
 * @param managed made by a quick create (ApiGatewayManaged)
 */
public record HttpApiRouteRecord(String apiId, String routeId, String routeKey, Optional<String> target,
        Optional<String> operationName, Authorization authorization, boolean managed) {
    /** A route's AuthorizationType, of those Kindling serves. */
    public enum Authorization {
        /** Anyone may call the route. */
        NONE,
        /** Requests must carry a SigV4 signature (service execute-api) by an identity Kindling knows. */
        AWS_IAM
    }
}

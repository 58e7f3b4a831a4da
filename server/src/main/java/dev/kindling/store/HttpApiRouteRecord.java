package dev.kindling.store;

import java.util.Optional;

/**
 * A route of an HTTP API.
 *
 * @param routeKey {@code $default} or {@code METHOD /path}, as the client gave it
 * @param target {@code integrations/<id>}; empty until the route has one
 * @param managed made by a quick create (ApiGatewayManaged)
 */
public record HttpApiRouteRecord(String apiId, String routeId, String routeKey, Optional<String> target,
        Optional<String> operationName, boolean managed) {}

package dev.kindling.control;

import dev.kindling.store.HttpApiIntegrationRecord;
import dev.kindling.store.HttpApiRecord;
import dev.kindling.store.HttpApiRouteRecord;
import dev.kindling.store.HttpApiStageRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP API as requests to it see it: its routes (keys parsed), integrations and stages. Immutable: a change to
 * the API makes a new snapshot.
 */
public record HttpApiSnapshot(HttpApiRecord api, List<Route> routes, Map<String, HttpApiIntegrationRecord> integrations,
        Map<String, HttpApiStageRecord> stages) {
    /** A route with its key parsed. */
    public record Route(RouteKey key, HttpApiRouteRecord record) {}

    /** The integration a route's target names ({@code integrations/<id>}), if it has one that exists. */
    public Optional<HttpApiIntegrationRecord> integrationOf(HttpApiRouteRecord route) {
        return route.target().filter(t -> t.startsWith(HttpApiService.TARGET_PREFIX))
                .map(t -> integrations.get(t.substring(HttpApiService.TARGET_PREFIX.length())));
    }
}

package dev.kindling.store;

import java.util.List;
import java.util.Optional;

/**
 * HTTP APIs and their integrations, routes and stages, as persisted. Deleting an API deletes its parts; lists are
 * ordered by id (APIs, integrations, routes) or name (stages).
 */
public interface HttpApiRepository {
    /** Stores a new API with its first parts (a quick create's integration, route and stage) in one transaction. */
    void create(HttpApiRecord api, List<HttpApiIntegrationRecord> integrations, List<HttpApiRouteRecord> routes,
            List<HttpApiStageRecord> stages);

    Optional<HttpApiRecord> find(String apiId);

    List<HttpApiRecord> list();

    /** Replaces the API's name and settings. */
    void update(HttpApiRecord api);

    /** Deletes the API and its parts; false if there was none. */
    boolean delete(String apiId);

    void putIntegration(HttpApiIntegrationRecord integration);

    List<HttpApiIntegrationRecord> integrations(String apiId);

    boolean deleteIntegration(String apiId, String integrationId);

    /** Stores a new route or replaces the one with its id; throws StoreException if its key is taken. */
    void putRoute(HttpApiRouteRecord route);

    List<HttpApiRouteRecord> routes(String apiId);

    boolean deleteRoute(String apiId, String routeId);

    void putStage(HttpApiStageRecord stage);

    List<HttpApiStageRecord> stages(String apiId);

    boolean deleteStage(String apiId, String stageName);

    void putDeployment(HttpApiDeploymentRecord deployment);

    List<HttpApiDeploymentRecord> deployments(String apiId);

    boolean deleteDeployment(String apiId, String deploymentId);
}

package dev.kindling.control;

import dev.kindling.store.CorsSettings;
import dev.kindling.store.HttpApiDeploymentRecord;
import dev.kindling.store.HttpApiIntegrationRecord;
import dev.kindling.store.HttpApiRecord;
import dev.kindling.store.HttpApiRepository;
import dev.kindling.store.HttpApiRouteRecord;
import dev.kindling.store.HttpApiSettings;
import dev.kindling.store.HttpApiStageRecord;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP APIs (API Gateway v2, ProtocolType HTTP): their APIs, AWS_PROXY integrations with Lambda functions, routes and
 * stages, checked as API Gateway checks them, and persisted. Requests to an API are routed from a snapshot kept in
 * memory ({@link #snapshot}), made again after every change to that API.
 */
public final class HttpApiService {
    /** How a route's Target names its integration. */
    public static final String TARGET_PREFIX = "integrations/";
    public static final String DEFAULT_STAGE = "$default";
    public static final int DEFAULT_TIMEOUT_MILLIS = 30_000;
    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final HttpApiRepository repository;
    private final String region;
    private final String accountId;
    private final int port;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, HttpApiSnapshot> snapshots = new ConcurrentHashMap<>();

    /** @param port the port of Kindling's endpoint, which every API's ApiEndpoint names */
    public HttpApiService(HttpApiRepository repository, String region, String accountId, int port, Clock clock) {
        this.repository = repository;
        this.region = region;
        this.accountId = accountId;
        this.port = port;
        this.clock = clock;
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    /** The API's ApiEndpoint: its own host name under localhost, on Kindling's port. */
    public String endpoint(String apiId) {
        return "http://" + apiId + ".execute-api.localhost:" + port;
    }

    /** The members CreateApi and UpdateApi take; empty ones were not sent. */
    public record ApiInput(Optional<String> name, Optional<String> protocolType, Optional<String> description,
            Optional<String> version, Optional<Boolean> disableExecuteApiEndpoint, Optional<CorsSettings> cors,
            Map<String, String> tags, Optional<String> target, Optional<String> routeKey,
            Optional<String> routeSelectionExpression) {}

    /** The members CreateIntegration takes; empty ones were not sent. */
    public record IntegrationInput(Optional<String> integrationType, Optional<String> integrationUri,
            Optional<String> payloadFormatVersion, Optional<Integer> timeoutMillis, Optional<String> description,
            Optional<String> connectionType, Optional<String> integrationSubtype) {}

    /** The members CreateRoute takes; empty ones were not sent. */
    public record RouteInput(Optional<String> routeKey, Optional<String> target, Optional<String> authorizationType,
            Optional<String> operationName) {}

    /** The members CreateStage takes; empty ones were not sent. */
    public record StageInput(Optional<String> stageName, Optional<Boolean> autoDeploy, Optional<String> deploymentId,
            Optional<String> description, Optional<Map<String, String>> variables, Map<String, String> tags) {}

    /**
     * CreateApi. With a Target (a function ARN) it is a quick create, as on AWS: an AWS_PROXY integration with
     * payload format 2.0, a route (RouteKey, or {@code $default}) to it, and a {@code $default} stage that deploys
     * itself, all marked ApiGatewayManaged.
     */
    public synchronized HttpApiRecord createApi(ApiInput in) {
        String name = HttpApiChecks.name(in.name().orElseThrow(() -> HttpApiException.badRequest("Name is required.")));
        String protocol = in.protocolType().orElseThrow(() -> HttpApiException.badRequest(
                "ProtocolType is required: HTTP."));
        HttpApiChecks.protocol(protocol);
        in.routeSelectionExpression().ifPresent(HttpApiChecks::routeSelection);
        in.cors().ifPresent(HttpApiChecks::cors);
        if (in.routeKey().isPresent() && in.target().isEmpty()) {
            throw HttpApiException.badRequest("RouteKey can only be specified with Target (a quick create).");
        }
        long now = clock.millis();
        HttpApiRecord api = new HttpApiRecord(newId(10), name, new HttpApiSettings(in.description(), in.version(),
                in.disableExecuteApiEndpoint().orElse(false), in.cors(), in.tags()), now);
        if (in.target().isEmpty()) {
            repository.create(api, List.of(), List.of(), List.of());
            return api;
        }
        IntegrationUri.parse(in.target().get(), region, accountId);
        RouteKey key = RouteKey.parse(in.routeKey().orElse(RouteKey.DEFAULT));
        HttpApiIntegrationRecord integration = new HttpApiIntegrationRecord(api.apiId(), newId(7), in.target().get(),
                "2.0", DEFAULT_TIMEOUT_MILLIS, Optional.empty(), true);
        HttpApiRouteRecord route = new HttpApiRouteRecord(api.apiId(), newId(7), key.text(),
                Optional.of(TARGET_PREFIX + integration.integrationId()), Optional.empty(),
                HttpApiRouteRecord.Authorization.NONE, true);
        HttpApiStageRecord stage = new HttpApiStageRecord(api.apiId(), DEFAULT_STAGE, true, Optional.empty(),
                Optional.empty(), Map.of(), Map.of(), true, now, now);
        repository.create(api, List.of(integration), List.of(route), List.of(stage));
        return api;
    }

    public HttpApiRecord api(String apiId) {
        return repository.find(apiId).orElseThrow(() -> HttpApiException.notFound(
                "Invalid API identifier specified " + accountId + ":" + apiId));
    }

    public List<HttpApiRecord> apis() {
        return repository.list();
    }

    /**
     * UpdateApi: the members sent replace the API's; a Target or RouteKey changes what a quick create made (its
     * integration's function, its route's key).
     */
    public synchronized HttpApiRecord updateApi(String apiId, ApiInput in) {
        HttpApiRecord api = api(apiId);
        in.protocolType().ifPresent(HttpApiChecks::protocol);
        in.routeSelectionExpression().ifPresent(HttpApiChecks::routeSelection);
        in.cors().ifPresent(HttpApiChecks::cors);
        String name = in.name().map(HttpApiChecks::name).orElse(api.name());
        HttpApiSettings old = api.settings();
        HttpApiSettings settings = new HttpApiSettings(in.description().or(old::description),
                in.version().or(old::version),
                in.disableExecuteApiEndpoint().orElse(old.disableExecuteApiEndpoint()), in.cors().or(old::cors),
                old.tags());
        Optional<HttpApiIntegrationRecord> managedIntegration = repository.integrations(apiId).stream()
                .filter(HttpApiIntegrationRecord::managed).findFirst();
        Optional<HttpApiRouteRecord> managedRoute = repository.routes(apiId).stream()
                .filter(HttpApiRouteRecord::managed).findFirst();
        if ((in.target().isPresent() && managedIntegration.isEmpty())
                || (in.routeKey().isPresent() && managedRoute.isEmpty())) {
            throw HttpApiException.badRequest("Target and RouteKey can only be updated on an API made by a quick"
                    + " create (CreateApi with Target).");
        }
        in.target().ifPresent(t -> IntegrationUri.parse(t, region, accountId));
        Optional<RouteKey> key = in.routeKey().map(RouteKey::parse);
        if (key.isPresent() && !key.get().text().equals(managedRoute.get().routeKey())) {
            checkNoConflict(apiId, key.get(), Optional.of(managedRoute.get().routeId()));
        }
        HttpApiRecord updated = api.withName(name).withSettings(settings);
        repository.update(updated);
        in.target().ifPresent(t -> {
            HttpApiIntegrationRecord i = managedIntegration.get();
            repository.putIntegration(new HttpApiIntegrationRecord(apiId, i.integrationId(), t, i.payloadFormat(),
                    i.timeoutMillis(), i.description(), true));
        });
        key.ifPresent(k -> {
            HttpApiRouteRecord r = managedRoute.get();
            repository.putRoute(new HttpApiRouteRecord(apiId, r.routeId(), k.text(), r.target(), r.operationName(),
                    r.authorization(), true));
        });
        changed(apiId);
        return updated;
    }

    public synchronized void deleteApi(String apiId) {
        if (!repository.delete(apiId)) {
            api(apiId); // says it is not there
        }
        changed(apiId);
    }

    /** CreateIntegration: an AWS_PROXY integration with a Lambda function of this account and region. */
    public synchronized HttpApiIntegrationRecord createIntegration(String apiId, IntegrationInput in) {
        api(apiId);
        if (in.integrationType().isEmpty()) {
            throw HttpApiException.badRequest("IntegrationType is required: AWS_PROXY.");
        }
        checkIntegration(in);
        String uri = in.integrationUri().orElseThrow(() -> HttpApiException.badRequest(
                "IntegrationUri is required for an AWS_PROXY integration: the Lambda function's ARN."));
        String format = in.payloadFormatVersion().orElseThrow(() -> HttpApiException.badRequest(
                "PayloadFormatVersion is required for a Lambda integration: 1.0 or 2.0."));
        int timeout = in.timeoutMillis().orElse(DEFAULT_TIMEOUT_MILLIS);
        HttpApiIntegrationRecord integration = new HttpApiIntegrationRecord(apiId, newId(7), uri, format, timeout,
                in.description(), false);
        repository.putIntegration(integration);
        changed(apiId);
        return integration;
    }

    /** UpdateIntegration: the members sent replace the integration's, checked as CreateIntegration checks them. */
    public synchronized HttpApiIntegrationRecord updateIntegration(String apiId, String integrationId,
            IntegrationInput in) {
        HttpApiIntegrationRecord old = integration(apiId, integrationId);
        checkIntegration(in);
        HttpApiIntegrationRecord updated = new HttpApiIntegrationRecord(apiId, integrationId,
                in.integrationUri().orElse(old.integrationUri()),
                in.payloadFormatVersion().orElse(old.payloadFormat()), in.timeoutMillis().orElse(old.timeoutMillis()),
                in.description().or(old::description), old.managed());
        repository.putIntegration(updated);
        changed(apiId);
        return updated;
    }

    /** The members of CreateIntegration and UpdateIntegration that were sent, checked. */
    private void checkIntegration(IntegrationInput in) {
        in.integrationType().ifPresent(HttpApiChecks::integrationType);
        if (in.integrationSubtype().isPresent()) {
            throw HttpApiException.badRequest("Kindling does not support integration subtypes (AWS service"
                    + " integrations): '" + in.integrationSubtype().get() + "'.");
        }
        if (in.connectionType().isPresent() && !in.connectionType().get().equals("INTERNET")) {
            throw HttpApiException.badRequest("ConnectionType must be INTERNET for a Lambda integration.");
        }
        in.integrationUri().ifPresent(uri -> IntegrationUri.parse(uri, region, accountId));
        in.payloadFormatVersion().ifPresent(HttpApiChecks::payloadFormat);
        in.timeoutMillis().ifPresent(HttpApiChecks::timeout);
    }

    public HttpApiIntegrationRecord integration(String apiId, String integrationId) {
        api(apiId);
        return repository.integrations(apiId).stream().filter(i -> i.integrationId().equals(integrationId))
                .findFirst().orElseThrow(() -> HttpApiException.notFound("Invalid Integration identifier specified"));
    }

    public List<HttpApiIntegrationRecord> integrations(String apiId) {
        api(apiId);
        return repository.integrations(apiId);
    }

    /** DeleteIntegration; one that a route still targets stays, as on AWS. */
    public synchronized void deleteIntegration(String apiId, String integrationId) {
        integration(apiId, integrationId);
        for (HttpApiRouteRecord route : repository.routes(apiId)) {
            if (route.target().equals(Optional.of(TARGET_PREFIX + integrationId))) {
                throw HttpApiException.conflict("Integration " + integrationId + " is the target of route '"
                        + route.routeKey() + "' (" + route.routeId() + "): delete the route or change its target"
                        + " first.");
            }
        }
        repository.deleteIntegration(apiId, integrationId);
        changed(apiId);
    }

    /** CreateRoute: a route key no other route has, nor clashes with, and a target that exists. */
    public synchronized HttpApiRouteRecord createRoute(String apiId, RouteInput in) {
        api(apiId);
        RouteKey key = RouteKey.parse(in.routeKey().orElseThrow(() -> HttpApiException.badRequest(
                "RouteKey is required, such as 'GET /users/{id}' or $default.")));
        HttpApiRouteRecord.Authorization authorization = in.authorizationType().map(HttpApiChecks::authorization)
                .orElse(HttpApiRouteRecord.Authorization.NONE);
        in.target().ifPresent(t -> checkTarget(apiId, t));
        checkNoConflict(apiId, key, Optional.empty());
        HttpApiRouteRecord route = new HttpApiRouteRecord(apiId, newId(7), key.text(), in.target(),
                in.operationName(), authorization, false);
        repository.putRoute(route);
        changed(apiId);
        return route;
    }

    /** UpdateRoute: the members sent replace the route's; a new key must not clash with the other routes. */
    public synchronized HttpApiRouteRecord updateRoute(String apiId, String routeId, RouteInput in) {
        HttpApiRouteRecord old = route(apiId, routeId);
        Optional<RouteKey> key = in.routeKey().map(RouteKey::parse);
        HttpApiRouteRecord.Authorization authorization = in.authorizationType().map(HttpApiChecks::authorization)
                .orElse(old.authorization());
        in.target().ifPresent(t -> checkTarget(apiId, t));
        key.ifPresent(k -> checkNoConflict(apiId, k, Optional.of(routeId)));
        HttpApiRouteRecord updated = new HttpApiRouteRecord(apiId, routeId, key.map(RouteKey::text)
                .orElse(old.routeKey()), in.target().or(old::target), in.operationName().or(old::operationName),
                authorization, old.managed());
        repository.putRoute(updated);
        changed(apiId);
        return updated;
    }

    public HttpApiRouteRecord route(String apiId, String routeId) {
        api(apiId);
        return repository.routes(apiId).stream().filter(r -> r.routeId().equals(routeId)).findFirst()
                .orElseThrow(() -> HttpApiException.notFound("Invalid Route identifier specified " + routeId));
    }

    public List<HttpApiRouteRecord> routes(String apiId) {
        api(apiId);
        return repository.routes(apiId);
    }

    public synchronized void deleteRoute(String apiId, String routeId) {
        route(apiId, routeId);
        repository.deleteRoute(apiId, routeId);
        changed(apiId);
    }

    /** CreateStage: {@code $default} (served at the API's root) or a named stage (served under its name). */
    public synchronized HttpApiStageRecord createStage(String apiId, StageInput in) {
        api(apiId);
        String name = in.stageName().orElseThrow(() -> HttpApiException.badRequest("StageName is required."));
        HttpApiChecks.stageName(name);
        in.variables().ifPresent(HttpApiChecks::stageVariables);
        if (repository.stages(apiId).stream().anyMatch(s -> s.stageName().equals(name))) {
            throw HttpApiException.conflict("Stage " + name + " already exists");
        }
        long now = clock.millis();
        in.deploymentId().ifPresent(d -> deployment(apiId, d));
        HttpApiStageRecord stage = new HttpApiStageRecord(apiId, name, in.autoDeploy().orElse(false),
                in.deploymentId(), in.description(), in.variables().orElse(Map.of()), in.tags(), false, now, now);
        repository.putStage(stage);
        changed(apiId);
        return stage;
    }

    /** UpdateStage: the members sent replace the stage's (StageVariables replaces all its variables). */
    public synchronized HttpApiStageRecord updateStage(String apiId, String stageName, StageInput in) {
        HttpApiStageRecord old = stage(apiId, stageName);
        in.variables().ifPresent(HttpApiChecks::stageVariables);
        in.deploymentId().ifPresent(d -> deployment(apiId, d));
        HttpApiStageRecord updated = new HttpApiStageRecord(apiId, stageName, in.autoDeploy().orElse(old.autoDeploy()),
                in.deploymentId().or(old::deploymentId), in.description().or(old::description),
                in.variables().orElse(old.variables()), old.tags(), old.managed(), old.createdMillis(), clock.millis());
        repository.putStage(updated);
        changed(apiId);
        return updated;
    }

    public HttpApiStageRecord stage(String apiId, String stageName) {
        api(apiId);
        return repository.stages(apiId).stream().filter(s -> s.stageName().equals(stageName)).findFirst()
                .orElseThrow(() -> HttpApiException.notFound("Invalid stage identifier specified"));
    }

    public List<HttpApiStageRecord> stages(String apiId) {
        api(apiId);
        return repository.stages(apiId);
    }

    public synchronized void deleteStage(String apiId, String stageName) {
        stage(apiId, stageName);
        repository.deleteStage(apiId, stageName);
        changed(apiId);
    }

    /**
     * CreateDeployment: records that the API was deployed and, with a StageName, makes that stage serve it. A stage
     * that deploys itself refuses deployments, as on AWS.
     */
    public synchronized HttpApiDeploymentRecord createDeployment(String apiId, Optional<String> description,
            Optional<String> stageName) {
        api(apiId);
        Optional<HttpApiStageRecord> stage = stageName.map(name -> stage(apiId, name));
        if (stage.isPresent() && stage.get().autoDeploy()) {
            throw HttpApiException.badRequest("Stage " + stage.get().stageName() + " has AutoDeploy enabled:"
                    + " it deploys itself, and takes no deployments.");
        }
        HttpApiDeploymentRecord deployment = new HttpApiDeploymentRecord(apiId, newId(6), description,
                clock.millis());
        repository.putDeployment(deployment);
        stage.ifPresent(s -> repository.putStage(new HttpApiStageRecord(apiId, s.stageName(), false,
                Optional.of(deployment.deploymentId()), s.description(), s.variables(), s.tags(), s.managed(),
                s.createdMillis(), clock.millis())));
        changed(apiId);
        return deployment;
    }

    public HttpApiDeploymentRecord deployment(String apiId, String deploymentId) {
        api(apiId);
        return repository.deployments(apiId).stream().filter(d -> d.deploymentId().equals(deploymentId))
                .findFirst().orElseThrow(() -> HttpApiException.notFound("Invalid Deployment identifier specified"));
    }

    public List<HttpApiDeploymentRecord> deployments(String apiId) {
        api(apiId);
        return repository.deployments(apiId);
    }

    /** DeleteDeployment; one that a stage serves stays until the stage serves another or goes. */
    public synchronized void deleteDeployment(String apiId, String deploymentId) {
        deployment(apiId, deploymentId);
        for (HttpApiStageRecord stage : repository.stages(apiId)) {
            if (stage.deploymentId().equals(Optional.of(deploymentId))) {
                throw HttpApiException.badRequest("Active stages pointing to this deployment must be moved or"
                        + " deleted: stage " + stage.stageName() + " serves deployment " + deploymentId + ".");
            }
        }
        repository.deleteDeployment(apiId, deploymentId);
        changed(apiId);
    }

    /** The API as requests to it see it, or empty if there is no such API. */
    public Optional<HttpApiSnapshot> snapshot(String apiId) {
        HttpApiSnapshot cached = snapshots.get(apiId);
        if (cached != null) {
            return Optional.of(cached);
        }
        synchronized (this) { // a change made meanwhile must not be hidden by a snapshot read before it
            Optional<HttpApiRecord> api = repository.find(apiId);
            if (api.isEmpty()) {
                return Optional.empty();
            }
            Map<String, HttpApiIntegrationRecord> integrations = new HashMap<>();
            repository.integrations(apiId).forEach(i -> integrations.put(i.integrationId(), i));
            Map<String, HttpApiStageRecord> stages = new LinkedHashMap<>();
            repository.stages(apiId).forEach(s -> stages.put(s.stageName(), s));
            List<HttpApiSnapshot.Route> routes = repository.routes(apiId).stream()
                    .map(r -> new HttpApiSnapshot.Route(RouteKey.parse(r.routeKey()), r)).toList();
            HttpApiSnapshot snapshot = new HttpApiSnapshot(api.get(), routes, Map.copyOf(integrations),
                    Map.copyOf(stages));
            snapshots.put(apiId, snapshot);
            return Optional.of(snapshot);
        }
    }

    private void changed(String apiId) {
        snapshots.remove(apiId);
    }

    private void checkTarget(String apiId, String target) {
        String id = target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : "";
        if (repository.integrations(apiId).stream().noneMatch(i -> i.integrationId().equals(id))) {
            throw HttpApiException.badRequest("Invalid target '" + target + "': a route's target is integrations/<id>"
                    + " of an integration of this API.");
        }
    }

    /** Refuses a key another route has, or one that names a variable differently at a level another route shares. */
    private void checkNoConflict(String apiId, RouteKey key, Optional<String> exceptRouteId) {
        for (HttpApiRouteRecord other : repository.routes(apiId)) {
            if (exceptRouteId.equals(Optional.of(other.routeId()))) {
                continue;
            }
            if (other.routeKey().equals(key.text())) {
                throw HttpApiException.conflict("Route with key " + key.text() + " already exists for this API");
            }
            RouteKey otherKey = RouteKey.parse(other.routeKey());
            if (key.conflictingVariable(otherKey).isPresent()) {
                throw HttpApiException.conflict("The provided route key \"" + key.text() + "\" has a conflicting"
                        + " variable on the same hierarchical level as \"" + other.routeKey() + "\"");
            }
        }
    }

    private String newId(int length) {
        StringBuilder id = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }
}

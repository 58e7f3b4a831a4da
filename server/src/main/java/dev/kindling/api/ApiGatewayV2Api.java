package dev.kindling.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.LambdaException;
import dev.kindling.control.HttpApiException;
import dev.kindling.control.HttpApiService;
import dev.kindling.control.HttpApiService.ApiInput;
import dev.kindling.control.HttpApiService.IntegrationInput;
import dev.kindling.control.HttpApiService.RouteInput;
import dev.kindling.control.HttpApiService.StageInput;
import dev.kindling.store.CorsSettings;
import dev.kindling.store.HttpApiDeploymentRecord;
import dev.kindling.store.HttpApiIntegrationRecord;
import dev.kindling.store.HttpApiRecord;
import dev.kindling.store.HttpApiRouteRecord;
import dev.kindling.store.HttpApiStageRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * API Gateway v2 (rest-json, signing name {@code apigateway}, paths {@code /v2/apis...}) for HTTP APIs: the
 * operations on APIs, integrations, routes and stages, with the shapes and errors of the apigatewayv2 model
 * (members in lowerCamelCase, errors as {@code x-amzn-ErrorType} and {@code {"message": ...}}).
 */
public final class ApiGatewayV2Api implements ApiServer.Service {
    private final HttpApiService apis;
    private final RestJsonRoutes routes = new RestJsonRoutes();

    public ApiGatewayV2Api(HttpApiService apis) {
        this.apis = apis;
        add("CreateApi", "POST", "/v2/apis", 201, r -> api(apis.createApi(apiInput(body(r)))));
        add("GetApis", "GET", "/v2/apis", 200, r -> page(r, apis.apis().stream().map(this::api).toList()));
        add("GetApi", "GET", "/v2/apis/{apiId}", 200, r -> api(apis.api(r.pathParam("apiId"))));
        add("UpdateApi", "PATCH", "/v2/apis/{apiId}", 200,
                r -> api(apis.updateApi(r.pathParam("apiId"), apiInput(body(r)))));
        add("DeleteApi", "DELETE", "/v2/apis/{apiId}", 204, r -> {
            apis.deleteApi(r.pathParam("apiId"));
            return null;
        });
        add("CreateIntegration", "POST", "/v2/apis/{apiId}/integrations", 201,
                r -> integration(apis.createIntegration(r.pathParam("apiId"), integrationInput(body(r)))));
        add("GetIntegrations", "GET", "/v2/apis/{apiId}/integrations", 200,
                r -> page(r, apis.integrations(r.pathParam("apiId")).stream().map(ApiGatewayV2Api::integration)
                        .toList()));
        add("GetIntegration", "GET", "/v2/apis/{apiId}/integrations/{integrationId}", 200,
                r -> integration(apis.integration(r.pathParam("apiId"), r.pathParam("integrationId"))));
        add("UpdateIntegration", "PATCH", "/v2/apis/{apiId}/integrations/{integrationId}", 200,
                r -> integration(apis.updateIntegration(r.pathParam("apiId"), r.pathParam("integrationId"),
                        integrationInput(body(r)))));
        add("DeleteIntegration", "DELETE", "/v2/apis/{apiId}/integrations/{integrationId}", 204, r -> {
            apis.deleteIntegration(r.pathParam("apiId"), r.pathParam("integrationId"));
            return null;
        });
        add("CreateRoute", "POST", "/v2/apis/{apiId}/routes", 201,
                r -> route(apis.createRoute(r.pathParam("apiId"), routeInput(body(r)))));
        add("GetRoutes", "GET", "/v2/apis/{apiId}/routes", 200,
                r -> page(r, apis.routes(r.pathParam("apiId")).stream().map(ApiGatewayV2Api::route).toList()));
        add("GetRoute", "GET", "/v2/apis/{apiId}/routes/{routeId}", 200,
                r -> route(apis.route(r.pathParam("apiId"), r.pathParam("routeId"))));
        add("UpdateRoute", "PATCH", "/v2/apis/{apiId}/routes/{routeId}", 200,
                r -> route(apis.updateRoute(r.pathParam("apiId"), r.pathParam("routeId"), routeInput(body(r)))));
        add("DeleteRoute", "DELETE", "/v2/apis/{apiId}/routes/{routeId}", 204, r -> {
            apis.deleteRoute(r.pathParam("apiId"), r.pathParam("routeId"));
            return null;
        });
        add("CreateStage", "POST", "/v2/apis/{apiId}/stages", 201,
                r -> stage(apis.createStage(r.pathParam("apiId"), stageInput(body(r)))));
        add("GetStages", "GET", "/v2/apis/{apiId}/stages", 200,
                r -> page(r, apis.stages(r.pathParam("apiId")).stream().map(ApiGatewayV2Api::stage).toList()));
        add("GetStage", "GET", "/v2/apis/{apiId}/stages/{stageName}", 200,
                r -> stage(apis.stage(r.pathParam("apiId"), r.pathParam("stageName"))));
        add("UpdateStage", "PATCH", "/v2/apis/{apiId}/stages/{stageName}", 200,
                r -> stage(apis.updateStage(r.pathParam("apiId"), r.pathParam("stageName"), stageInput(body(r)))));
        add("DeleteStage", "DELETE", "/v2/apis/{apiId}/stages/{stageName}", 204, r -> {
            apis.deleteStage(r.pathParam("apiId"), r.pathParam("stageName"));
            return null;
        });
        addDeployments();
    }

    private void addDeployments() {
        add("CreateDeployment", "POST", "/v2/apis/{apiId}/deployments", 201, r -> {
            JsonNode b = body(r);
            return deployment(apis.createDeployment(r.pathParam("apiId"), text(b, "description"),
                    text(b, "stageName")));
        });
        add("GetDeployments", "GET", "/v2/apis/{apiId}/deployments", 200, r -> page(r,
                apis.deployments(r.pathParam("apiId")).stream().map(ApiGatewayV2Api::deployment).toList()));
        add("GetDeployment", "GET", "/v2/apis/{apiId}/deployments/{deploymentId}", 200,
                r -> deployment(apis.deployment(r.pathParam("apiId"), r.pathParam("deploymentId"))));
        add("DeleteDeployment", "DELETE", "/v2/apis/{apiId}/deployments/{deploymentId}", 204, r -> {
            apis.deleteDeployment(r.pathParam("apiId"), r.pathParam("deploymentId"));
            return null;
        });
    }

    private static ObjectNode deployment(HttpApiDeploymentRecord d) {
        ObjectNode json = Json.object();
        json.put("autoDeployed", false);
        json.put("createdDate", Instant.ofEpochMilli(d.createdMillis()).toString());
        json.put("deploymentId", d.deploymentId());
        json.put("deploymentStatus", "DEPLOYED");
        d.description().ifPresent(v -> json.put("description", v));
        return json;
    }

    @Override
    public ServiceRoutes routes() {
        return routes;
    }

    /** Lambda's router under API Gateway's signing name, answering errors in API Gateway's shape. */
    private static final class RestJsonRoutes implements ServiceRoutes {
        private final Router router = new Router();

        @Override
        public String signingName() {
            return "apigateway";
        }

        @Override
        public Router.Match route(ApiRequest request) {
            return router.route(request);
        }

        @Override
        public ApiResponse error(LambdaException e) {
            // What the API itself throws is an HttpApiException, answered where it is caught; what reaches here
            // comes from the server around it (an unknown path, a bad signature, a body too large).
            String type = switch (e.type()) {
                case UnknownOperationException, ResourceNotFoundException -> "NotFoundException";
                case TooManyRequestsException -> "TooManyRequestsException";
                case ServiceException -> "InternalServerErrorException";
                default -> e.type().status() == 403 ? e.type().name() : "BadRequestException";
            };
            int status = e.type() == LambdaException.ErrorType.UnknownOperationException ? 404 : e.type().status();
            return error(status, type, e.getMessage());
        }

        static ApiResponse error(int status, String type, String message) {
            return ApiResponse.json(status, Json.object().put("message", message)).withHeader("x-amzn-ErrorType", type);
        }
    }

    @FunctionalInterface
    private interface Operation {
        /** The response body, or null for none. */
        ObjectNode run(ApiRequest request);
    }

    private void add(String name, String method, String path, int status, Operation operation) {
        routes.router.add(name, method, path, request -> {
            try {
                ObjectNode body = operation.run(request);
                return body == null ? ApiResponse.empty(status) : ApiResponse.json(status, body);
            } catch (HttpApiException e) {
                return RestJsonRoutes.error(e.type().status(), e.type().name(), e.getMessage());
            }
        });
    }

    private static JsonNode body(ApiRequest request) {
        try {
            return Json.parseObject(request.body());
        } catch (LambdaException e) {
            throw HttpApiException.badRequest(e.getMessage());
        }
    }

    /** A member read with {@code reader}; a member of the wrong JSON type is a BadRequestException. */
    private static <T> T member(Function<JsonNode, T> reader, JsonNode body) {
        try {
            return reader.apply(body);
        } catch (LambdaException e) {
            throw HttpApiException.badRequest(e.getMessage());
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        return member(b -> RequestFields.text(b, field), body);
    }

    private static Optional<Boolean> bool(JsonNode body, String field) {
        return body.hasNonNull(field) ? Optional.of(member(b -> RequestFields.optionalBoolean(b, field), body))
                : Optional.empty();
    }

    private static Map<String, String> strings(JsonNode body, String field) {
        Map<String, String> map = member(b -> RequestFields.stringMap(b.path(field), field), body);
        return map == null ? Map.of() : map;
    }

    private static ApiInput apiInput(JsonNode b) {
        return new ApiInput(text(b, "name"), text(b, "protocolType"), text(b, "description"), text(b, "version"),
                bool(b, "disableExecuteApiEndpoint"), cors(b), strings(b, "tags"), text(b, "target"),
                text(b, "routeKey"), text(b, "routeSelectionExpression"));
    }

    private static Optional<CorsSettings> cors(JsonNode body) {
        JsonNode c = body.path("corsConfiguration");
        if (c.isMissingNode() || c.isNull()) {
            return Optional.empty();
        }
        if (!c.isObject()) {
            throw HttpApiException.badRequest("corsConfiguration must be an object.");
        }
        Function<String, Optional<List<String>>> list = field -> Optional.ofNullable(
                member(n -> RequestFields.stringList(n.path(field), field), c));
        Integer maxAge = member(n -> RequestFields.optionalInt(n, "maxAge"), c);
        if (maxAge != null && (maxAge < -1 || maxAge > 86_400)) {
            throw HttpApiException.badRequest("corsConfiguration.maxAge must be between -1 and 86400, not " + maxAge
                    + ".");
        }
        return Optional.of(CorsSettings.builder().allowCredentials(bool(c, "allowCredentials"))
                .allowHeaders(list.apply("allowHeaders")).allowMethods(list.apply("allowMethods"))
                .allowOrigins(list.apply("allowOrigins")).exposeHeaders(list.apply("exposeHeaders"))
                .maxAge(Optional.ofNullable(maxAge)).build());
    }

    private static IntegrationInput integrationInput(JsonNode b) {
        return new IntegrationInput(text(b, "integrationType"), text(b, "integrationUri"),
                text(b, "payloadFormatVersion"),
                Optional.ofNullable(member(n -> RequestFields.optionalInt(n, "timeoutInMillis"), b)),
                text(b, "description"), text(b, "connectionType"), text(b, "integrationSubtype"));
    }

    private static RouteInput routeInput(JsonNode b) {
        return new RouteInput(text(b, "routeKey"), text(b, "target"), text(b, "authorizationType"),
                text(b, "operationName"));
    }

    private static StageInput stageInput(JsonNode b) {
        return new StageInput(text(b, "stageName"), bool(b, "autoDeploy"), text(b, "deploymentId"),
                text(b, "description"),
                b.hasNonNull("stageVariables") ? Optional.of(strings(b, "stageVariables")) : Optional.empty(),
                strings(b, "tags"));
    }

    /** {@code {"items": [...]}}, a page of MaxResults items from NextToken on when they are given. */
    private static ObjectNode page(ApiRequest request, List<ObjectNode> items) {
        int from = request.queryParam("nextToken").map(t -> parseCount(t, "nextToken")).orElse(0);
        int max = request.queryParam("maxResults").map(m -> parseCount(m, "maxResults")).orElse(Integer.MAX_VALUE);
        if (max == 0) {
            throw HttpApiException.badRequest("maxResults must be at least 1.");
        }
        int to = (int) Math.min(items.size(), (long) from + max);
        ObjectNode page = Json.object();
        ArrayNode array = page.putArray("items");
        items.subList(Math.min(from, items.size()), to).forEach(array::add);
        if (to < items.size()) {
            page.put("nextToken", Integer.toString(to));
        }
        return page;
    }

    private static int parseCount(String value, String name) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpApiException.badRequest("Invalid " + name + " '" + value + "'.");
    }

    private ObjectNode api(HttpApiRecord a) {
        ObjectNode json = Json.object();
        json.put("apiEndpoint", apis.endpoint(a.apiId()));
        json.put("apiId", a.apiId());
        json.put("apiKeySelectionExpression", "$request.header.x-api-key");
        a.settings().cors().ifPresent(c -> json.set("corsConfiguration", cors(c)));
        json.put("createdDate", Instant.ofEpochMilli(a.createdMillis()).toString());
        a.settings().description().ifPresent(d -> json.put("description", d));
        json.put("disableExecuteApiEndpoint", a.settings().disableExecuteApiEndpoint());
        json.put("ipAddressType", "ipv4");
        json.put("name", a.name());
        json.put("protocolType", "HTTP");
        json.put("routeSelectionExpression", "$request.method $request.path");
        json.set("tags", Json.MAPPER.valueToTree(a.settings().tags()));
        a.settings().version().ifPresent(v -> json.put("version", v));
        return json;
    }

    private static ObjectNode cors(CorsSettings c) {
        ObjectNode json = Json.object();
        c.allowCredentials().ifPresent(v -> json.put("allowCredentials", v));
        c.allowHeaders().ifPresent(v -> putList(json, "allowHeaders", v));
        c.allowMethods().ifPresent(v -> putList(json, "allowMethods", v));
        c.allowOrigins().ifPresent(v -> putList(json, "allowOrigins", v));
        c.exposeHeaders().ifPresent(v -> putList(json, "exposeHeaders", v));
        c.maxAge().ifPresent(m -> json.put("maxAge", m));
        return json;
    }

    private static void putList(ObjectNode json, String field, List<String> values) {
        ArrayNode array = json.putArray(field);
        values.forEach(array::add);
    }

    private static ObjectNode integration(HttpApiIntegrationRecord i) {
        ObjectNode json = Json.object();
        if (i.managed()) {
            json.put("apiGatewayManaged", true);
        }
        json.put("connectionType", "INTERNET");
        i.description().ifPresent(d -> json.put("description", d));
        json.put("integrationId", i.integrationId());
        json.put("integrationMethod", "POST");
        json.put("integrationType", "AWS_PROXY");
        json.put("integrationUri", i.integrationUri());
        json.put("payloadFormatVersion", i.payloadFormat());
        json.put("timeoutInMillis", i.timeoutMillis());
        return json;
    }

    private static ObjectNode route(HttpApiRouteRecord r) {
        ObjectNode json = Json.object();
        if (r.managed()) {
            json.put("apiGatewayManaged", true);
        }
        json.put("apiKeyRequired", false);
        json.put("authorizationType", r.authorization().name());
        r.operationName().ifPresent(o -> json.put("operationName", o));
        json.put("routeId", r.routeId());
        json.put("routeKey", r.routeKey());
        r.target().ifPresent(t -> json.put("target", t));
        return json;
    }

    private static ObjectNode stage(HttpApiStageRecord s) {
        ObjectNode json = Json.object();
        if (s.managed()) {
            json.put("apiGatewayManaged", true);
        }
        json.put("autoDeploy", s.autoDeploy());
        json.put("createdDate", Instant.ofEpochMilli(s.createdMillis()).toString());
        json.putObject("defaultRouteSettings").put("detailedMetricsEnabled", false);
        s.deploymentId().ifPresent(d -> json.put("deploymentId", d));
        s.description().ifPresent(d -> json.put("description", d));
        json.put("lastUpdatedDate", Instant.ofEpochMilli(s.updatedMillis()).toString());
        json.putObject("routeSettings");
        json.put("stageName", s.stageName());
        json.set("stageVariables", Json.MAPPER.valueToTree(s.variables()));
        json.set("tags", Json.MAPPER.valueToTree(s.tags()));
        return json;
    }
}

package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ApiGatewayV2Exception;
import software.amazon.awssdk.services.apigatewayv2.model.CreateApiResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The apigatewayv2 operations on HTTP APIs through the AWS SDK: shapes, ids, quick create, errors, persistence. */
class HttpApiControlTest {
    private static final String FUNCTION = ServerFixture.ARN_PREFIX + "users";

    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    static ApiGatewayV2Client client(KindlingServer server) {
        return ApiGatewayV2Client.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(ApacheHttpClient.builder().build())
                .build();
    }

    static ApiGatewayV2Exception assertApiError(ThrowingCallable call, String code, int status, String message) {
        ApiGatewayV2Exception e = catchThrowableOfType(ApiGatewayV2Exception.class, call);
        assertThat(e).as("expected %s", code).isNotNull();
        assertThat(e.awsErrorDetails().errorCode()).as("error code; message: %s", e.getMessage()).isEqualTo(code);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        return e;
    }

    @Test
    void quickCreateMakesARouteAnIntegrationAndAnAutoDeployedStage() {
        try (ApiGatewayV2Client apis = client(kindling.server())) {
            CreateApiResponse api = apis.createApi(r -> r.name("quick").protocolType(ProtocolType.HTTP)
                    .target(FUNCTION));
            assertThat(api.apiId()).matches("[a-z0-9]{10}");
            assertThat(api.apiEndpoint()).isEqualTo("http://" + api.apiId() + ".execute-api.localhost:"
                    + kindling.server().port());
            assertThat(api.protocolType()).isEqualTo(ProtocolType.HTTP);
            assertThat(api.routeSelectionExpression()).isEqualTo("$request.method $request.path");
            assertThat(api.apiKeySelectionExpression()).isEqualTo("$request.header.x-api-key");
            assertThat(api.createdDate()).isNotNull();
            assertThat(api.disableExecuteApiEndpoint()).isFalse();

            var integrations = apis.getIntegrations(r -> r.apiId(api.apiId())).items();
            assertThat(integrations).hasSize(1);
            var integration = integrations.getFirst();
            assertThat(integration.integrationId()).matches("[a-z0-9]{7}");
            assertThat(integration.integrationType()).isEqualTo(IntegrationType.AWS_PROXY);
            assertThat(integration.integrationUri()).isEqualTo(FUNCTION);
            assertThat(integration.payloadFormatVersion()).isEqualTo("2.0");
            assertThat(integration.integrationMethod()).isEqualTo("POST");
            assertThat(integration.timeoutInMillis()).isEqualTo(30000);
            assertThat(integration.apiGatewayManaged()).isTrue();

            var routes = apis.getRoutes(r -> r.apiId(api.apiId())).items();
            assertThat(routes).singleElement().satisfies(route -> {
                assertThat(route.routeKey()).isEqualTo("$default");
                assertThat(route.routeId()).matches("[a-z0-9]{7}");
                assertThat(route.target()).isEqualTo("integrations/" + integration.integrationId());
                assertThat(route.apiGatewayManaged()).isTrue();
            });
            assertThat(apis.getStages(r -> r.apiId(api.apiId())).items()).singleElement().satisfies(stage -> {
                assertThat(stage.stageName()).isEqualTo("$default");
                assertThat(stage.autoDeploy()).isTrue();
                assertThat(stage.apiGatewayManaged()).isTrue();
            });
            apis.deleteApi(r -> r.apiId(api.apiId()));
            assertApiError(() -> apis.getApi(r -> r.apiId(api.apiId())), "NotFoundException", 404,
                    "Invalid API identifier specified 000000000000:" + api.apiId());
        }
    }

    @Test
    void integrationsRoutesAndStagesAreMadeReadAndDeleted() {
        try (ApiGatewayV2Client apis = client(kindling.server())) {
            String apiId = apis.createApi(r -> r.name("users-api").protocolType(ProtocolType.HTTP)
                    .description("the users").tags(Map.of("team", "a"))).apiId();
            var integration = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + FUNCTION
                            + "/invocations").payloadFormatVersion("1.0").timeoutInMillis(5000));
            assertThat(integration.payloadFormatVersion()).isEqualTo("1.0");
            assertThat(integration.timeoutInMillis()).isEqualTo(5000);
            assertThat(integration.apiGatewayManaged()).isNull();
            String target = "integrations/" + integration.integrationId();
            var byId = apis.createRoute(r -> r.apiId(apiId).routeKey("GET /users/{id}").target(target));
            apis.createRoute(r -> r.apiId(apiId).routeKey("ANY /users").target(target));
            apis.createRoute(r -> r.apiId(apiId).routeKey("ANY /{proxy+}").target(target));
            var stage = apis.createStage(r -> r.apiId(apiId).stageName("prod").autoDeploy(true)
                    .stageVariables(Map.of("table", "users")));
            assertThat(stage.stageVariables()).containsEntry("table", "users");
            assertThat(stage.createdDate()).isNotNull();

            assertThat(apis.getApi(r -> r.apiId(apiId))).satisfies(api -> {
                assertThat(api.name()).isEqualTo("users-api");
                assertThat(api.description()).isEqualTo("the users");
                assertThat(api.tags()).isEqualTo(Map.of("team", "a"));
            });
            assertThat(apis.getApis(r -> { }).items()).extracting(a -> a.apiId()).contains(apiId);
            assertThat(apis.getRoute(r -> r.apiId(apiId).routeId(byId.routeId())).routeKey())
                    .isEqualTo("GET /users/{id}");
            assertThat(apis.getRoutes(r -> r.apiId(apiId)).items()).hasSize(3);
            var page = apis.getRoutes(r -> r.apiId(apiId).maxResults("2"));
            assertThat(page.items()).hasSize(2);
            assertThat(apis.getRoutes(r -> r.apiId(apiId).nextToken(page.nextToken())).items()).hasSize(1);
            assertThat(apis.getIntegration(r -> r.apiId(apiId).integrationId(integration.integrationId()))
                    .integrationUri()).endsWith("/invocations");
            assertThat(apis.getStage(r -> r.apiId(apiId).stageName("prod")).autoDeploy()).isTrue();

            var moved = apis.updateRoute(r -> r.apiId(apiId).routeId(byId.routeId()).routeKey("GET /people/{id}"));
            assertThat(moved.routeKey()).isEqualTo("GET /people/{id}");
            assertThat(moved.target()).isEqualTo(target);
            assertApiError(() -> apis.updateRoute(r -> r.apiId(apiId).routeId(byId.routeId()).routeKey("ANY /users")),
                    "ConflictException", 409, "Route with key ANY /users already exists for this API");
            var changed = apis.updateIntegration(r -> r.apiId(apiId).integrationId(integration.integrationId())
                    .payloadFormatVersion("2.0").timeoutInMillis(1000));
            assertThat(changed.payloadFormatVersion()).isEqualTo("2.0");
            assertThat(changed.timeoutInMillis()).isEqualTo(1000);
            assertThat(changed.integrationUri()).endsWith("/invocations");
            assertApiError(() -> apis.updateIntegration(r -> r.apiId(apiId).integrationId(integration.integrationId())
                    .payloadFormatVersion("9.9")), "BadRequestException", 400, "Invalid payload format version");
            var restaged = apis.updateStage(r -> r.apiId(apiId).stageName("prod").autoDeploy(false)
                    .stageVariables(Map.of("table", "people")));
            assertThat(restaged.autoDeploy()).isFalse();
            assertThat(restaged.stageVariables()).isEqualTo(Map.of("table", "people"));
            assertThat(restaged.lastUpdatedDate()).isAfterOrEqualTo(restaged.createdDate());

            var updated = apis.updateApi(r -> r.apiId(apiId).name("people-api"));
            assertThat(updated.name()).isEqualTo("people-api");
            assertThat(updated.description()).isEqualTo("the users");

            assertApiError(() -> apis.deleteIntegration(r -> r.apiId(apiId)
                    .integrationId(integration.integrationId())), "ConflictException", 409, "is the target of route");
            apis.deleteRoute(r -> r.apiId(apiId).routeId(byId.routeId()));
            assertApiError(() -> apis.getRoute(r -> r.apiId(apiId).routeId(byId.routeId())), "NotFoundException",
                    404, "Invalid Route identifier specified");
            apis.deleteStage(r -> r.apiId(apiId).stageName("prod"));
            assertApiError(() -> apis.getStage(r -> r.apiId(apiId).stageName("prod")), "NotFoundException", 404,
                    "Invalid stage identifier specified");
            apis.deleteApi(r -> r.apiId(apiId));
        }
    }

    @Test
    void badInputGetsApiGatewaysErrorsAndStoresNothing() {
        try (ApiGatewayV2Client apis = client(kindling.server())) {
            String apiId = apis.createApi(r -> r.name("strict").protocolType(ProtocolType.HTTP)).apiId();
            assertApiError(() -> apis.createApi(r -> r.name("ws").protocolType(ProtocolType.WEBSOCKET)),
                    "BadRequestException", 400, "WEBSOCKET");
            assertApiError(() -> apis.createApi(r -> r.name("bad").protocolType(ProtocolType.HTTP)
                    .target("arn:aws:lambda:eu-west-1:000000000000:function:users")), "BadRequestException", 400,
                    "Invalid integration URI specified");
            assertApiError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri(FUNCTION).payloadFormatVersion("3.0")), "BadRequestException", 400,
                    "Invalid payload format version '3.0'");
            assertApiError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri(FUNCTION)), "BadRequestException", 400, "PayloadFormatVersion is required");
            assertApiError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri("not-an-arn").payloadFormatVersion("2.0")), "BadRequestException", 400,
                    "Invalid integration URI specified");
            assertApiError(() -> apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri(FUNCTION).payloadFormatVersion("2.0").timeoutInMillis(40000)),
                    "BadRequestException", 400, "TimeoutInMillis");
            assertApiError(() -> apis.createIntegration(r -> r.apiId("nosuchapi0").integrationType(
                    IntegrationType.AWS_PROXY).integrationUri(FUNCTION).payloadFormatVersion("2.0")),
                    "NotFoundException", 404, "Invalid API identifier specified");
            assertThat(apis.getIntegrations(r -> r.apiId(apiId)).items()).isEmpty();
            assertApiError(() -> apis.createApi(r -> r.name("cors").protocolType(ProtocolType.HTTP)
                    .corsConfiguration(c -> c.allowOrigins("*").allowCredentials(true))), "BadRequestException", 400,
                    "allowCredentials cannot be true when allowOrigins is *");
            assertApiError(() -> apis.updateApi(r -> r.apiId(apiId).corsConfiguration(c -> c.allowMethods("FETCH"))),
                    "BadRequestException", 400, "allowMethods holds 'FETCH'");

            String target = "integrations/" + apis.createIntegration(r -> r.apiId(apiId)
                    .integrationType(IntegrationType.AWS_PROXY).integrationUri(FUNCTION).payloadFormatVersion("2.0"))
                    .integrationId();
            apis.createRoute(r -> r.apiId(apiId).routeKey("GET /users/{id}").target(target));
            assertApiError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /users/{id}").target(target)),
                    "ConflictException", 409, "Route with key GET /users/{id} already exists for this API");
            assertApiError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("DELETE /users/{userId}")),
                    "ConflictException", 409, "The provided route key \"DELETE /users/{userId}\" has a conflicting"
                            + " variable on the same hierarchical level as \"GET /users/{id}\"");
            assertApiError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("FETCH /users")),
                    "BadRequestException", 400, "Invalid route key 'FETCH /users'");
            assertApiError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /{proxy+}/more")),
                    "BadRequestException", 400, "must be the last segment");
            assertApiError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /x").target("integrations/nope")),
                    "BadRequestException", 400, "Invalid target");
            assertApiError(() -> apis.createRoute(r -> r.apiId(apiId).routeKey("GET /jwt").authorizationType("JWT")),
                    "BadRequestException", 400, "Kindling does not support authorizers");
            assertThat(apis.getRoutes(r -> r.apiId(apiId)).items()).hasSize(1);

            apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));
            assertApiError(() -> apis.createStage(r -> r.apiId(apiId).stageName("$default")), "ConflictException",
                    409, "Stage $default already exists");
            assertApiError(() -> apis.createStage(r -> r.apiId(apiId).stageName("no/slash")),
                    "BadRequestException", 400, "Invalid stage name");
            assertThat(apis.getStages(r -> r.apiId(apiId)).items()).hasSize(1);
            apis.deleteApi(r -> r.apiId(apiId));
            assertApiError(() -> apis.deleteApi(r -> r.apiId(apiId)), "NotFoundException", 404,
                    "Invalid API identifier specified");
        }
    }

    @Test
    void apisSurviveARestart(@TempDir Path dataDir) throws Exception {
        String apiId;
        try (KindlingServer server = ServerFixture.start(dataDir); ApiGatewayV2Client apis = client(server);
                LambdaClient lambda = ServerFixture.client(server)) {
            lambda.createFunction(ServerFixture.create("users", ServerFixture.zip("durable")).build());
            apiId = apis.createApi(r -> r.name("durable").protocolType(ProtocolType.HTTP).target(FUNCTION)).apiId();
            apis.createStage(r -> r.apiId(apiId).stageName("prod").stageVariables(Map.of("k", "v")));
            apis.createDeployment(r -> r.apiId(apiId).stageName("prod"));
            lambda.addPermission(r -> r.functionName("users").statementId("apigw").action("lambda:InvokeFunction")
                    .principal("apigateway.amazonaws.com")
                    .sourceArn("arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/*"));
        }
        try (KindlingServer server = ServerFixture.start(dataDir); ApiGatewayV2Client apis = client(server)) {
            assertThat(apis.getApi(r -> r.apiId(apiId)).name()).isEqualTo("durable");
            assertThat(apis.getRoutes(r -> r.apiId(apiId)).items()).extracting(r -> r.routeKey())
                    .containsExactly("$default");
            assertThat(apis.getIntegrations(r -> r.apiId(apiId)).items()).extracting(i -> i.integrationUri())
                    .containsExactly(FUNCTION);
            assertThat(apis.getStages(r -> r.apiId(apiId)).items()).extracting(s -> s.stageName())
                    .containsExactly("$default", "prod");
            assertThat(apis.getStage(r -> r.apiId(apiId).stageName("prod")).stageVariables())
                    .isEqualTo(Map.of("k", "v"));
            HttpResponse<String> served = ServerFixture.HTTP.send(HttpRequest.newBuilder(URI.create(
                    server.endpoint() + "/execute-api/" + apiId + "/prod/anything")).timeout(
                    ServerFixture.INVOCATION_READ_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
            assertThat(served.body()).isEqualTo("{\"marker\": \"durable\"}");
        }
    }
}

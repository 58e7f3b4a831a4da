package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/**
 * Requests to HTTP APIs reach real Python functions and come back as API Gateway answers them: both payload formats,
 * route precedence, stages, status codes, headers, cookies, query strings, binary bodies, and the refusals (no
 * route, no permission, no function, a failing function).
 */
class HttpApiInvocationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static ApiGatewayV2Client apis;

    /** A users API written as the guides write it for payload 1.0. */
    private static final String USERS = """
            import json
            users = {}

            def respond(status, body):
                return {'statusCode': status, 'headers': {'Content-Type': 'application/json'},
                        'body': '' if body is None else json.dumps(body)}

            def handler(event, context):
                method, path = event['httpMethod'], event['path']
                if path == '/users' and method == 'GET':
                    return respond(200, sorted(users.values(), key=lambda u: u['id']))
                if path == '/users' and method == 'POST':
                    user = json.loads(event['body'])
                    users[user['id']] = user
                    return respond(201, user)
                user_id = event['pathParameters']['id']
                if method == 'GET':
                    return respond(200, users[user_id]) if user_id in users else respond(404, {'error': 'no such user'})
                if method == 'DELETE':
                    users.pop(user_id, None)
                    return respond(204, None)
                return respond(405, {'error': method})
            """;

    /** Answers as the query's {@code mode} asks, in payload format {@code FORMAT}'s response shape. */
    private static final String ECHO = """
            import base64, json, time

            def handler(event, context):
                mode = (event.get('queryStringParameters') or {}).get('mode', 'echo')
                if mode == 'fail':
                    raise ValueError('boom')
                if mode == 'slow':
                    time.sleep(3)
                if mode == 'binary':
                    return {'statusCode': 200, 'headers': {'Content-Type': 'image/png'}, 'isBase64Encoded': True,
                            'body': base64.b64encode(bytes(range(256))).decode()}
                if mode == 'cookies' and event.get('version') == '1.0':
                    return {'statusCode': 201, 'headers': {'X-Custom': 'yes'},
                            'multiValueHeaders': {'Set-Cookie': ['a=1', 'b=2']}, 'body': 'made'}
                if mode == 'cookies':
                    return {'statusCode': 201, 'headers': {'X-Custom': 'yes'}, 'cookies': ['a=1', 'b=2'],
                            'body': 'made'}
                if mode == 'bare':
                    return {'hello': 'world'}
                return {'statusCode': 200, 'body': json.dumps(event)}
            """;

    private static String usersFunction;
    private static String echoFunction;

    @BeforeAll
    static void functions() {
        apis = HttpApiControlTest.client(kindling.server());
        usersFunction = function(USERS);
        echoFunction = function(ECHO);
    }

    @AfterAll
    static void close() {
        apis.close();
    }

    private static String function(String source) {
        String name = "api-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zipOf(
                Map.of("lambda_function.py", source))).handler("lambda_function.handler").timeout(30).build());
        return name;
    }

    private static String arn(String function) {
        return ServerFixture.ARN_PREFIX + function;
    }

    /** Lets API Gateway invoke {@code function} for every route and stage of {@code apiId}, as guides do. */
    private static void permit(String function, String apiId) {
        kindling.lambda().addPermission(r -> r.functionName(function).statementId("apigw-" + apiId)
                .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com")
                .sourceArn("arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/*"));
    }

    /** An API with one integration to {@code function} in {@code format}, its routes, and a {@code $default} stage. */
    private static String api(String function, String format, String... routeKeys) {
        String apiId = apis.createApi(r -> r.name("api").protocolType(ProtocolType.HTTP)).apiId();
        String integration = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(arn(function)).payloadFormatVersion(format)).integrationId();
        for (String key : routeKeys) {
            apis.createRoute(r -> r.apiId(apiId).routeKey(key).target("integrations/" + integration));
        }
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));
        return apiId;
    }

    private static String url(String apiId, String pathAndQuery) {
        return kindling.server().endpoint() + "/execute-api/" + apiId + pathAndQuery;
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return ServerFixture.HTTP.send(request.timeout(ServerFixture.INVOCATION_READ_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<byte[]> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)));
    }

    private static HttpResponse<byte[]> call(String method, String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(text(response), e);
        }
    }

    /** The event the echo function got, from its answer. */
    private static JsonNode event(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        return json(response);
    }

    @Test
    void aUsersApiWithPayload10WorksAsTheGuidesWriteIt() {
        String apiId = api(usersFunction, "1.0", "GET /users", "POST /users", "GET /users/{id}",
                "DELETE /users/{id}");
        permit(usersFunction, apiId);
        assertThat(json(get(url(apiId, "/users")))).isEmpty();
        HttpResponse<byte[]> created = call("POST", url(apiId, "/users"), "{\"id\":\"42\",\"name\":\"Ada\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("content-type")).contains("application/json");
        assertThat(created.headers().firstValue("apigw-requestid")).isPresent();
        call("POST", url(apiId, "/users"), "{\"id\":\"7\",\"name\":\"Grace\"}");
        assertThat(json(get(url(apiId, "/users/42"))).path("name").asText()).isEqualTo("Ada");
        assertThat(json(get(url(apiId, "/users"))).findValuesAsText("name")).containsExactly("Ada", "Grace");
        assertThat(call("DELETE", url(apiId, "/users/42"), null).statusCode()).isEqualTo(204);
        HttpResponse<byte[]> gone = get(url(apiId, "/users/42"));
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json(gone).path("error").asText()).isEqualTo("no such user");

        HttpResponse<byte[]> noRoute = call("PUT", url(apiId, "/users"), "{}");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(text(noRoute)).isEqualTo("{\"message\":\"Not Found\"}");
        assertThat(get(url(apiId, "/elsewhere")).statusCode()).isEqualTo(404);
    }

    @Test
    void payload10EventCarriesTheRequestAndTheResponseMapsBack() {
        String apiId = api(echoFunction, "1.0", "ANY /items/{id}", "GET /files/{path+}");
        permit(echoFunction, apiId);
        apis.createStage(r -> r.apiId(apiId).stageName("prod").autoDeploy(true)
                .stageVariables(Map.of("table", "items")));
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(url(apiId,
                "/prod/items/a%20b?q=1&q=2&single=x"))).POST(HttpRequest.BodyPublishers.ofString("{\"k\": 1}"))
                .header("Content-Type", "application/json").header("X-Repeated", "one").header("X-Repeated", "two")
                .header("Cookie", "session=abc"));
        JsonNode event = event(response);
        assertThat(event.path("version").asText()).isEqualTo("1.0");
        assertThat(event.path("httpMethod").asText()).isEqualTo("POST");
        assertThat(event.path("resource").asText()).isEqualTo("/items/{id}");
        assertThat(event.path("path").asText()).isEqualTo("/prod/items/a%20b");
        assertThat(event.path("pathParameters").path("id").asText()).isEqualTo("a b");
        assertThat(event.path("stageVariables").path("table").asText()).isEqualTo("items");
        assertThat(event.path("queryStringParameters").path("q").asText()).isEqualTo("2");
        assertThat(event.path("multiValueQueryStringParameters").path("q")).extracting(JsonNode::asText)
                .containsExactly("1", "2");
        assertThat(event.path("headers").path("X-Repeated").asText()).as("the case sent").isEqualTo("two");
        assertThat(event.path("multiValueHeaders").path("X-Repeated")).extracting(JsonNode::asText)
                .containsExactly("one", "two");
        assertThat(event.path("headers").path("Cookie").asText()).isEqualTo("session=abc");
        assertThat(event.path("headers").path("X-Forwarded-For").asText()).isEqualTo("127.0.0.1");
        assertThat(event.path("body").asText()).isEqualTo("{\"k\": 1}");
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
        JsonNode context = event.path("requestContext");
        assertThat(context.path("apiId").asText()).isEqualTo(apiId);
        assertThat(context.path("accountId").asText()).isEqualTo(ServerFixture.ACCOUNT);
        assertThat(context.path("stage").asText()).isEqualTo("prod");
        assertThat(context.path("resourcePath").asText()).isEqualTo("/items/{id}");
        assertThat(context.path("resourceId").asText()).isEqualTo("ANY /items/{id}");
        assertThat(context.path("httpMethod").asText()).isEqualTo("POST");
        assertThat(context.path("domainName").asText()).isEqualTo(apiId + ".execute-api.localhost");
        assertThat(context.path("domainPrefix").asText()).isEqualTo(apiId);
        assertThat(context.path("identity").path("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(context.path("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(context.path("requestId").asText()).isEqualTo(response.headers().firstValue("apigw-requestid")
                .orElseThrow());
        assertThat(context.path("requestTimeEpoch").asLong()).isPositive();

        JsonNode greedy = event(get(url(apiId, "/files/a/b/c.txt")));
        assertThat(greedy.path("pathParameters").path("path").asText()).isEqualTo("a/b/c.txt");
        assertThat(greedy.path("queryStringParameters").isNull()).isTrue();
        assertThat(greedy.path("stageVariables").isNull()).isTrue();
        assertThat(greedy.path("body").isNull()).isTrue();

        byte[] binary = {0, (byte) 0xff, 1, (byte) 0xfe};
        JsonNode binaryEvent = event(send(HttpRequest.newBuilder(URI.create(url(apiId, "/items/1")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(binary)).header("Content-Type",
                        "application/octet-stream")));
        assertThat(binaryEvent.path("isBase64Encoded").asBoolean()).isTrue();
        assertThat(java.util.Base64.getDecoder().decode(binaryEvent.path("body").asText())).isEqualTo(binary);

        HttpResponse<byte[]> cookies = get(url(apiId, "/items/1?mode=cookies"));
        assertThat(cookies.statusCode()).isEqualTo(201);
        assertThat(cookies.headers().allValues("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(cookies.headers().firstValue("x-custom")).contains("yes");
        assertThat(text(cookies)).isEqualTo("made");
        HttpResponse<byte[]> image = get(url(apiId, "/items/1?mode=binary"));
        assertThat(image.headers().firstValue("content-type")).contains("image/png");
        assertThat(image.body()).hasSize(256).startsWith(0, 1, 2);

        HttpResponse<byte[]> bare = get(url(apiId, "/items/1?mode=bare"));
        assertThat(bare.statusCode()).as("format 1.0 infers nothing").isEqualTo(500);
        assertThat(text(bare)).isEqualTo("{\"message\":\"Internal Server Error\"}");
        HttpResponse<byte[]> failed = get(url(apiId, "/items/1?mode=fail"));
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(text(failed)).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(get(url(apiId, "/prod/items/1")).statusCode()).as("the stage still serves").isEqualTo(200);
    }

    @Test
    void quickCreateServesPayload20AtTheApiEndpointsHost() throws Exception {
        var api = apis.createApi(r -> r.name("quick").protocolType(ProtocolType.HTTP).target(arn(echoFunction)));
        permit(echoFunction, api.apiId());
        URI endpoint = URI.create(api.apiEndpoint());
        String raw = rawGet(endpoint.getHost(), "/any/path?x=1&x=2", "Cookie: c1=v1; c2=v2");
        assertThat(raw).startsWith("HTTP/1.1 200");
        JsonNode event = JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("$default");
        assertThat(event.path("rawPath").asText()).isEqualTo("/any/path");
        assertThat(event.path("rawQueryString").asText()).isEqualTo("x=1&x=2");
        assertThat(event.path("queryStringParameters").path("x").asText()).isEqualTo("1,2");
        assertThat(event.path("cookies")).extracting(JsonNode::asText).containsExactly("c1=v1", "c2=v2");
        assertThat(event.path("requestContext").path("domainName").asText()).isEqualTo(endpoint.getHost());
        assertThat(event.path("requestContext").path("stage").asText()).isEqualTo("$default");
        assertThat(event.has("pathParameters")).isFalse();

        HttpResponse<byte[]> bare = get(url(api.apiId(), "/x?mode=bare"));
        assertThat(bare.statusCode()).as("format 2.0 infers a response").isEqualTo(200);
        assertThat(json(bare).path("hello").asText()).isEqualTo("world");
        HttpResponse<byte[]> cookies = get(url(api.apiId(), "/x?mode=cookies"));
        assertThat(cookies.statusCode()).isEqualTo(201);
        assertThat(cookies.headers().allValues("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(get(url(api.apiId(), "/x?mode=fail")).statusCode()).isEqualTo(500);

        String routeId = apis.createRoute(r -> r.apiId(api.apiId()).routeKey("GET /things/{id}").target(
                apis.getRoutes(g -> g.apiId(api.apiId())).items().getFirst().target())).routeId();
        JsonNode routed = event(get(url(api.apiId(), "/things/9")));
        assertThat(routed.path("routeKey").asText()).isEqualTo("GET /things/{id}");
        assertThat(routed.path("pathParameters").path("id").asText()).isEqualTo("9");
        apis.deleteRoute(r -> r.apiId(api.apiId()).routeId(routeId));
        assertThat(event(get(url(api.apiId(), "/things/9"))).path("routeKey").asText()).isEqualTo("$default");
    }

    @Test
    void refusalsAnswerAsApiGatewayDoesAndDisturbNothingElse() {
        String unpermitted = function(ECHO);
        String apiId = api(unpermitted, "2.0", "ANY /{proxy+}");
        HttpResponse<byte[]> refused = get(url(apiId, "/x"));
        assertThat(refused.statusCode()).as("no AddPermission for apigateway.amazonaws.com").isEqualTo(500);
        assertThat(text(refused)).isEqualTo("{\"message\":\"Internal Server Error\"}");
        kindling.lambda().addPermission(r -> r.functionName(unpermitted).statementId("other-api")
                .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com")
                .sourceArn("arn:aws:execute-api:us-east-1:000000000000:otherapi00/*"));
        assertThat(get(url(apiId, "/x")).statusCode()).as("a permission for another API").isEqualTo(500);
        permit(unpermitted, apiId);
        assertThat(get(url(apiId, "/x")).statusCode()).isEqualTo(200);

        String missing = apis.createApi(r -> r.name("missing").protocolType(ProtocolType.HTTP)
                .target(arn("no-such-function"))).apiId();
        assertThat(get(url(missing, "/")).statusCode()).as("integration to a missing function").isEqualTo(500);
        assertThat(get(url("nosuchapi0", "/")).statusCode()).isEqualTo(404);
        String noStage = apis.createApi(r -> r.name("no-stage").protocolType(ProtocolType.HTTP)).apiId();
        assertThat(get(url(noStage, "/")).statusCode()).isEqualTo(404);

        for (int size : new int[] {7 * 1024 * 1024, 11 * 1024 * 1024}) { // past Lambda's 6 MB; past the API's 10 MB
            HttpResponse<byte[]> tooLarge = send(HttpRequest.newBuilder(URI.create(url(apiId, "/x")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[size])).header("Content-Type", "text/plain"));
            assertThat(tooLarge.statusCode()).as("%d bytes", size).isEqualTo(413);
            assertThat(text(tooLarge)).isEqualTo("{\"message\":\"Request Entity Too Large\"}");
        }
        assertThat(get(url(apiId, "/x")).statusCode()).as("served after the refusals").isEqualTo(200);

        apis.updateApi(r -> r.apiId(apiId).disableExecuteApiEndpoint(true));
        HttpResponse<byte[]> disabled = get(url(apiId, "/x"));
        assertThat(disabled.statusCode()).isEqualTo(403);
        assertThat(text(disabled)).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(kindling.lambda().invoke(r -> r.functionName(unpermitted)).statusCode())
                .as("the function itself is untouched").isEqualTo(200);
    }

    @Test
    void anAwsIamRouteTakesRequestsSignedForExecuteApiOnly() {
        String apiId = apis.createApi(r -> r.name("iam").protocolType(ProtocolType.HTTP)).apiId();
        for (String format : new String[] {"1.0", "2.0"}) {
            String integration = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                    .integrationUri(arn(echoFunction)).payloadFormatVersion(format)).integrationId();
            var route = apis.createRoute(r -> r.apiId(apiId).routeKey("GET /private/v" + format.charAt(0))
                    .authorizationType("AWS_IAM").target("integrations/" + integration));
            assertThat(route.authorizationTypeAsString()).isEqualTo("AWS_IAM");
        }
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));
        permit(echoFunction, apiId);
        String url = url(apiId, "/private/v1");

        HttpResponse<byte[]> unsigned = get(url);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(text(unsigned)).isEqualTo("{\"message\":\"Forbidden\"}");
        assertThat(signedGet(url, "lambda", "test").statusCode()).as("signed for another service").isEqualTo(403);
        HttpResponse<byte[]> badKey = signedGet(url, "execute-api", "not-the-secret");
        assertThat(badKey.statusCode()).isEqualTo(403);
        assertThat(text(badKey)).contains("signature");

        JsonNode v1 = event(signedGet(url, "execute-api", "test"));
        JsonNode identity = v1.path("requestContext").path("identity");
        assertThat(identity.path("accessKey").asText()).isEqualTo("test");
        assertThat(identity.path("accountId").asText()).isEqualTo(ServerFixture.ACCOUNT);
        assertThat(identity.path("userArn").asText()).isEqualTo("arn:aws:iam::000000000000:root");
        JsonNode v2 = event(signedGet(url(apiId, "/private/v2"), "execute-api", "test"));
        JsonNode iam = v2.path("requestContext").path("authorizer").path("iam");
        assertThat(iam.path("accessKey").asText()).isEqualTo("test");
        assertThat(iam.path("userArn").asText()).isEqualTo("arn:aws:iam::000000000000:root");
    }

    /** A GET signed with SigV4 by the SDK's signer for {@code service}, with the key "test" and {@code secret}. */
    private static HttpResponse<byte[]> signedGet(String url, String service, String secret) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(URI.create(url)).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create("test", secret)).request(request)
                .payload(ContentStreamProvider.fromByteArray(new byte[0]))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(url));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> out.header(name, v));
            }
        });
        return send(out);
    }

    @Test
    void aStageServesOnceSomethingIsDeployedToIt() {
        String apiId = api(echoFunction, "2.0", "GET /items");
        permit(echoFunction, apiId);
        apis.createStage(r -> r.apiId(apiId).stageName("beta"));
        assertThat(get(url(apiId, "/beta/items")).statusCode()).as("nothing deployed to beta").isEqualTo(404);
        var deployment = apis.createDeployment(r -> r.apiId(apiId).stageName("beta").description("first"));
        assertThat(deployment.deploymentId()).matches("[a-z0-9]{6}");
        assertThat(deployment.deploymentStatusAsString()).isEqualTo("DEPLOYED");
        assertThat(apis.getStage(r -> r.apiId(apiId).stageName("beta")).deploymentId())
                .isEqualTo(deployment.deploymentId());
        JsonNode event = event(get(url(apiId, "/beta/items")));
        assertThat(event.path("requestContext").path("stage").asText()).isEqualTo("beta");
        assertThat(event.path("rawPath").asText()).isEqualTo("/beta/items");
        assertThat(apis.getDeployments(r -> r.apiId(apiId)).items()).extracting(d -> d.description())
                .containsExactly("first");
        HttpApiControlTest.assertApiError(() -> apis.deleteDeployment(r -> r.apiId(apiId)
                .deploymentId(deployment.deploymentId())), "BadRequestException", 400,
                "Active stages pointing to this deployment must be moved or deleted");
        HttpApiControlTest.assertApiError(() -> apis.createDeployment(r -> r.apiId(apiId).stageName("$default")),
                "BadRequestException", 400, "AutoDeploy");
        apis.deleteStage(r -> r.apiId(apiId).stageName("beta"));
        apis.deleteDeployment(r -> r.apiId(apiId).deploymentId(deployment.deploymentId()));
        HttpApiControlTest.assertApiError(() -> apis.getDeployment(r -> r.apiId(apiId)
                .deploymentId(deployment.deploymentId())), "NotFoundException", 404,
                "Invalid Deployment identifier specified");
    }

    @Test
    void anAliasIntegrationNeedsThePermissionOnTheAlias() {
        String function = function(ECHO);
        String version = kindling.lambda().publishVersion(r -> r.functionName(function)).version();
        kindling.lambda().createAlias(r -> r.functionName(function).name("live").functionVersion(version));
        String apiId = apis.createApi(r -> r.name("alias").protocolType(ProtocolType.HTTP)
                .target(arn(function) + ":live")).apiId();
        permit(function, apiId);
        assertThat(get(url(apiId, "/x")).statusCode()).as("the function's policy does not cover its alias")
                .isEqualTo(500);
        kindling.lambda().addPermission(r -> r.functionName(function).qualifier("live").statementId("apigw")
                .action("lambda:InvokeFunction").principal("apigateway.amazonaws.com")
                .sourceArn("arn:aws:execute-api:us-east-1:000000000000:" + apiId + "/*/$default"));
        HttpResponse<byte[]> served = get(url(apiId, "/x"));
        assertThat(served.statusCode()).as(text(served)).isEqualTo(200);
        kindling.lambda().deleteFunction(r -> r.functionName(function));
        assertThat(get(url(apiId, "/x")).statusCode()).as("the function deleted").isEqualTo(500);
    }

    @Test
    void corsIsAnsweredByTheApiAndTheIntegrationTimeoutIsKept() {
        String apiId = apis.createApi(r -> r.name("cors").protocolType(ProtocolType.HTTP).corsConfiguration(c -> c
                .allowOrigins("https://app.example").allowMethods("GET", "POST").allowHeaders("content-type")
                .exposeHeaders("x-custom").maxAge(600))).apiId();
        String integration = apis.createIntegration(r -> r.apiId(apiId).integrationType(IntegrationType.AWS_PROXY)
                .integrationUri(arn(echoFunction)).payloadFormatVersion("2.0").timeoutInMillis(500)).integrationId();
        apis.createRoute(r -> r.apiId(apiId).routeKey("GET /items").target("integrations/" + integration));
        apis.createStage(r -> r.apiId(apiId).stageName("$default").autoDeploy(true));
        permit(echoFunction, apiId);
        assertThat(apis.getApi(r -> r.apiId(apiId)).corsConfiguration().maxAge()).isEqualTo(600);

        HttpResponse<byte[]> preflight = send(HttpRequest.newBuilder(URI.create(url(apiId, "/items")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(preflight.statusCode()).as("no OPTIONS route: API Gateway answers").isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).contains("GET,POST");
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).contains("content-type");
        assertThat(preflight.headers().firstValue("access-control-max-age")).contains("600");
        HttpResponse<byte[]> allowed = send(HttpRequest.newBuilder(URI.create(url(apiId, "/items")))
                .header("Origin", "https://app.example"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).contains("https://app.example");
        assertThat(allowed.headers().firstValue("access-control-expose-headers")).contains("x-custom");
        HttpResponse<byte[]> other = send(HttpRequest.newBuilder(URI.create(url(apiId, "/items")))
                .header("Origin", "https://evil.example"));
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();

        long started = System.nanoTime();
        HttpResponse<byte[]> slow = get(url(apiId, "/items?mode=slow"));
        assertThat(slow.statusCode()).as("past the integration's 500 ms").isEqualTo(503);
        assertThat(text(slow)).isEqualTo("{\"message\":\"Service Unavailable\"}");
        assertThat(System.nanoTime() - started).as("answered before the function ended").isLessThan(2_900_000_000L);
    }

    /** A GET sent to Kindling's port with {@code host} in its Host header, as a client resolving it would send. */
    private static String rawGet(String host, String pathAndQuery, String extraHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", kindling.server().port())) {
            socket.setSoTimeout((int) ServerFixture.INVOCATION_READ_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + kindling.server().port()
                    + "\r\n" + extraHeader + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

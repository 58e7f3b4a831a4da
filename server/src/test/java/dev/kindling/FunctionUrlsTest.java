package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Cors;
import software.amazon.awssdk.services.lambda.model.CreateFunctionUrlConfigResponse;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;
import software.amazon.awssdk.services.lambda.model.InvokeMode;

/**
 * Function URLs end to end: the configuration operations through the AWS SDK, and requests through plain HTTP to a
 * Python contact-form handler, by host name and by path, with NONE and AWS_IAM auth.
 */
class FunctionUrlsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One handler for every case, chosen by path, so the tests share a warm environment. */
    private static final String HANDLER = """
            import base64, json

            def handler(event, context):
                path = event['rawPath']
                if path == '/contact':
                    form = json.loads(event['body'])
                    if not form.get('email'):
                        return {'statusCode': 400, 'body': json.dumps({'error': 'email is required'})}
                    return {'statusCode': 201,
                            'headers': {'Content-Type': 'application/json', 'X-Contact': form['name']},
                            'cookies': ['seen=1; Max-Age=60', 'form=contact'],
                            'body': json.dumps({'thanks': form['name'], 'query': event.get('queryStringParameters')})}
                if path == '/binary':
                    data = base64.b64decode(event['body']) if event['isBase64Encoded'] else event['body'].encode()
                    return {'statusCode': 200, 'headers': {'Content-Type': 'application/octet-stream'},
                            'isBase64Encoded': True, 'body': base64.b64encode(data[::-1]).decode()}
                if path == '/fail':
                    raise ValueError('the form service is down')
                if path == '/text':
                    return 'plain words'
                return event
            """;

    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static String publicUrl;
    private static String publicId;

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void createFunction(LambdaClient lambda, String name) {
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zipOf(Map.of("lambda_function.py", HANDLER)))
                .handler("lambda_function.handler").build());
    }

    /** The public URL of "contact": NONE, with both statements AWS requires since October 2025. */
    @BeforeAll
    static void publicContactForm() {
        LambdaClient lambda = kindling.lambda();
        createFunction(lambda, "contact");
        CreateFunctionUrlConfigResponse url = lambda.createFunctionUrlConfig(r -> r.functionName("contact")
                .authType(FunctionUrlAuthType.NONE).cors(Cors.builder().allowOrigins("https://shop.example")
                        .allowMethods("POST", "GET").allowHeaders("content-type").exposeHeaders("x-contact")
                        .maxAge(600).build()));
        lambda.addPermission(r -> r.functionName("contact").statementId("url").action("lambda:InvokeFunctionUrl")
                .principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        lambda.addPermission(r -> r.functionName("contact").statementId("invoke").action("lambda:InvokeFunction")
                .principal("*").invokedViaFunctionUrl(true));
        publicUrl = url.functionUrl();
        publicId = URI.create(publicUrl).getHost().split("\\.")[0];
    }

    /** The path form of a URL: {@code http://127.0.0.1:<port>/lambda-url/<id><path>}. */
    private static URI byPath(String id, String pathAndQuery) {
        return URI.create(kindling.server().endpoint() + "/lambda-url/" + id + pathAndQuery);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return ServerFixture.HTTP.send(request.timeout(ServerFixture.INVOCATION_READ_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void theContactFormReadsItsJsonBodyAndAnswersWithStatusHeadersAndCookies() {
        HttpResponse<byte[]> sent = send(HttpRequest.newBuilder(byPath(publicId, "/contact?src=ad&src=mail"))
                .header("Content-Type", "application/json").header("Origin", "https://shop.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Ann\",\"email\":\"ann@example.com\"}")));
        assertThat(sent.statusCode()).as(text(sent)).isEqualTo(201);
        assertThat(json(text(sent))).isEqualTo(json("{\"thanks\":\"Ann\",\"query\":{\"src\":\"ad,mail\"}}"));
        assertThat(sent.headers().firstValue("x-contact")).hasValue("Ann");
        assertThat(sent.headers().allValues("set-cookie")).containsExactly("seen=1; Max-Age=60", "form=contact");
        assertThat(sent.headers().firstValue("access-control-allow-origin")).hasValue("https://shop.example");
        assertThat(sent.headers().firstValue("access-control-expose-headers")).hasValue("x-contact");
        assertThat(sent.headers().firstValue("x-amzn-requestid")).isPresent();

        HttpResponse<byte[]> invalid = send(HttpRequest.newBuilder(byPath(publicId, "/contact"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Bo\"}")));
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(invalid.headers().firstValue("access-control-allow-origin")).as("no Origin sent").isEmpty();
    }

    @Test
    void theEventIsPayloadFormatTwo() throws Exception {
        String raw = rawRequest(publicId + ".lambda-url.us-east-1.localhost:" + kindling.server().port(),
                "GET /echo/a%20b?x=1&x=2&y HTTP/1.1", "Cookie: a=1; b=2", "X-Twice: one", "X-Twice: two",
                "User-Agent: raw-test");
        assertThat(raw).startsWith("HTTP/1.1 200");
        JsonNode event = json(raw.substring(raw.indexOf("\r\n\r\n") + 4));
        assertThat(event.path("version").asText()).isEqualTo("2.0");
        assertThat(event.path("routeKey").asText()).isEqualTo("$default");
        assertThat(event.path("rawPath").asText()).isEqualTo("/echo/a%20b");
        assertThat(event.path("rawQueryString").asText()).isEqualTo("x=1&x=2&y");
        assertThat(event.path("cookies")).isEqualTo(json("[\"a=1\",\"b=2\"]"));
        assertThat(event.path("headers").path("x-twice").asText()).isEqualTo("one,two");
        assertThat(event.path("headers").has("cookie")).isFalse();
        assertThat(event.path("queryStringParameters")).isEqualTo(json("{\"x\":\"1,2\",\"y\":\"\"}"));
        assertThat(event.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(event.has("body")).isFalse();
        JsonNode context = event.path("requestContext");
        assertThat(context.path("accountId").asText()).isEqualTo("anonymous");
        assertThat(context.path("apiId").asText()).isEqualTo(publicId);
        assertThat(context.path("domainName").asText()).isEqualTo(publicId + ".lambda-url.us-east-1.localhost");
        assertThat(context.path("domainPrefix").asText()).isEqualTo(publicId);
        assertThat(context.path("http")).isEqualTo(json("{\"method\":\"GET\",\"path\":\"/echo/a%20b\","
                + "\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\",\"userAgent\":\"raw-test\"}"));
        assertThat(context.path("stage").asText()).isEqualTo("$default");
        assertThat(context.path("time").asText()).matches("\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000");
        assertThat(context.path("timeEpoch").asLong()).isPositive();
        assertThat(context.path("requestId").asText()).isNotBlank();

        HttpResponse<byte[]> text = send(HttpRequest.newBuilder(byPath(publicId, "/text")));
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text(text)).isEqualTo("plain words");
        assertThat(text.headers().firstValue("content-type")).hasValue("application/json");
    }

    @Test
    void binaryBodiesTravelBothWays() {
        byte[] image = new byte[70_000];
        for (int i = 0; i < image.length; i++) {
            image[i] = (byte) (i * 31);
        }
        HttpResponse<byte[]> sent = send(HttpRequest.newBuilder(byPath(publicId, "/binary"))
                .header("Content-Type", "image/png").POST(HttpRequest.BodyPublishers.ofByteArray(image)));
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.headers().firstValue("content-type")).hasValue("application/octet-stream");
        byte[] reversed = new byte[image.length];
        for (int i = 0; i < image.length; i++) {
            reversed[i] = image[image.length - 1 - i];
        }
        assertThat(sent.body()).isEqualTo(reversed);
    }

    @Test
    void corsPreflightIsAnsweredWithoutTheFunction() {
        HttpResponse<byte[]> allowed = send(HttpRequest.newBuilder(byPath(publicId, "/contact"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://shop.example")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).isEmpty();
        assertThat(allowed.headers().firstValue("access-control-allow-origin")).hasValue("https://shop.example");
        assertThat(allowed.headers().firstValue("access-control-allow-methods")).hasValue("POST,GET");
        assertThat(allowed.headers().firstValue("access-control-allow-headers")).hasValue("content-type");
        assertThat(allowed.headers().firstValue("access-control-max-age")).hasValue("600");
        HttpResponse<byte[]> other = send(HttpRequest.newBuilder(byPath(publicId, "/contact"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void aFunctionErrorIsABadGateway() {
        HttpResponse<byte[]> failed = send(HttpRequest.newBuilder(byPath(publicId, "/fail")));
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(text(failed)).isEqualTo("Internal Server Error");
        HttpResponse<byte[]> unknown = send(HttpRequest.newBuilder(byPath("0123456789abcdefghijklmnopqrstuv", "/")));
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(text(unknown)).isEqualTo("{\"Message\":null}");
        assertThat(unknown.headers().firstValue("x-amzn-errortype")).hasValue("AccessDeniedException");
        HttpResponse<byte[]> huge = send(HttpRequest.newBuilder(byPath(publicId, "/contact"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[7 * 1024 * 1024])));
        assertThat(huge.statusCode()).isEqualTo(413);
        HttpResponse<byte[]> hugeHeader = send(HttpRequest.newBuilder(byPath(publicId, "/text"))
                .header("X-Huge", "h".repeat(20_000)));
        assertThat(hugeHeader.statusCode()).as("refused before anything runs").isEqualTo(431);
        assertThat(send(HttpRequest.newBuilder(byPath(publicId, "/text"))).statusCode()).as("and then served")
                .isEqualTo(200);
    }

    @Test
    void aPublicUrlNeedsBothStatements() {
        LambdaClient lambda = kindling.lambda();
        createFunction(lambda, "closed");
        String id = URI.create(lambda.createFunctionUrlConfig(r -> r.functionName("closed")
                .authType(FunctionUrlAuthType.NONE)).functionUrl()).getHost().split("\\.")[0];
        HttpResponse<byte[]> none = send(HttpRequest.newBuilder(byPath(id, "/text")));
        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(json(text(none)).path("Message").asText()).startsWith("Forbidden.");
        lambda.addPermission(r -> r.functionName("closed").statementId("url").action("lambda:InvokeFunctionUrl")
                .principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        assertThat(send(HttpRequest.newBuilder(byPath(id, "/text"))).statusCode()).as("only one of two")
                .isEqualTo(403);
        lambda.addPermission(r -> r.functionName("closed").statementId("invoke").action("lambda:InvokeFunction")
                .principal("*").invokedViaFunctionUrl(true));
        assertThat(send(HttpRequest.newBuilder(byPath(id, "/text"))).statusCode()).isEqualTo(200);
    }

    @Test
    void anAliasUrlFollowsTheAliasPolicyAndOutlivesTheAlias() {
        LambdaClient lambda = kindling.lambda();
        createFunction(lambda, "scoped");
        lambda.createAlias(r -> r.functionName("scoped").name("live").functionVersion("$LATEST"));
        String id = URI.create(lambda.createFunctionUrlConfig(r -> r.functionName("scoped").qualifier("live")
                .authType(FunctionUrlAuthType.NONE)).functionUrl()).getHost().split("\\.")[0];
        for (String qualifier : new String[] {null, "live"}) {
            assertThat(send(HttpRequest.newBuilder(byPath(id, "/text"))).statusCode())
                    .as("granted on %s only so far", qualifier == null ? "nothing" : "the function").isEqualTo(403);
            lambda.addPermission(r -> r.functionName("scoped").qualifier(qualifier).statementId("url")
                    .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
            lambda.addPermission(r -> r.functionName("scoped").qualifier(qualifier).statementId("invoke")
                    .action("lambda:InvokeFunction").principal("*").invokedViaFunctionUrl(true));
        }
        HttpResponse<byte[]> ran = send(HttpRequest.newBuilder(byPath(id, "/text")));
        assertThat(ran.statusCode()).as("granted on the alias").isEqualTo(200);
        lambda.deleteAlias(r -> r.functionName("scoped").name("live"));
        assertThat(send(HttpRequest.newBuilder(byPath(id, "/text"))).statusCode()).isEqualTo(403);
        // The URL outlives its alias, as on AWS: the alias made again (its policy went with it) serves it again.
        lambda.createAlias(r -> r.functionName("scoped").name("live").functionVersion("$LATEST"));
        lambda.addPermission(r -> r.functionName("scoped").qualifier("live").statementId("url")
                .action("lambda:InvokeFunctionUrl").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        lambda.addPermission(r -> r.functionName("scoped").qualifier("live").statementId("invoke")
                .action("lambda:InvokeFunction").principal("*").invokedViaFunctionUrl(true));
        assertThat(send(HttpRequest.newBuilder(byPath(id, "/text"))).statusCode()).isEqualTo(200);
    }

    @Test
    void anIamUrlTakesSignedRequestsOnly() {
        LambdaClient lambda = kindling.lambda();
        createFunction(lambda, "private");
        lambda.publishVersion(r -> r.functionName("private"));
        lambda.createAlias(r -> r.functionName("private").name("live").functionVersion("1"));
        var url = lambda.createFunctionUrlConfig(r -> r.functionName("private").qualifier("live")
                .authType(FunctionUrlAuthType.AWS_IAM));
        assertThat(url.functionArn()).isEqualTo(ServerFixture.ARN_PREFIX + "private:live");
        String id = URI.create(url.functionUrl()).getHost().split("\\.")[0];
        HttpResponse<byte[]> unsigned = send(HttpRequest.newBuilder(byPath(id, "/echo")));
        assertThat(unsigned.statusCode()).isEqualTo(403);
        HttpResponse<String> signed = ServerFixture.signed(kindling.server(), "GET", "/lambda-url/" + id + "/echo?q=1",
                null, "test", "test");
        assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
        JsonNode iam = json(signed.body()).path("requestContext").path("authorizer").path("iam");
        assertThat(iam.path("accessKey").asText()).isEqualTo("test");
        assertThat(iam.path("userArn").asText()).isEqualTo("arn:aws:iam::000000000000:root");
        assertThat(json(signed.body()).path("requestContext").path("accountId").asText()).isEqualTo("000000000000");
        HttpResponse<String> badKey = ServerFixture.signed(kindling.server(), "GET", "/lambda-url/" + id + "/echo",
                null, "test", "wrong-secret");
        assertThat(badKey.statusCode()).isEqualTo(403);
    }

    @Test
    void configurationsHaveTheirLifeAndTheirErrors() {
        LambdaClient lambda = kindling.lambda();
        createFunction(lambda, "configured");
        var created = lambda.createFunctionUrlConfig(r -> r.functionName("configured").authType(FunctionUrlAuthType.NONE));
        assertThat(created.functionUrl()).matches("http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost:"
                + kindling.server().port() + "/");
        assertThat(created.invokeMode()).isNull();
        var read = lambda.getFunctionUrlConfig(r -> r.functionName("configured"));
        assertThat(read.invokeMode()).isEqualTo(InvokeMode.BUFFERED);
        assertThat(read.creationTime()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
        var e = assertLambdaError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("configured")
                .authType(FunctionUrlAuthType.NONE)), "ResourceConflictException", 409);
        assertThat(message(e)).contains("FunctionUrlConfig exists for this Lambda function");
        var updated = lambda.updateFunctionUrlConfig(r -> r.functionName("configured")
                .authType(FunctionUrlAuthType.AWS_IAM).invokeMode(InvokeMode.RESPONSE_STREAM));
        assertThat(updated.authType()).isEqualTo(FunctionUrlAuthType.AWS_IAM);
        assertThat(updated.functionUrl()).isEqualTo(created.functionUrl());
        assertThat(lambda.listFunctionUrlConfigs(r -> r.functionName("configured")).functionUrlConfigs())
                .singleElement().satisfies(c -> assertThat(c.invokeMode()).isEqualTo(InvokeMode.RESPONSE_STREAM));

        e = assertLambdaError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("missing")
                .authType(FunctionUrlAuthType.NONE)), "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Function does not exist");
        e = assertLambdaError(() -> lambda.getFunctionUrlConfig(r -> r.functionName("configured").qualifier("1")),
                "ValidationException", 400);
        assertThat(message(e)).isEqualTo("1 validation error detected: Value '1' at 'qualifier' failed to satisfy"
                + " constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)");
        e = assertLambdaError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("configured").qualifier("nope")
                .authType(FunctionUrlAuthType.NONE)), "ResourceNotFoundException", 404);
        assertLambdaError(() -> lambda.createFunctionUrlConfig(r -> r.functionName("configured").qualifier("x")
                .authType("OPEN")), "ValidationException", 400);
        e = assertLambdaError(() -> lambda.updateFunctionUrlConfig(r -> r.functionName("configured")
                .cors(Cors.builder().maxAge(90_000).build())), "ValidationException", 400);
        assertThat(message(e)).contains("cors.maxAge");
        assertLambdaError(() -> lambda.updateFunctionUrlConfig(r -> r.functionName("configured")
                .cors(Cors.builder().allowMethods("FETCH").build())), "InvalidParameterValueException", 400);

        lambda.deleteFunctionUrlConfig(r -> r.functionName("configured"));
        e = assertLambdaError(() -> lambda.getFunctionUrlConfig(r -> r.functionName("configured")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("The resource you requested does not exist.");
        String id = URI.create(created.functionUrl()).getHost().split("\\.")[0];
        assertThat(send(HttpRequest.newBuilder(byPath(id, "/"))).statusCode()).as("a deleted URL").isEqualTo(403);
    }

    /** A request written by hand, so that it can name the URL's host (java.net.http will not set Host). */
    private static String rawRequest(String host, String requestLine, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", kindling.server().port())) {
            socket.setSoTimeout((int) ServerFixture.INVOCATION_READ_TIMEOUT.toMillis());
            StringBuilder request = new StringBuilder(requestLine + "\r\nHost: " + host + "\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}

package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LayerVersionContentInput;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.SnapStartApplyOn;
import software.amazon.awssdk.services.lambda.model.SnapStartResponse;

/**
 * Java functions as users write them for AWS: a Maven project in the test tree (src/test/java-function, against
 * aws-lambda-java-core and aws-lambda-java-events), built once by this class with Maven, deployed through the AWS SDK
 * as a zip (classes at the root, jars under lib/) and as a fat jar, and invoked in every handler shape.
 */
class JavaFunctionsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static byte[] zipWithLib;
    private static byte[] fatJar;
    private static byte[] classesOnly;
    private static byte[] eventsLayer;

    @BeforeAll
    static void buildFunctionProject() throws Exception {
        Path project = JavaFunctionProject.build(kindling.root().resolve("java-function"));
        Map<String, byte[]> classes = JavaFunctionProject.files(project.resolve("target/classes"), "");
        Map<String, byte[]> lib = JavaFunctionProject.files(project.resolve("target/lib"), "lib/");
        Map<String, byte[]> both = new LinkedHashMap<>(classes);
        both.putAll(lib);
        zipWithLib = ServerFixture.zipWithModes(both, Set.of());
        classesOnly = ServerFixture.zipWithModes(classes, Set.of());
        fatJar = Files.readAllBytes(project.resolve("target/java-function-1.0-fat.jar"));
        Map<String, byte[]> layer = new LinkedHashMap<>();
        lib.forEach((name, bytes) -> layer.put("java/" + name, bytes));
        eventsLayer = ServerFixture.zipWithModes(layer, Set.of());
    }

    private static void create(String name, String handler, Runtime runtime, byte[] zip) {
        kindling.lambda().createFunction(ServerFixture.create(name, zip).runtime(runtime).handler(handler)
                .timeout(30).memorySize(512).build());
    }

    private static InvokeResponse invoke(String name, String payload) {
        return kindling.lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String(payload)));
    }

    private static JsonNode ok(String name, String payload) throws IOException {
        InvokeResponse response = invoke(name, payload);
        assertThat(response.functionError()).as("%s answered %s; its log:%n%s", name,
                response.payload().asUtf8String(), kindling.logGroup(name)).isNull();
        return JSON.readTree(response.payload().asUtf8String());
    }

    @Test
    void requestHandlerSeesItsContextAndLogs() throws Exception {
        create("java-hello", "example.Hello::handleRequest", Runtime.JAVA21, zipWithLib);
        InvokeResponse response = invoke("java-hello", "{\"name\":\"kindling\"}");
        JsonNode seen = JSON.readTree(response.payload().asUtf8String());
        assertThat(seen.path("greeting").asText()).as(kindling.logGroup("java-hello")).isEqualTo("hello kindling");
        assertThat(seen.path("requestId").asText()).isEqualTo(response.responseMetadata().requestId());
        assertThat(seen.path("functionName").asText()).isEqualTo("java-hello");
        assertThat(seen.path("functionVersion").asText()).isEqualTo("$LATEST");
        assertThat(seen.path("invokedFunctionArn").asText()).isEqualTo(
                "arn:aws:lambda:us-east-1:000000000000:function:java-hello");
        assertThat(seen.path("memoryLimitInMB").asInt()).isEqualTo(512);
        assertThat(seen.path("remainingTimeInMillis").asInt()).isBetween(1, 30_000);
        assertThat(seen.path("logGroupName").asText()).isEqualTo("/aws/lambda/java-hello");
        assertThat(seen.path("logStreamName").asText()).matches("\\d{4}/\\d{2}/\\d{2}/\\[\\$LATEST\\][0-9a-f]+");
        assertThat(seen.path("maxHeapMb").asLong()).as("the heap is sized from MemorySize (85%)").isBetween(400L, 440L);
        assertThat(seen.path("javaVersion").asInt()).as("java21 runs on a JDK of 21 or later").isGreaterThanOrEqualTo(21);
        assertThat(kindling.logGroup("java-hello")).contains("LambdaLogger says hello to kindling")
                .contains("second line, same event").contains("System.out says hello");

        create("java-hello-class", "example.Hello", Runtime.JAVA25, zipWithLib);
        assertThat(ok("java-hello-class", "{\"name\":\"class only\"}").path("greeting").asText())
                .as("a handler named by its class alone").isEqualTo("hello class only");
    }

    @Test
    void handlerIsBuiltOnceAndReusedWarm() throws Exception {
        create("java-counter", "example.Counter", Runtime.JAVA21, zipWithLib);
        ok("java-counter", "{}");
        ok("java-counter", "1");
        assertThat(ok("java-counter", "\"three\"").asText()).isEqualTo("classInits=1 constructed=1 calls=3");
        assertThat(kindling.logGroup("java-counter")).containsOnlyOnce("Init Duration");
    }

    @Test
    void everyHandlerShapeAndSerialization() throws Exception {
        create("java-upper", "example.Upper::handleRequest", Runtime.JAVA21, zipWithLib);
        assertThat(invoke("java-upper", "{\"a\":\"b\"}").payload().asUtf8String()).isEqualTo("{\"A\":\"B\"}");

        Map<String, List<String>> cases = new LinkedHashMap<>(); // handler: payload, answer
        cases.put("example.Plain::echo", List.of("\"words\"", "\"echo: words\""));
        cases.put("example.Plain::increment", List.of("41", "42"));
        cases.put("example.Plain::negate", List.of("true", "false"));
        cases.put("example.Plain::sum", List.of("[1,2,3,4]", "10"));
        cases.put("example.Plain::describe", List.of("{\"key\":\"value\"}", "\"value in java-shape-4\""));
        cases.put("example.Plain::streams", List.of("{\"abc\":1}", "{\"bytes\":9,\"function\":\"java-shape-5\"}"));
        cases.put("example.Plain::overloaded", List.of("\"x\"", "\"two parameters\""));
        cases.put("example.Plain::order", List.of(
                "{\"id\":\"o-1\",\"quantity\":3,\"unitPrice\":2.5,\"items\":[\"a\",\"b\"]}",
                "{\"items\":2,\"orderId\":\"o-1\",\"total\":7.5}"));
        cases.put("example.Plain::nothing", List.of("{}", "null"));
        int i = 0;
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            String name = "java-shape-" + i++;
            create(name, c.getKey(), Runtime.JAVA17, zipWithLib);
            InvokeResponse response = invoke(name, c.getValue().get(0));
            assertThat(response.functionError()).as("%s: %s%n%s", c.getKey(), response.payload().asUtf8String(),
                    kindling.logGroup(name)).isNull();
            assertThat(JSON.readTree(response.payload().asUtf8String())).as(c.getKey())
                    .isEqualTo(JSON.readTree(c.getValue().get(1)));
        }
    }

    @Test
    void eventClassesReadAwsEventsWithAwsNamingRules() throws Exception {
        create("java-rest", "example.Events::restApi", Runtime.JAVA21, zipWithLib);
        JsonNode rest = ok("java-rest", AwsEvents.REST_API);
        assertThat(rest.path("statusCode").asInt()).isEqualTo(201);
        assertThat(rest.path("headers").path("X-Seen").asText()).isEqualTo("yes");
        assertThat(rest.path("isBase64Encoded").asBoolean(true)).isFalse();
        assertThat(rest.path("body").asText()).isEqualTo("POST /orders/7 yes c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
                + " 203.0.113.7 false");

        create("java-http", "example.Events::httpApi", Runtime.JAVA21, zipWithLib);
        JsonNode http = ok("java-http", AwsEvents.HTTP_API);
        assertThat(http.path("statusCode").asInt()).isEqualTo(200);
        assertThat(http.path("body").asText()).isEqualTo("GET /my/path a=1&b=2 GET /my/path [c1=v1, c2=v2]");

        create("java-sqs", "example.Events::sqs", Runtime.JAVA21, zipWithLib);
        assertThat(ok("java-sqs", AwsEvents.SQS).asText()).isEqualTo(
                "059f36b4-87a3-44ab-83d2-661975830a7d=Test message.@arn:aws:sqs:us-east-1:000000000000:my-queue/1/blue");

        create("java-s3", "example.Events::s3", Runtime.JAVA21, zipWithLib);
        assertThat(ok("java-s3", AwsEvents.S3).asText()).isEqualTo(
                "ObjectCreated:Put amzn-s3-demo-bucket/test%2Fkey 1024 us-east-1");

        create("java-scheduled", "example.Events::scheduled", Runtime.JAVA21, zipWithLib);
        assertThat(ok("java-scheduled", AwsEvents.SCHEDULED).asText()).isEqualTo("Scheduled Event aws.events 2015"
                + " [arn:aws:events:us-east-1:123456789012:rule/my-schedule] 123456789012");
    }

    @Test
    void exceptionsAndInitFailuresAreReportedAsAwsReportsThem() throws Exception {
        create("java-fails", "example.Fails", Runtime.JAVA21, zipWithLib);
        InvokeResponse failed = invoke("java-fails", "{}");
        assertThat(failed.functionError()).isEqualTo("Unhandled");
        JsonNode error = JSON.readTree(failed.payload().asUtf8String());
        assertThat(error.path("errorType").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.path("errorMessage").asText()).isEqualTo("failing on purpose");
        assertThat(error.path("stackTrace").get(0).asText()).startsWith("example.Fails.handleRequest(Fails.java:");
        assertThat(error.path("cause").path("errorType").asText()).isEqualTo("java.lang.IllegalArgumentException");

        create("java-broken-init", "example.BrokenInit", Runtime.JAVA21, zipWithLib);
        InvokeResponse broken = invoke("java-broken-init", "{}");
        assertThat(broken.functionError()).isEqualTo("Unhandled");
        JsonNode initError = JSON.readTree(broken.payload().asUtf8String());
        assertThat(initError.path("errorType").asText()).as(broken.payload().asUtf8String())
                .isEqualTo("java.lang.UnsupportedOperationException");
        assertThat(initError.path("errorMessage").asText()).isEqualTo("cannot start without its configuration");
        assertThat(kindling.logGroup("java-broken-init")).contains("INIT_REPORT");

        create("java-missing", "example.Missing::handleRequest", Runtime.JAVA21, zipWithLib);
        JsonNode missing = JSON.readTree(invoke("java-missing", "{}").payload().asUtf8String());
        assertThat(missing.path("errorType").asText()).isEqualTo("java.lang.ClassNotFoundException");
        assertThat(missing.path("errorMessage").asText()).isEqualTo("Class not found: example.Missing");
    }

    @Test
    void fatJarOnJava17AndEventsFromALayer() throws Exception {
        create("java-fat", "example.Hello::handleRequest", Runtime.JAVA17, fatJar);
        JsonNode seen = ok("java-fat", "{\"name\":\"fat jar\"}");
        assertThat(seen.path("greeting").asText()).isEqualTo("hello fat jar");
        assertThat(seen.path("javaVersion").asInt()).as("java17 runs on a JDK of 17 or later")
                .isGreaterThanOrEqualTo(17);

        String layerArn = kindling.lambda().publishLayerVersion(r -> r.layerName("java-events")
                .content(LayerVersionContentInput.builder().zipFile(SdkBytes.fromByteArray(eventsLayer)).build()))
                .layerVersionArn();
        kindling.lambda().createFunction(ServerFixture.create("java-layered", classesOnly).runtime(Runtime.JAVA21)
                .handler("example.Events::sqs").timeout(30).memorySize(256).layers(layerArn).build());
        assertThat(ok("java-layered", AwsEvents.SQS).asText()).as("aws-lambda-java-events from /opt/java/lib")
                .startsWith("059f36b4-87a3-44ab-83d2-661975830a7d=Test message.");
    }

    @Test
    void snapStartStartsPublishedVersionsFromTheirCacheAndIgnoresABrokenOne() throws Exception {
        kindling.lambda().createFunction(ServerFixture.create("java-snap", zipWithLib).runtime(Runtime.JAVA25)
                .handler("example.Hello").timeout(30).memorySize(512)
                .snapStart(s -> s.applyOn(SnapStartApplyOn.PUBLISHED_VERSIONS)).build());
        SnapStartResponse latest = kindling.lambda().getFunctionConfiguration(r -> r.functionName("java-snap"))
                .snapStart();
        assertThat(latest.applyOnAsString()).isEqualTo("PublishedVersions");
        assertThat(latest.optimizationStatusAsString()).as("AWS optimizes published versions only").isEqualTo("Off");
        String version = kindling.lambda().publishVersion(r -> r.functionName("java-snap")).version();
        assertThat(kindling.lambda().getFunctionConfiguration(r -> r.functionName("java-snap").qualifier(version))
                .snapStart().optimizationStatusAsString()).isEqualTo("On");

        Path cacheDir = awaitCache("app.aot");
        JsonNode restored = ok("java-snap:" + version, "{\"name\":\"snapshot\"}");
        assertThat(restored.path("greeting").asText()).isEqualTo("hello snapshot");
        String log = kindling.logGroup("java-snap");
        assertThat(log).as("the JVM mapped the cache").contains("Kindling SnapStart: restored from the cache "
                + "/var/runtime/app.aot").contains("Restore Duration: ").contains("Billed Restore Duration: ")
                .doesNotContain("Init Duration");

        // The same code and configuration in another function share the cache; broken, it is dropped, not used.
        Path cache = cacheDir.resolve("app.aot");
        byte[] bytes = Files.readAllBytes(cache);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 4096; i++) {
            bytes[i] ^= 0x5a;
        }
        // A new file in its place: the running environment keeps the one it mapped (bytes changed under a JVM's
        // mapping can crash it, and the server then drops the cache before the next start could see it broken).
        Path corrupted = Files.write(cacheDir.resolve("corrupted.tmp"), bytes);
        Files.move(corrupted, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        kindling.lambda().createFunction(ServerFixture.create("java-snap-copy", zipWithLib).runtime(Runtime.JAVA25)
                .handler("example.Hello").timeout(30).memorySize(512)
                .snapStart(s -> s.applyOn(SnapStartApplyOn.PUBLISHED_VERSIONS)).build());
        String copy = kindling.lambda().publishVersion(r -> r.functionName("java-snap-copy")).version();
        assertThat(ok("java-snap-copy:" + copy, "{\"name\":\"plain\"}").path("greeting").asText())
                .isEqualTo("hello plain");
        assertThat(kindling.logGroup("java-snap-copy")).contains("Kindling SnapStart: the cache ")
                .contains("is broken (its checksum does not match): ignored and deleted")
                .contains("Init Duration").doesNotContain("Restore Duration").doesNotContain("restored from");
    }

    @Test
    void snapStartOnJava17UsesAnAppCdsArchive() throws Exception {
        kindling.lambda().createFunction(ServerFixture.create("java-snap-17", zipWithLib).runtime(Runtime.JAVA17)
                .handler("example.Counter").timeout(30).memorySize(256)
                .snapStart(s -> s.applyOn(SnapStartApplyOn.PUBLISHED_VERSIONS)).build());
        String version = kindling.lambda().publishVersion(r -> r.functionName("java-snap-17")).version();
        awaitCache("app.jsa");
        assertThat(ok("java-snap-17:" + version, "{}").asText()).isEqualTo("classInits=1 constructed=1 calls=1");
        assertThat(kindling.logGroup("java-snap-17")).contains("Kindling SnapStart: restored from the cache "
                + "/var/runtime/app.jsa").contains("Restore Duration: ");
    }

    @Test
    void snapStartApplyOnIsValidatedAsAwsDoes() {
        ServerFixture.assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create("java-bad-snap",
                zipWithLib).runtime(Runtime.JAVA21).handler("example.Hello")
                .snapStart(s -> s.applyOn("invalidOption")).build()), "ValidationException", 400);
    }

    /** Waits for the SnapStart cache trained in the background (seconds of CPU; longer on a loaded machine). */
    private static Path awaitCache(String file) throws Exception {
        Path root = kindling.dataDir().resolve("snapstart");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> dirs = Files.list(root)) {
                    List<Path> ready = dirs.filter(d -> Files.exists(d.resolve("cache.crc32c"))
                            && Files.exists(d.resolve(file))).toList();
                    if (!ready.isEmpty()) {
                        return ready.get(0);
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no SnapStart cache within 150 s; the server's log says why");
    }

    /** Builds the function project of the test tree with Maven, in a copy of its own. */
    static final class JavaFunctionProject {
        private JavaFunctionProject() {}

        static Path build(Path into) throws IOException, InterruptedException {
            Path source = Path.of("src/test/java-function").toAbsolutePath();
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = into.resolve(source.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target);
                }
            }
            Path mvnw = Path.of("..", "mvnw").toAbsolutePath().normalize();
            Process maven = new ProcessBuilder(mvnw.toString(), "-B", "-q", "-o", "package")
                    .directory(into.toFile()).redirectErrorStream(true)
                    .redirectOutput(into.resolve("maven.log").toFile()).start();
            assertThat(maven.waitFor(5, TimeUnit.MINUTES)).as("Maven builds the function project").isTrue();
            assertThat(maven.exitValue()).as("Maven's output:%n%s", Files.readString(into.resolve("maven.log")))
                    .isZero();
            return into;
        }

        /** The files under {@code dir}, by their path relative to it with {@code prefix} in front. */
        static Map<String, byte[]> files(Path dir, String prefix) throws IOException {
            Map<String, byte[]> files = new LinkedHashMap<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    files.put(prefix + dir.relativize(file), Files.readAllBytes(file));
                }
            }
            return files;
        }
    }

    /** Events as AWS sends them (the samples of AWS's documentation), with the fields the handlers read. */
    static final class AwsEvents {
        private AwsEvents() {}

        static final String REST_API = """
                {"resource":"/orders/{id}","path":"/orders/7","httpMethod":"POST",
                 "headers":{"Content-Type":"application/json","Host":"abc.execute-api.us-east-1.amazonaws.com"},
                 "multiValueHeaders":{"Content-Type":["application/json"]},
                 "queryStringParameters":{"q":"yes"},"multiValueQueryStringParameters":{"q":["yes"]},
                 "pathParameters":{"id":"7"},"stageVariables":null,
                 "requestContext":{"accountId":"123456789012","resourceId":"123456","stage":"prod",
                   "requestId":"c6af9ac6-7b61-11e6-9a41-93e8deadbeef","requestTime":"09/Apr/2015:12:34:56 +0000",
                   "requestTimeEpoch":1428582896000,"identity":{"sourceIp":"203.0.113.7","userAgent":"curl/8.0"},
                   "path":"/prod/orders/7","resourcePath":"/orders/{id}","httpMethod":"POST","apiId":"1234567890",
                   "protocol":"HTTP/1.1"},
                 "body":"{\\"item\\":1}","isBase64Encoded":false}
                """;
        static final String HTTP_API = """
                {"version":"2.0","routeKey":"GET /my/path","rawPath":"/my/path","rawQueryString":"a=1&b=2",
                 "cookies":["c1=v1","c2=v2"],"headers":{"header1":"value1"},"queryStringParameters":{"a":"1","b":"2"},
                 "requestContext":{"accountId":"123456789012","apiId":"api-id","domainName":"id.execute-api.us-east-1.amazonaws.com",
                   "domainPrefix":"id","http":{"method":"GET","path":"/my/path","protocol":"HTTP/1.1",
                   "sourceIp":"192.0.2.1","userAgent":"agent"},"requestId":"id","routeKey":"GET /my/path",
                   "stage":"$default","time":"12/Mar/2020:19:03:58 +0000","timeEpoch":1583348638390},
                 "isBase64Encoded":false}
                """;
        static final String SQS = """
                {"Records":[{"messageId":"059f36b4-87a3-44ab-83d2-661975830a7d",
                  "receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a","body":"Test message.",
                  "attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183",
                    "SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":"1545082649185"},
                  "messageAttributes":{"color":{"stringValue":"blue","stringListValues":[],"binaryListValues":[],
                    "dataType":"String"}},
                  "md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","eventSource":"aws:sqs",
                  "eventSourceARN":"arn:aws:sqs:us-east-1:000000000000:my-queue","awsRegion":"us-east-1"}]}
                """;
        static final String S3 = """
                {"Records":[{"eventVersion":"2.0","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventTime":"1970-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put",
                  "userIdentity":{"principalId":"EXAMPLE"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},
                  "responseElements":{"x-amz-request-id":"EXAMPLE123456789",
                    "x-amz-id-2":"EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH"},
                  "s3":{"s3SchemaVersion":"1.0","configurationId":"testConfigRule",
                    "bucket":{"name":"amzn-s3-demo-bucket","ownerIdentity":{"principalId":"EXAMPLE"},
                      "arn":"arn:aws:s3:::amzn-s3-demo-bucket"},
                    "object":{"key":"test%2Fkey","size":1024,"eTag":"0123456789abcdef0123456789abcdef",
                      "sequencer":"0A1B2C3D4E5F678901"}}}]}
                """;
        static final String SCHEDULED = """
                {"version":"0","account":"123456789012","region":"us-east-1","detail":{},
                 "detail-type":"Scheduled Event","source":"aws.events","time":"2015-10-08T16:53:06Z",
                 "id":"53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
                 "resources":["arn:aws:events:us-east-1:123456789012:rule/my-schedule"]}
                """;
    }
}

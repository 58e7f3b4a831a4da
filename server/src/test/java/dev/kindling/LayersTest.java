package dev.kindling;

import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.LayerVersionsListItem;
import software.amazon.awssdk.services.lambda.model.LayersListItem;
import software.amazon.awssdk.services.lambda.model.PublishLayerVersionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Layers through the AWS SDK: each operation and its errors, functions using layers, and /opt per runtime. */
class LayersTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAYER_ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:layer:";

    @TempDir
    Path restartDir;

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static LambdaClient lambda() {
        return kindling.lambda();
    }

    private static PublishLayerVersionResponse publish(String layer, byte[] zip) {
        return lambda().publishLayerVersion(r -> r.layerName(layer)
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
    }

    private static String publishArn(Map<String, String> files) {
        return publish(unique("layer"), ServerFixture.zipOf(files)).layerVersionArn();
    }

    private static String invoke(String name) {
        var response = lambda().invoke(r -> r.functionName(name).payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).as("%s", response.payload().asUtf8String()).isNull();
        return response.payload().asUtf8String();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void publishedVersionReadsBackByNameAndArnAndDownloads() {
        String layer = unique("pub");
        byte[] zip = ServerFixture.zipOf(Map.of("python/mod.py", "X = 1\n"));
        PublishLayerVersionResponse published = lambda().publishLayerVersion(r -> r.layerName(layer)
                .description("shared code").licenseInfo("MIT")
                .compatibleRuntimes(Runtime.PYTHON3_12, Runtime.PYTHON3_11)
                .compatibleArchitectures(Architecture.X86_64)
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));

        assertThat(published.sdkHttpResponse().statusCode()).isEqualTo(201);
        assertThat(published.version()).isEqualTo(1L);
        assertThat(published.layerArn()).isEqualTo(LAYER_ARN_PREFIX + layer);
        assertThat(published.layerVersionArn()).isEqualTo(LAYER_ARN_PREFIX + layer + ":1");
        assertThat(published.description()).isEqualTo("shared code");
        assertThat(published.licenseInfo()).isEqualTo("MIT");
        assertThat(published.compatibleRuntimes()).containsExactly(Runtime.PYTHON3_12, Runtime.PYTHON3_11);
        assertThat(published.compatibleArchitectures()).containsExactly(Architecture.X86_64);
        assertThat(published.content().codeSha256()).isEqualTo(ServerFixture.sha256Base64(zip));
        assertThat(published.content().codeSize()).isEqualTo(zip.length);
        assertThat(published.createdDate()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        assertThat(ServerFixture.download(published.content().location())).isEqualTo(zip);

        GetLayerVersionResponse byName = lambda().getLayerVersion(r -> r.layerName(layer).versionNumber(1L));
        GetLayerVersionResponse byLayerArn = lambda().getLayerVersion(r -> r.layerName(published.layerArn())
                .versionNumber(1L));
        GetLayerVersionResponse byArn = GetLayerVersionResponse.builder().applyMutation(b -> {
            var got = lambda().getLayerVersionByArn(r -> r.arn(published.layerVersionArn()));
            b.layerVersionArn(got.layerVersionArn()).description(got.description()).createdDate(got.createdDate())
                    .content(got.content());
        }).build();
        for (GetLayerVersionResponse got : List.of(byName, byLayerArn, byArn)) {
            assertThat(got.layerVersionArn()).isEqualTo(published.layerVersionArn());
            assertThat(got.description()).isEqualTo("shared code");
            assertThat(got.createdDate()).isEqualTo(published.createdDate());
            assertThat(got.content().codeSha256()).isEqualTo(published.content().codeSha256());
            assertThat(ServerFixture.download(got.content().location())).isEqualTo(zip);
        }
        // Without LicenseInfo AWS leaves it out, and shows the compatibility lists empty.
        PublishLayerVersionResponse plain = publish(layer, zip);
        assertThat(plain.licenseInfo()).isNull();
        assertThat(plain.description()).isEmpty();
        assertThat(plain.version()).isEqualTo(2L);
    }

    @Test
    void versionNumbersAreNeverReusedAndDeletingIsIdempotent() {
        String layer = unique("del");
        byte[] zip = ServerFixture.zipOf(Map.of("a.txt", "a"));
        publish(layer, zip);
        publish(layer, zip);
        lambda().deleteLayerVersion(r -> r.layerName(layer).versionNumber(2L));
        lambda().deleteLayerVersion(r -> r.layerName(layer).versionNumber(2L));
        lambda().deleteLayerVersion(r -> r.layerName(unique("never")).versionNumber(1L));
        assertThat(publish(layer, zip).version()).isEqualTo(3L);

        var gone = assertLambdaError(() -> lambda().getLayerVersion(r -> r.layerName(layer).versionNumber(2L)),
                "ResourceNotFoundException", 404);
        assertThat(ServerFixture.message(gone)).isEqualTo("The resource you requested does not exist.");
        assertLambdaError(() -> lambda().getLayerVersionByArn(r -> r.arn(LAYER_ARN_PREFIX + layer + ":2")),
                "ResourceNotFoundException", 404);
        var zero = assertLambdaError(() -> lambda().getLayerVersion(r -> r.layerName(layer).versionNumber(0L)),
                "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(zero)).isEqualTo("Layer Version Cannot be less than 1");
        assertLambdaError(() -> lambda().deleteLayerVersion(r -> r.layerName(layer).versionNumber(-1L)),
                "InvalidParameterValueException", 400);
        var malformed = assertLambdaError(() -> lambda().getLayerVersionByArn(r -> r.arn(LAYER_ARN_PREFIX + layer)),
                "ValidationException", 400);
        assertThat(ServerFixture.message(malformed)).startsWith("1 validation error detected: Value '"
                + LAYER_ARN_PREFIX + layer + "' at 'arn' failed to satisfy constraint: Member must satisfy regular"
                + " expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:");
        assertThat(lambda().listLayerVersions(r -> r.layerName(layer)).layerVersions())
                .extracting(LayerVersionsListItem::version).containsExactly(3L, 1L);
    }

    @Test
    void listingsFilterByRuntimeAndArchitectureAndPage() {
        String prefix = unique("list");
        String a = prefix + "-a";
        String b = prefix + "-b";
        byte[] zip = ServerFixture.zipOf(Map.of("f", "1"));
        lambda().publishLayerVersion(r -> r.layerName(a).compatibleRuntimes(Runtime.PYTHON3_12)
                .compatibleArchitectures(Architecture.X86_64).content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        lambda().publishLayerVersion(r -> r.layerName(a).compatibleRuntimes(Runtime.NODEJS20_X)
                .compatibleArchitectures(Architecture.ARM64).content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));
        lambda().publishLayerVersion(r -> r.layerName(b).compatibleRuntimes(Runtime.PYTHON3_12)
                .content(c -> c.zipFile(SdkBytes.fromByteArray(zip))));

        Map<String, Long> latest = latestVersions(lambda().listLayersPaginator(r -> r.maxItems(1)).layers()
                .stream().toList(), prefix);
        assertThat(latest).containsExactly(Map.entry(a, 2L), Map.entry(b, 1L));
        Map<String, Long> python = latestVersions(lambda().listLayers(r -> r.compatibleRuntime(Runtime.PYTHON3_12))
                .layers(), prefix);
        assertThat(python).containsExactly(Map.entry(a, 1L), Map.entry(b, 1L));
        Map<String, Long> arm = latestVersions(lambda().listLayers(r -> r.compatibleArchitecture(Architecture.ARM64))
                .layers(), prefix);
        assertThat(arm).containsExactly(Map.entry(a, 2L));

        var firstPage = lambda().listLayerVersions(r -> r.layerName(a).maxItems(1));
        assertThat(firstPage.layerVersions()).extracting(LayerVersionsListItem::version).containsExactly(2L);
        var secondPage = lambda().listLayerVersions(r -> r.layerName(a).maxItems(1).marker(firstPage.nextMarker()));
        assertThat(secondPage.layerVersions()).extracting(LayerVersionsListItem::version).containsExactly(1L);
        assertThat(secondPage.nextMarker()).isNull();
        assertThat(lambda().listLayerVersions(r -> r.layerName(a).compatibleArchitecture(Architecture.X86_64))
                .layerVersions()).extracting(LayerVersionsListItem::version).containsExactly(1L);
        assertThat(lambda().listLayerVersions(r -> r.layerName(unique("none"))).layerVersions()).isEmpty();

        var badRuntime = assertLambdaError(() -> lambda().listLayers(r -> r.compatibleRuntime("cobol")),
                "ValidationException", 400);
        assertThat(ServerFixture.message(badRuntime)).startsWith("1 validation error detected: Value 'cobol' at"
                + " 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: [");
        assertLambdaError(() -> lambda().listLayerVersions(r -> r.layerName(a).maxItems(51)),
                "ValidationException", 400);
    }

    private static Map<String, Long> latestVersions(List<LayersListItem> layers, String prefix) {
        Map<String, Long> latest = new LinkedHashMap<>();
        layers.stream().filter(l -> l.layerName().startsWith(prefix)).forEach(l -> {
            assertThat(l.layerArn()).isEqualTo(LAYER_ARN_PREFIX + l.layerName());
            latest.put(l.layerName(), l.latestMatchingVersion().version());
        });
        return latest;
    }

    @Test
    void permissionsFormAwsPolicyDocument() {
        String layer = unique("perm");
        String arn = publish(layer, ServerFixture.zipOf(Map.of("f", "1"))).layerVersionArn();
        var none = assertLambdaError(() -> lambda().getLayerVersionPolicy(r -> r.layerName(layer).versionNumber(1L)),
                "ResourceNotFoundException", 404);
        assertThat(ServerFixture.message(none)).isEqualTo("No policy is associated with the given resource.");

        var everyone = lambda().addLayerVersionPermission(r -> r.layerName(layer).versionNumber(1L)
                .statementId("everyone").action("lambda:GetLayerVersion").principal("*"));
        assertThat(everyone.sdkHttpResponse().statusCode()).isEqualTo(201);
        assertThat(json(everyone.statement())).isEqualTo(json("{\"Sid\":\"everyone\",\"Effect\":\"Allow\","
                + "\"Principal\":\"*\",\"Action\":\"lambda:GetLayerVersion\",\"Resource\":\"" + arn + "\"}"));
        var wrongRevision = assertLambdaError(() -> lambda().addLayerVersionPermission(r -> r.layerName(layer)
                .versionNumber(1L).statementId("acct").action("lambda:GetLayerVersion").principal("123456789012")
                .revisionId("not-the-revision")), "PreconditionFailedException", 412);
        assertThat(ServerFixture.message(wrongRevision)).isEqualTo("The Revision Id provided does not match the"
                + " latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id");
        var account = lambda().addLayerVersionPermission(r -> r.layerName(layer).versionNumber(1L)
                .statementId("acct").action("lambda:GetLayerVersion").principal("123456789012")
                .organizationId("o-abcdefghij").revisionId(everyone.revisionId()));
        var duplicate = assertLambdaError(() -> lambda().addLayerVersionPermission(r -> r.layerName(layer)
                .versionNumber(1L).statementId("acct").action("lambda:GetLayerVersion").principal("*")),
                "ResourceConflictException", 409);
        assertThat(ServerFixture.message(duplicate)).isEqualTo("The statement id (acct) provided already exists."
                + " Please provide a new statement id, or remove the existing statement.");
        assertLambdaError(() -> lambda().addLayerVersionPermission(r -> r.layerName(layer).versionNumber(1L)
                .statementId("bad").action("lambda:InvokeFunction").principal("*")), "ValidationException", 400);

        var policy = lambda().getLayerVersionPolicy(r -> r.layerName(layer).versionNumber(1L));
        assertThat(policy.revisionId()).isEqualTo(account.revisionId());
        assertThat(json(policy.policy())).isEqualTo(json("{\"Version\":\"2012-10-17\",\"Id\":\"default\","
                + "\"Statement\":[{\"Sid\":\"everyone\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                + "\"lambda:GetLayerVersion\",\"Resource\":\"" + arn + "\"},{\"Sid\":\"acct\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"lambda:GetLayerVersion\","
                + "\"Resource\":\"" + arn + "\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":"
                + "\"o-abcdefghij\"}}}]}"));

        lambda().removeLayerVersionPermission(r -> r.layerName(layer).versionNumber(1L).statementId("acct")
                .revisionId(account.revisionId()));
        var missing = assertLambdaError(() -> lambda().removeLayerVersionPermission(r -> r.layerName(layer)
                .versionNumber(1L).statementId("acct")), "ResourceNotFoundException", 404);
        assertThat(ServerFixture.message(missing)).isEqualTo("Statement acct is not found in resource policy.");
        assertThat(json(lambda().getLayerVersionPolicy(r -> r.layerName(layer).versionNumber(1L)).policy())
                .path("Statement")).hasSize(1);
        var noVersion = assertLambdaError(() -> lambda().addLayerVersionPermission(r -> r.layerName(layer)
                .versionNumber(9L).statementId("s").action("lambda:GetLayerVersion").principal("*")),
                "ResourceNotFoundException", 404);
        assertThat(ServerFixture.message(noVersion)).isEqualTo("Layer version " + LAYER_ARN_PREFIX + layer
                + ":9 does not exist.");
    }

    @Test
    void badPublicationsAreRefusedAndCreateNothing() {
        String layer = unique("bad");
        var s3 = assertLambdaError(() -> lambda().publishLayerVersion(r -> r.layerName(layer)
                .content(c -> c.s3Bucket("bucket").s3Key("key.zip"))), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(s3)).isEqualTo("Error occurred while GetObject. S3 Error Code: NoSuchBucket."
                + " S3 Error Message: The specified bucket does not exist");
        var name = assertLambdaError(() -> lambda().publishLayerVersion(r -> r.layerName("bad name!")
                .content(c -> c.zipFile(SdkBytes.fromUtf8String("x")))), "ValidationException", 400);
        assertThat(ServerFixture.message(name)).isEqualTo("1 validation error detected: Value 'bad name!' at"
                + " 'layerName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                + " (arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+");
        var runtimes = assertLambdaError(() -> lambda().publishLayerVersion(r -> r.layerName(layer)
                .compatibleRuntimesWithStrings("cobol", "python3.12").compatibleArchitecturesWithStrings("sparc")
                .content(c -> c.zipFile(SdkBytes.fromByteArray(ServerFixture.zip("x"))))),
                "ValidationException", 400);
        assertThat(ServerFixture.message(runtimes)).startsWith("2 validation errors detected: Value '[cobol,"
                + " python3.12]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value"
                + " set: [nodejs20.x, python3.14,").endsWith("; Value '[sparc]' at 'compatibleArchitectures' failed"
                + " to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set:"
                + " [x86_64, arm64], Member must not be null]");
        assertLambdaError(() -> lambda().publishLayerVersion(r -> r.layerName(layer)
                .content(c -> c.zipFile(SdkBytes.fromUtf8String("not a zip")))), "InvalidParameterValueException", 400);
        assertThat(lambda().listLayerVersions(r -> r.layerName(layer)).layerVersions()).isEmpty();
    }

    @Test
    void functionLayersAreCheckedAndABadListChangesNothing() {
        String layer = unique("fl");
        byte[] zip = ServerFixture.zipOf(Map.of("f", "1"));
        String v1 = publish(layer, zip).layerVersionArn();
        String v2 = publish(layer, zip).layerVersionArn();
        String fn = unique("fn");
        lambda().createFunction(ServerFixture.create(fn, ServerFixture.zip("x")).layers(v1).build());
        GetFunctionConfigurationResponse before = lambda().getFunctionConfiguration(r -> r.functionName(fn));
        assertThat(before.layers()).extracting(Layer::arn, Layer::codeSize).containsExactly(
                org.assertj.core.groups.Tuple.tuple(v1, (long) zip.length));

        List<String> six = java.util.stream.IntStream.range(0, 6).mapToObj(i -> publishArn(Map.of("f", "" + i)))
                .toList();
        var tooMany = assertLambdaError(() -> lambda().updateFunctionConfiguration(r -> r.functionName(fn)
                .layers(six)), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(tooMany)).isEqualTo("Cannot reference more than 5 layers.");
        String missing = LAYER_ARN_PREFIX + layer + ":7";
        var notThere = assertLambdaError(() -> lambda().updateFunctionConfiguration(r -> r.functionName(fn)
                .layers(missing)), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(notThere)).isEqualTo("Layer version " + missing + " does not exist.");
        var malformed = assertLambdaError(() -> lambda().updateFunctionConfiguration(r -> r.functionName(fn)
                .layers(LAYER_ARN_PREFIX + layer)), "ValidationException", 400);
        assertThat(ServerFixture.message(malformed)).startsWith("1 validation error detected: Value '["
                + LAYER_ARN_PREFIX + layer + "]' at 'layers' failed to satisfy constraint: Member must satisfy"
                + " constraint: [Member must have length less than or equal to 2048");
        var twice = assertLambdaError(() -> lambda().updateFunctionConfiguration(r -> r.functionName(fn)
                .layers(v1, v2)), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(twice)).isEqualTo("Two different versions of the same layer are not allowed"
                + " to be referenced in the same function. " + v1 + " and " + v2 + " are versions of the same layer.");
        var otherRegion = assertLambdaError(() -> lambda().updateFunctionConfiguration(r -> r.functionName(fn)
                .layers(v1.replace("us-east-1", "eu-west-1"))), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(otherRegion)).isEqualTo("Layers are not in the same region as the function."
                + " Layers are expected to be in region us-east-1.");
        assertLambdaError(() -> lambda().createFunction(ServerFixture.create(unique("fn"), ServerFixture.zip("x"))
                .layers(missing).build()), "InvalidParameterValueException", 400);

        GetFunctionConfigurationResponse after = lambda().getFunctionConfiguration(r -> r.functionName(fn));
        assertThat(after.revisionId()).isEqualTo(before.revisionId());
        assertThat(after.layers()).isEqualTo(before.layers());

        // Five is allowed, in the order given; an empty list removes them all.
        List<String> five = six.subList(0, 5);
        assertThat(lambda().updateFunctionConfiguration(r -> r.functionName(fn).layers(five)).layers())
                .extracting(Layer::arn).containsExactlyElementsOf(five);
        assertThat(lambda().updateFunctionConfiguration(r -> r.functionName(fn).layers(List.of())).layers()).isEmpty();
    }

    @Test
    void pythonFindsLayersInAwsOrderAndLaterLayersWin() {
        String first = publishArn(Map.of("python/shared.py", "WHO = 'first'\n", "python/only_first.py", "X = 1\n"));
        String second = publishArn(Map.of("python/shared.py", "WHO = 'second'\n",
                "python/lib/python3.12/site-packages/sitepkg.py", "WHERE = 'site-packages'\n"));
        String fn = unique("py");
        lambda().createFunction(ServerFixture.create(fn, ServerFixture.zipOf(Map.of("app.py", """
                import os, sys, shared, only_first, sitepkg
                def handler(event, context):
                    try:
                        open(os.path.join(os.path.dirname(shared.__file__), "new.py"), "w")
                        writable = True
                    except OSError:
                        writable = False
                    return {"who": shared.WHO, "first": only_first.X, "site": sitepkg.WHERE,
                            "path": sys.path[:3], "writable": writable}
                """))).handler("app.handler").layers(first, second).build());

        JsonNode result = json(invoke(fn));
        assertThat(result.path("who").asText()).isEqualTo("second");
        assertThat(result.path("first").asInt()).isEqualTo(1);
        assertThat(result.path("site").asText()).isEqualTo("site-packages");
        List<String> path = JSON.convertValue(result.path("path"), List.class);
        if (kindling.server().isolation().boxed()) {
            assertThat(path).containsExactly("/var/task", "/opt/python/lib/python3.12/site-packages", "/opt/python");
            assertThat(result.path("writable").asBoolean()).as("/opt is read-only").isFalse();
        } else {
            assertThat(path.get(1)).endsWith("/python/lib/python3.12/site-packages");
            assertThat(path.get(2)).endsWith("/python");
        }
    }

    @Test
    void nodeFindsLayersInAwsOrderAndLaterLayersWin() {
        String first = publishArn(Map.of("nodejs/node_modules/greet/index.js", "module.exports = 'first';\n",
                "nodejs/node_modules/onlyfirst/index.js", "module.exports = 1;\n"));
        String second = publishArn(Map.of("nodejs/node_modules/greet/index.js", "module.exports = 'second';\n",
                "nodejs/node20/node_modules/versioned/index.js", "module.exports = 'node20';\n"));
        String fn = unique("node");
        lambda().createFunction(ServerFixture.create(fn, ServerFixture.zipOf(Map.of("index.js", """
                exports.handler = async () => ({greet: require('greet'), first: require('onlyfirst'),
                    versioned: require('versioned'), nodePath: process.env.NODE_PATH});
                """))).runtime(Runtime.NODEJS20_X).handler("index.handler").layers(first, second).build());

        JsonNode result = json(invoke(fn));
        assertThat(result.path("greet").asText()).isEqualTo("second");
        assertThat(result.path("first").asInt()).isEqualTo(1);
        assertThat(result.path("versioned").asText()).isEqualTo("node20");
        if (kindling.server().isolation().boxed()) {
            assertThat(result.path("nodePath").asText()).isEqualTo("/opt/nodejs/node20/node_modules:"
                    + "/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task");
        }
    }

    @Test
    void providedRuntimeRunsALayersBootstrapWhenTheFunctionHasNone() {
        String bootstrap = """
                #!/usr/bin/python3
                import os, urllib.request
                api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime/invocation/"
                while True:
                    with urllib.request.urlopen(api + "next") as r:
                        rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                        r.read()
                    urllib.request.urlopen(urllib.request.Request(api + rid + "/response",
                        data=b'"from the layer"', method="POST")).read()
                """;
        String layer = publish(unique("rt"), ServerFixture.customRuntime(bootstrap)).layerVersionArn();
        String fn = unique("custom");
        lambda().createFunction(ServerFixture.create(fn, ServerFixture.zipOf(Map.of("handler.txt", "x")))
                .runtime(Runtime.PROVIDED_AL2023).handler("unused").layers(layer).build());
        assertThat(invoke(fn)).isEqualTo("\"from the layer\"");

        // Without the layer, AWS's message names both places it looked.
        String bare = unique("bare");
        lambda().createFunction(ServerFixture.create(bare, ServerFixture.zipOf(Map.of("handler.txt", "x")))
                .runtime(Runtime.PROVIDED_AL2023).handler("unused").build());
        var response = lambda().invoke(r -> r.functionName(bare).payload(SdkBytes.fromUtf8String("{}")));
        assertThat(response.functionError()).isEqualTo("Unhandled");
        assertThat(response.payload().asUtf8String()).contains("Couldn't find valid bootstrap(s)");
    }

    @Test
    void aDeletedLayerVersionKeepsWorkingForItsFunctions() {
        String layer = unique("kept");
        byte[] zip = ServerFixture.zipOf(Map.of("python/kept.py", "VALUE = 'still here'\n"));
        String arn = publish(layer, zip).layerVersionArn();
        String fn = unique("user");
        lambda().createFunction(ServerFixture.create(fn, ServerFixture.zipOf(Map.of("app.py",
                "import kept\ndef handler(event, context):\n    return kept.VALUE\n"))).handler("app.handler")
                .layers(arn).build());
        lambda().deleteLayerVersion(r -> r.layerName(layer).versionNumber(1L));
        Path blob = kindling.dataDir().resolve("code/blobs").resolve(ServerFixture.sha256Hex(zip) + ".zip");

        assertThat(invoke(fn)).isEqualTo("\"still here\"");
        assertThat(lambda().getFunctionConfiguration(r -> r.functionName(fn)).layers()).extracting(Layer::arn)
                .containsExactly(arn);
        assertThat(blob).exists();
        // New functions cannot take the deleted version; once no function uses it, its code goes.
        assertLambdaError(() -> lambda().createFunction(ServerFixture.create(unique("late"), ServerFixture.zip("x"))
                .layers(arn).build()), "InvalidParameterValueException", 400);
        lambda().updateFunctionConfiguration(r -> r.functionName(fn).layers(List.of()));
        assertThat(blob).doesNotExist();
    }

    @Test
    void aPublishedVersionKeepsItsLayersWhateverLatestAndTheLayerDo() {
        String layer = unique("pinned");
        byte[] zip = ServerFixture.zipOf(Map.of("python/pinned.py", "VALUE = 'from the layer'\n"));
        String arn = publish(layer, zip).layerVersionArn();
        String fn = unique("pinner");
        lambda().createFunction(ServerFixture.create(fn, ServerFixture.zipOf(Map.of("app.py",
                "import pinned\ndef handler(event, context):\n    return pinned.VALUE\n"))).handler("app.handler")
                .layers(arn).publish(true).build());
        Path blob = kindling.dataDir().resolve("code/blobs").resolve(ServerFixture.sha256Hex(zip) + ".zip");

        lambda().updateFunctionConfiguration(r -> r.functionName(fn).layers(List.of()));
        lambda().deleteLayerVersion(r -> r.layerName(layer).versionNumber(1L));
        assertThat(blob).as("version 1 still uses it").exists();
        var v1 = lambda().invoke(r -> r.functionName(fn).qualifier("1"));
        assertThat(v1.payload().asUtf8String()).isEqualTo("\"from the layer\"");
        assertThat(lambda().getFunctionConfiguration(r -> r.functionName(fn).qualifier("1")).layers())
                .extracting(Layer::arn).containsExactly(arn);

        lambda().deleteFunction(r -> r.functionName(fn).qualifier("1"));
        assertThat(blob).as("no version uses it any more").doesNotExist();
    }

    @Test
    void functionCodeAndLayersOverTheUnzippedLimitAreRefused() {
        long big = 150L << 20;
        long small = 110L << 20;
        String bigLayer = publish(unique("big"), zeros("big.bin", big)).layerVersionArn();
        String smallLayer = publish(unique("small"), zeros("small.bin", small)).layerVersionArn();
        byte[] code = ServerFixture.zip("x");
        long codeUnzipped = "def lambda_handler(event, context):\n    return {'marker': 'x'}\n"
                .getBytes(StandardCharsets.UTF_8).length;
        String fn = unique("size");
        lambda().createFunction(ServerFixture.create(fn, code).layers(bigLayer).build());

        var tooBig = assertLambdaError(() -> lambda().updateFunctionConfiguration(r -> r.functionName(fn)
                .layers(bigLayer, smallLayer)), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(tooBig)).isEqualTo("Function code combined with layers exceeds the maximum"
                + " allowed size of 262144000 bytes. The actual size is " + (codeUnzipped + big + small) + " bytes.");
        assertLambdaError(() -> lambda().createFunction(ServerFixture.create(unique("size"), code)
                .layers(smallLayer, bigLayer).build()), "InvalidParameterValueException", 400);
        assertThat(lambda().getFunctionConfiguration(r -> r.functionName(fn)).layers()).extracting(Layer::arn)
                .containsExactly(bigLayer);
    }

    /** A zip of one file of {@code size} zero bytes: small to send, large unpacked. */
    private static byte[] zeros(String file, long size) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ZipOutputStream out = new ZipOutputStream(bytes)) {
                out.putNextEntry(new ZipEntry(file));
                byte[] chunk = new byte[1 << 20];
                for (long written = 0; written < size; written += chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
                }
                out.closeEntry();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void layersTheirPoliciesAndFunctionsUsingThemSurviveARestart() throws Exception {
        byte[] zip = ServerFixture.zipOf(Map.of("python/persisted.py", "VALUE = 'persisted'\n"));
        String layerArn;
        GetFunctionConfigurationResponse before;
        try (KindlingServer server = ServerFixture.start(restartDir); LambdaClient client = ServerFixture.client(server)) {
            layerArn = client.publishLayerVersion(r -> r.layerName("kept").description("d")
                    .compatibleRuntimes(Runtime.PYTHON3_12).content(c -> c.zipFile(SdkBytes.fromByteArray(zip))))
                    .layerVersionArn();
            client.addLayerVersionPermission(r -> r.layerName("kept").versionNumber(1L).statementId("all")
                    .action("lambda:GetLayerVersion").principal("*"));
            client.createFunction(ServerFixture.create("uses-layer", ServerFixture.zipOf(Map.of("app.py",
                    "import persisted\ndef handler(event, context):\n    return persisted.VALUE\n")))
                    .handler("app.handler").layers(layerArn).build());
            before = client.getFunctionConfiguration(r -> r.functionName("uses-layer"));
        }
        try (KindlingServer server = ServerFixture.start(restartDir); LambdaClient client = ServerFixture.client(server)) {
            var layer = client.getLayerVersionByArn(r -> r.arn(layerArn));
            assertThat(layer.description()).isEqualTo("d");
            assertThat(layer.compatibleRuntimes()).containsExactly(Runtime.PYTHON3_12);
            assertThat(ServerFixture.download(layer.content().location())).isEqualTo(zip);
            assertThat(json(client.getLayerVersionPolicy(r -> r.layerName("kept").versionNumber(1L)).policy())
                    .path("Statement").get(0).path("Sid").asText()).isEqualTo("all");
            assertThat(client.getFunctionConfiguration(r -> r.functionName("uses-layer")).layers())
                    .isEqualTo(before.layers());
            assertThat(client.invoke(r -> r.functionName("uses-layer")).payload().asUtf8String())
                    .isEqualTo("\"persisted\"");
            client.deleteLayerVersion(r -> r.layerName("kept").versionNumber(1L));
        }
        try (KindlingServer server = ServerFixture.start(restartDir); LambdaClient client = ServerFixture.client(server)) {
            // The version deleted before the restart still serves its function, and its number is not given again.
            assertThat(client.invoke(r -> r.functionName("uses-layer")).payload().asUtf8String())
                    .isEqualTo("\"persisted\"");
            assertThat(client.publishLayerVersion(r -> r.layerName("kept")
                    .content(c -> c.zipFile(SdkBytes.fromByteArray(zip)))).version()).isEqualTo(2L);
            assertThat(Files.exists(restartDir.resolve("code/blobs").resolve(ServerFixture.sha256Hex(zip) + ".zip")))
                    .isTrue();
        }
    }

}

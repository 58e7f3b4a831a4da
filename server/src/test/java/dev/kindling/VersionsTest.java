package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.FunctionVersion;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ListFunctionsResponse;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;

/** Versions through the AWS SDK: publishing, reading, listing, invoking and deleting them, as AWS does. */
class VersionsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<String, byte[]> ZIPS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A handler telling which code ran, in which version, and in which environment (one id per process); the same
     * zip, byte for byte, for the same marker (a zip records the time it was made).
     */
    static byte[] code(String marker) {
        return ZIPS.computeIfAbsent(marker, m -> ServerFixture.zipOf(Map.of("lambda_function.py", """
                import os, uuid
                ENVIRONMENT = uuid.uuid4().hex
                def lambda_handler(event, context):
                    return {'marker': '%s', 'version': os.environ['AWS_LAMBDA_FUNCTION_VERSION'],
                            'contextVersion': context.function_version, 'arn': context.invoked_function_arn,
                            'environment': ENVIRONMENT}
                """.formatted(m))));
    }

    static JsonNode invoke(LambdaClient lambda, String name, String qualifier) {
        InvokeResponse response = lambda.invoke(r -> {
            r.functionName(name);
            if (qualifier != null) {
                r.qualifier(qualifier);
            }
        });
        assertThat(response.functionError()).as("%s", response.payload().asUtf8String()).isNull();
        try {
            JsonNode body = JSON.readTree(response.payload().asByteArray());
            assertThat(response.executedVersion()).isEqualTo(body.path("version").asText());
            return body;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(LambdaClient lambda, String name, String marker) {
        lambda.updateFunctionCode(r -> r.functionName(name).zipFile(SdkBytes.fromByteArray(code(marker))));
    }

    @Test
    void publishedVersionsAreImmutableSnapshotsThatRunTheirOwnCode() {
        LambdaClient lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create("snap", code("one")).description("first").build());

        PublishVersionResponse v1 = lambda.publishVersion(r -> r.functionName("snap"));
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v1.functionArn()).isEqualTo(ARN_PREFIX + "snap:1");
        assertThat(v1.description()).isEqualTo("first");
        assertThat(v1.stateAsString()).isEqualTo("Active");
        assertThat(v1.lastUpdateStatusAsString()).isEqualTo("Successful");
        assertThat(v1.codeSha256()).isEqualTo(ServerFixture.sha256Base64(code("one")));

        PublishVersionResponse again = lambda.publishVersion(r -> r.functionName("snap"));
        assertThat(again.version()).as("$LATEST unchanged: the last version is returned").isEqualTo("1");
        assertThat(again.revisionId()).isEqualTo(v1.revisionId());

        update(lambda, "snap", "two");
        lambda.updateFunctionConfiguration(r -> r.functionName("snap").memorySize(256));
        PublishVersionResponse v2 = lambda.publishVersion(r -> r.functionName("snap").description("second"));
        assertThat(v2.version()).isEqualTo("2");
        assertThat(v2.description()).isEqualTo("second");
        assertThat(v2.memorySize()).isEqualTo(256);

        update(lambda, "snap", "three");
        assertThat(invoke(lambda, "snap", "1").path("marker").asText()).isEqualTo("one");
        assertThat(invoke(lambda, "snap", "2").path("marker").asText()).isEqualTo("two");
        assertThat(invoke(lambda, "snap", null).path("marker").asText()).isEqualTo("three");
        JsonNode latest = invoke(lambda, "snap", "$LATEST");
        assertThat(latest.path("version").asText()).isEqualTo("$LATEST");
        assertThat(latest.path("arn").asText()).isEqualTo(ARN_PREFIX + "snap:$LATEST");
        JsonNode one = invoke(lambda, ARN_PREFIX + "snap:1", null);
        assertThat(one.path("version").asText()).isEqualTo("1");
        assertThat(one.path("contextVersion").asText()).isEqualTo("1");
        assertThat(one.path("arn").asText()).isEqualTo(ARN_PREFIX + "snap:1");

        var v1Read = lambda.getFunction(r -> r.functionName("snap").qualifier("1"));
        assertThat(v1Read.configuration().functionArn()).isEqualTo(ARN_PREFIX + "snap:1");
        assertThat(v1Read.configuration().memorySize()).isEqualTo(128);
        assertThat(ServerFixture.download(v1Read.code().location())).isEqualTo(code("one"));
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("snap:2")).memorySize()).isEqualTo(256);
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("snap").qualifier("$LATEST")).functionArn())
                .isEqualTo(ARN_PREFIX + "snap:$LATEST");
        assertThat(lambda.getFunctionConfiguration(r -> r.functionName("snap")).functionArn())
                .isEqualTo(ARN_PREFIX + "snap");

        List<FunctionConfiguration> versions = lambda.listVersionsByFunction(r -> r.functionName("snap")).versions();
        assertThat(versions).extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "2");
        assertThat(versions).extracting(FunctionConfiguration::functionArn)
                .containsExactly(ARN_PREFIX + "snap:$LATEST", ARN_PREFIX + "snap:1", ARN_PREFIX + "snap:2");
        List<String> paged = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            var page = lambda.listVersionsByFunction(r -> r.functionName("snap").maxItems(1).marker(from));
            page.versions().forEach(v -> paged.add(v.version()));
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(paged).containsExactly("$LATEST", "1", "2");
    }

    @Test
    void publishChecksTheCodeAndRevisionItWasGiven() {
        LambdaClient lambda = kindling.lambda();
        var created = lambda.createFunction(ServerFixture.create("guarded", code("a")).build());
        var e = assertLambdaError(() -> lambda.publishVersion(r -> r.functionName("guarded").codeSha256("abc")),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("CodeSHA256 (abc) is different from current CodeSHA256 in $LATEST ("
                + created.codeSha256() + "). Please try again with the CodeSHA256 in $LATEST.");
        e = assertLambdaError(() -> lambda.publishVersion(r -> r.functionName("guarded").revisionId("stale")),
                "PreconditionFailedException", 412);
        assertThat(message(e)).startsWith("The Revision Id provided does not match the latest Revision Id.");
        assertThat(lambda.listVersionsByFunction(r -> r.functionName("guarded")).versions()).hasSize(1);

        String revision = lambda.getFunction(r -> r.functionName("guarded")).configuration().revisionId();
        assertThat(lambda.publishVersion(r -> r.functionName("guarded").codeSha256(created.codeSha256())
                .revisionId(revision)).version()).isEqualTo("1");
        assertLambdaError(() -> lambda.publishVersion(r -> r.functionName("nope")), "ResourceNotFoundException", 404);
    }

    @Test
    void createAndUpdateCodeCanPublish() {
        LambdaClient lambda = kindling.lambda();
        var created = lambda.createFunction(ServerFixture.create("eager", code("a")).publish(true).build());
        assertThat(created.version()).isEqualTo("1");
        assertThat(created.functionArn()).isEqualTo(ARN_PREFIX + "eager");

        var updated = lambda.updateFunctionCode(r -> r.functionName("eager")
                .zipFile(SdkBytes.fromByteArray(code("b"))).publish(true));
        assertThat(updated.version()).isEqualTo("2");
        assertThat(updated.functionArn()).isEqualTo(ARN_PREFIX + "eager:2");
        assertThat(updated.codeSha256()).isEqualTo(ServerFixture.sha256Base64(code("b")));
        assertThat(invoke(lambda, "eager", "1").path("marker").asText()).isEqualTo("a");
        assertThat(invoke(lambda, "eager", "2").path("marker").asText()).isEqualTo("b");
    }

    @Test
    void versionNumbersAreNeverReusedAndDeletedVersionsAreGone() {
        LambdaClient lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create("numbered", code("a")).publish(true).build());
        update(lambda, "numbered", "b");
        assertThat(lambda.publishVersion(r -> r.functionName("numbered")).version()).isEqualTo("2");

        lambda.deleteFunction(r -> r.functionName("numbered").qualifier("2"));
        var e = assertLambdaError(() -> lambda.getFunction(r -> r.functionName("numbered").qualifier("2")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Function not found: " + ARN_PREFIX + "numbered:2");
        assertLambdaError(() -> lambda.invoke(r -> r.functionName("numbered").qualifier("2")),
                "ResourceNotFoundException", 404);
        lambda.deleteFunction(r -> r.functionName("numbered").qualifier("2")); // gone already: still succeeds

        update(lambda, "numbered", "c");
        assertThat(lambda.publishVersion(r -> r.functionName("numbered")).version()).isEqualTo("3");
        assertThat(lambda.listVersionsByFunction(r -> r.functionName("numbered")).versions())
                .extracting(FunctionConfiguration::version).containsExactly("$LATEST", "1", "3");
        assertThat(invoke(lambda, "numbered", "1").path("marker").asText()).isEqualTo("a");

        e = assertLambdaError(() -> lambda.deleteFunction(r -> r.functionName("numbered").qualifier("$LATEST")),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("$LATEST version cannot be deleted without deleting the function.");

        lambda.deleteFunction(r -> r.functionName("numbered"));
        assertLambdaError(() -> lambda.getFunction(r -> r.functionName("numbered").qualifier("1")),
                "ResourceNotFoundException", 404);
        lambda.createFunction(ServerFixture.create("numbered", code("d")).build());
        assertThat(lambda.publishVersion(r -> r.functionName("numbered")).version())
                .as("a new function of the same name starts again at 1").isEqualTo("1");
        assertThat(invoke(lambda, "numbered", "1").path("marker").asText()).isEqualTo("d");
    }

    @Test
    void listFunctionsWithAllVersions() {
        LambdaClient lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create("zz-all-a", code("a")).publish(true).build());
        lambda.createFunction(ServerFixture.create("zz-all-b", code("b")).build());

        List<String> entries = new ArrayList<>();
        String marker = null;
        do {
            String from = marker;
            ListFunctionsResponse page = lambda.listFunctions(r -> r.functionVersion(FunctionVersion.ALL)
                    .maxItems(1).marker(from));
            assertThat(page.functions()).hasSizeLessThanOrEqualTo(1);
            page.functions().forEach(f -> entries.add(f.functionArn()));
            marker = page.nextMarker();
        } while (marker != null);
        assertThat(entries.stream().filter(arn -> arn.contains(":zz-all-"))).containsExactly(
                ARN_PREFIX + "zz-all-a:$LATEST", ARN_PREFIX + "zz-all-a:1", ARN_PREFIX + "zz-all-b:$LATEST");

        assertThat(lambda.listFunctions().functions()).extracting(FunctionConfiguration::functionArn)
                .contains(ARN_PREFIX + "zz-all-a", ARN_PREFIX + "zz-all-b").noneMatch(arn -> arn.endsWith(":1"));
        var e = assertLambdaError(() -> lambda.listFunctions(r -> r.functionVersion("SOME")), "ValidationException",
                400);
        assertThat(message(e)).isEqualTo("1 validation error detected: Value 'SOME' at 'functionVersion' failed to"
                + " satisfy constraint: Member must satisfy enum value set: [ALL]");
    }

    @Test
    void versionsNeverShareEnvironmentsAndOutliveChangesToLatest() {
        LambdaClient lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create("apart", code("a")).publish(true).build());
        String v1Environment = invoke(lambda, "apart", "1").path("environment").asText();
        String latestEnvironment = invoke(lambda, "apart", null).path("environment").asText();
        assertThat(latestEnvironment).isNotEqualTo(v1Environment);
        assertThat(invoke(lambda, "apart", "1").path("environment").asText()).as("warm").isEqualTo(v1Environment);
        assertThat(invoke(lambda, "apart", null).path("environment").asText()).as("warm").isEqualTo(latestEnvironment);

        update(lambda, "apart", "b");
        JsonNode latest = invoke(lambda, "apart", null);
        assertThat(latest.path("marker").asText()).isEqualTo("b");
        assertThat(latest.path("environment").asText()).as("$LATEST changed: a new environment")
                .isNotEqualTo(latestEnvironment);
        JsonNode one = invoke(lambda, "apart", "1");
        assertThat(one.path("marker").asText()).isEqualTo("a");
        assertThat(one.path("environment").asText()).as("version 1 kept its warm environment")
                .isEqualTo(v1Environment);
    }

    @Test
    void badQualifiersAreRefused() {
        LambdaClient lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create("quals", code("a")).build());
        var e = assertLambdaError(() -> lambda.getFunction(r -> r.functionName("quals").qualifier("7")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Function not found: " + ARN_PREFIX + "quals:7");
        e = assertLambdaError(() -> lambda.invoke(r -> r.functionName("quals").qualifier("missing-alias")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Function not found: " + ARN_PREFIX + "quals:missing-alias");
        e = assertLambdaError(() -> lambda.updateFunctionCode(r -> r.functionName("quals:1")
                .zipFile(SdkBytes.fromByteArray(code("x")))), "InvalidParameterValueException", 400);
        assertThat(lambda.getFunction(r -> r.functionName("quals")).configuration().codeSha256())
                .isEqualTo(ServerFixture.sha256Base64(code("a")));
    }
}

package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static dev.kindling.ServerFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlAuthType;

/** AddPermission, GetPolicy and RemovePermission through the AWS SDK: documents as AWS writes them, and the errors. */
class PermissionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final RunningServer kindling = new RunningServer();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void create(LambdaClient lambda, String name) {
        lambda.createFunction(ServerFixture.create(name, ServerFixture.zip(name)).build());
    }

    @Test
    void statementsAreWrittenAsAwsWritesThem() {
        LambdaClient lambda = kindling.lambda();
        create(lambda, "granted");
        String arn = ARN_PREFIX + "granted";
        JsonNode s3 = json(lambda.addPermission(r -> r.functionName("granted").statementId("s3")
                .action("lambda:InvokeFunction").principal("s3.amazonaws.com").sourceArn("arn:aws:s3:::photos")
                .sourceAccount("000000000000")).statement());
        assertThat(s3).isEqualTo(json("""
                {"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},
                 "Action":"lambda:InvokeFunction","Resource":"%s",
                 "Condition":{"StringEquals":{"AWS:SourceAccount":"000000000000"},
                              "ArnLike":{"AWS:SourceArn":"arn:aws:s3:::photos"}}}""".formatted(arn)));
        lambda.addPermission(r -> r.functionName("granted").statementId("account").action("lambda:GetFunction")
                .principal("111111111111"));
        lambda.addPermission(r -> r.functionName("granted").statementId("url").action("lambda:InvokeFunctionUrl")
                .principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE));
        lambda.addPermission(r -> r.functionName("granted").statementId("via-url").action("lambda:InvokeFunction")
                .principal("*").invokedViaFunctionUrl(true));

        var policy = lambda.getPolicy(r -> r.functionName("granted"));
        assertThat(policy.revisionId()).isNotBlank();
        JsonNode document = json(policy.policy());
        assertThat(document.path("Version").asText()).isEqualTo("2012-10-17");
        assertThat(document.path("Id").asText()).isEqualTo("default");
        assertThat(document.path("Statement")).hasSize(4);
        assertThat(document.path("Statement").get(0)).isEqualTo(s3);
        assertThat(document.path("Statement").get(1)).isEqualTo(json("""
                {"Sid":"account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},
                 "Action":"lambda:GetFunction","Resource":"%s"}""".formatted(arn)));
        assertThat(document.path("Statement").get(2)).isEqualTo(json("""
                {"Sid":"url","Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunctionUrl","Resource":"%s",
                 "Condition":{"StringEquals":{"lambda:FunctionUrlAuthType":"NONE"}}}""".formatted(arn)));
        assertThat(document.path("Statement").get(3).path("Condition")).isEqualTo(json("""
                {"Bool":{"lambda:InvokedViaFunctionUrl":"true"}}"""));

        lambda.removePermission(r -> r.functionName("granted").statementId("account"));
        var after = lambda.getPolicy(r -> r.functionName("granted"));
        assertThat(json(after.policy()).path("Statement")).extracting(s -> s.path("Sid").asText())
                .containsExactly("s3", "url", "via-url");
        assertThat(after.revisionId()).isNotEqualTo(policy.revisionId());
        for (String sid : new String[] {"s3", "url", "via-url"}) {
            lambda.removePermission(r -> r.functionName("granted").statementId(sid));
        }
        var e = assertLambdaError(() -> lambda.getPolicy(r -> r.functionName("granted")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("The resource you requested does not exist.");
    }

    @Test
    void versionsAndAliasesHavePoliciesOfTheirOwn() {
        LambdaClient lambda = kindling.lambda();
        lambda.createFunction(ServerFixture.create("layered", ServerFixture.zip("v1")).publish(true).build());
        lambda.createAlias(r -> r.functionName("layered").name("live").functionVersion("1"));
        lambda.addPermission(r -> r.functionName("layered").statementId("fn").action("lambda:InvokeFunction")
                .principal("events.amazonaws.com"));
        assertLambdaError(() -> lambda.getPolicy(r -> r.functionName("layered").qualifier("1")),
                "ResourceNotFoundException", 404);
        JsonNode onVersion = json(lambda.addPermission(r -> r.functionName("layered:1").qualifier("1")
                .statementId("fn").action("lambda:InvokeFunction").principal("events.amazonaws.com")).statement());
        assertThat(onVersion.path("Resource").asText()).isEqualTo(ARN_PREFIX + "layered:1");
        var e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("layered").qualifier("live")
                .statementId("fn").action("lambda:InvokeFunction").principal("events.amazonaws.com")
                .revisionId("wrong")), "PreconditionFailedException", 412);
        assertThat(message(e)).isEqualTo("The Revision Id provided does not match the latest Revision Id. Call the"
                + " GetPolicy API to retrieve the latest Revision Id");
        String aliasRevision = lambda.getAlias(r -> r.functionName("layered").name("live")).revisionId();
        lambda.addPermission(r -> r.functionName("layered").qualifier("live").statementId("fn")
                .action("lambda:InvokeFunction").principal("events.amazonaws.com").revisionId(aliasRevision));
        assertThat(json(lambda.getPolicy(r -> r.functionName("layered").qualifier("live")).policy())
                .path("Statement").get(0).path("Resource").asText()).isEqualTo(ARN_PREFIX + "layered:live");
        assertThat(json(lambda.getPolicy(r -> r.functionName(ARN_PREFIX + "layered")).policy())
                .path("Statement").get(0).path("Resource").asText()).isEqualTo(ARN_PREFIX + "layered");

        // An alias or version deleted takes its policy with it; one made again under the name starts without.
        lambda.deleteAlias(r -> r.functionName("layered").name("live"));
        lambda.createAlias(r -> r.functionName("layered").name("live").functionVersion("1"));
        assertLambdaError(() -> lambda.getPolicy(r -> r.functionName("layered").qualifier("live")),
                "ResourceNotFoundException", 404);
        lambda.deleteAlias(r -> r.functionName("layered").name("live"));
        lambda.deleteFunction(r -> r.functionName("layered").qualifier("1"));
        assertLambdaError(() -> lambda.getPolicy(r -> r.functionName("layered").qualifier("1")),
                "ResourceNotFoundException", 404);
        lambda.deleteFunction(r -> r.functionName("layered"));
        create(lambda, "layered");
        assertLambdaError(() -> lambda.getPolicy(r -> r.functionName("layered")), "ResourceNotFoundException", 404);
    }

    @Test
    void badRequestsGetAwsErrorsAndChangeNothing() {
        LambdaClient lambda = kindling.lambda();
        create(lambda, "guarded");
        lambda.addPermission(r -> r.functionName("guarded").statementId("s3").action("lambda:InvokeFunction")
                .principal("s3.amazonaws.com"));
        String revision = lambda.getPolicy(r -> r.functionName("guarded")).revisionId();

        var e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("guarded").statementId("s3")
                .action("lambda:InvokeFunction").principal("s3.amazonaws.com")), "ResourceConflictException", 409);
        assertThat(message(e)).isEqualTo("The statement id (s3) provided already exists. Please provide a new"
                + " statement id, or remove the existing statement.");
        e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("missing").statementId("s3")
                .action("lambda:InvokeFunction").principal("s3.amazonaws.com")), "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Function not found: " + ARN_PREFIX + "missing");
        e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("guarded").statementId("p")
                .action("lambda:InvokeFunction").principal("invalid.nonaws.com")), "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("The provided principal was invalid. Please check the principal and try again.");
        e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("guarded").statementId("example.com")
                .action("lambda:InvokeFunction").principal("s3.amazonaws.com")), "ValidationException", 400);
        assertThat(message(e)).isEqualTo("1 validation error detected: Value 'example.com' at 'statementId' failed to"
                + " satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)");
        e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("guarded").qualifier("$LATEST")
                .statementId("l").action("lambda:InvokeFunction").principal("s3.amazonaws.com")),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).isEqualTo("We currently do not support adding policies for $LATEST.");
        e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("guarded").qualifier("nope")
                .statementId("a").action("lambda:InvokeFunction").principal("s3.amazonaws.com")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Cannot find alias arn: " + ARN_PREFIX + "guarded:nope");
        e = assertLambdaError(() -> lambda.addPermission(r -> r.functionName("guarded").statementId("u")
                .action("lambda:InvokeFunction").principal("*").functionUrlAuthType(FunctionUrlAuthType.NONE)),
                "InvalidParameterValueException", 400);
        assertThat(message(e)).contains("FunctionUrlAuthType");
        assertLambdaError(() -> lambda.addPermission(r -> r.functionName("guarded").statementId("big")
                .action("lambda:InvokeFunction").principal("s3.amazonaws.com")
                .sourceArn("arn:aws:s3:::" + "b".repeat(21_000))), "PolicyLengthExceededException", 400);

        e = assertLambdaError(() -> lambda.removePermission(r -> r.functionName("guarded").statementId("other")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("Statement other is not found in resource policy.");
        e = assertLambdaError(() -> lambda.removePermission(r -> r.functionName("missing").statementId("s3")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("No policy found for: " + ARN_PREFIX + "missing");
        assertLambdaError(() -> lambda.removePermission(r -> r.functionName("guarded").statementId("s3")
                .revisionId("stale")), "PreconditionFailedException", 412);
        create(lambda, "unguarded");
        e = assertLambdaError(() -> lambda.removePermission(r -> r.functionName("unguarded").statementId("s3")),
                "ResourceNotFoundException", 404);
        assertThat(message(e)).isEqualTo("No policy is associated with the given resource.");

        var policy = lambda.getPolicy(r -> r.functionName("guarded"));
        assertThat(policy.revisionId()).as("nothing changed").isEqualTo(revision);
        assertThat(json(policy.policy()).path("Statement")).hasSize(1);
    }

    @Test
    void policiesSurviveARestart(@TempDir Path dataDir) throws Exception {
        String before;
        try (KindlingServer first = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(first)) {
            create(lambda, "lasting");
            lambda.addPermission(r -> r.functionName("lasting").statementId("keep").action("lambda:InvokeFunction")
                    .principal("sqs.amazonaws.com").sourceArn("arn:aws:sqs:us-east-1:000000000000:q"));
            before = lambda.getPolicy(r -> r.functionName("lasting")).policy();
        }
        try (KindlingServer again = ServerFixture.start(dataDir); LambdaClient lambda = ServerFixture.client(again)) {
            assertThat(json(lambda.getPolicy(r -> r.functionName("lasting")).policy())).isEqualTo(json(before));
        }
    }
}

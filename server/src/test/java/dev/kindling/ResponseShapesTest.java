package dev.kindling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.State;

/**
 * The members of every response shape Kindling serves, against AWS's recorded answers (LocalStack's snapshots of
 * real AWS, test_lambda_api.snapshot.json: test_function_lifecycle, test_list_functions, test_account_settings,
 * test_function_revisions_basic, test_lambda_code_location_zipfile),
 * and the state machine the SDK waiters read. See docs/fidelity.md.
 */
class ResponseShapesTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private final RawLambda raw = new RawLambda(kindling);

    /** What every FunctionConfiguration of a zip function carries, in lists too (no layers, no VPC). */
    private static final List<String> LISTED = List.of("Architectures", "CodeSha256", "CodeSize", "Description",
            "Environment", "EphemeralStorage", "FunctionArn", "FunctionName", "Handler", "LastModified",
            "LoggingConfig", "MemorySize", "PackageType", "RevisionId", "Role", "Runtime", "SnapStart", "Timeout",
            "TracingConfig", "Version");

    private static List<String> plus(List<String> base, String... more) {
        return Stream.concat(base.stream(), Stream.of(more)).toList();
    }

    private String createRaw(String name) {
        String zip = Base64.getEncoder().encodeToString(ServerFixture.zip(name));
        var answer = raw.send("POST", "/2015-03-31/functions", "{\"FunctionName\":\"" + name + "\","
                + "\"Runtime\":\"python3.12\",\"Role\":\"" + ServerFixture.ROLE + "\","
                + "\"Handler\":\"lambda_function.lambda_handler\",\"Environment\":{\"Variables\":{\"AB\":\"1\"}},"
                + "\"Code\":{\"ZipFile\":\"" + zip + "\"}}");
        assertThat(answer.status()).as("create: %s", answer.body()).isEqualTo(201);
        return name;
    }

    /** AWS: CreateFunction answers State Pending with StateReason and StateReasonCode Creating, no LastUpdateStatus. */
    @Test
    void createAnswersPendingWithItsReason() {
        String zip = Base64.getEncoder().encodeToString(ServerFixture.zip("p"));
        String name = "shape-" + UUID.randomUUID().toString().substring(0, 8);
        var answer = raw.send("POST", "/2015-03-31/functions", "{\"FunctionName\":\"" + name + "\","
                + "\"Runtime\":\"python3.12\",\"Role\":\"" + ServerFixture.ROLE + "\","
                + "\"Handler\":\"lambda_function.lambda_handler\",\"Environment\":{\"Variables\":{\"AB\":\"1\"}},"
                + "\"Code\":{\"ZipFile\":\"" + zip + "\"}}");
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.keys()).containsExactlyInAnyOrderElementsOf(
                plus(LISTED, "RuntimeVersionConfig", "State", "StateReason", "StateReasonCode"));
        assertThat(answer.body().get("State").asText()).isEqualTo("Pending");
        assertThat(answer.body().get("StateReason").asText()).isEqualTo("The function is being created.");
        assertThat(answer.body().get("StateReasonCode").asText()).isEqualTo("Creating");
        assertThat(answer.body().at("/RuntimeVersionConfig/RuntimeVersionArn").asText())
                .matches("arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}");
        assertThat(answer.body().at("/LoggingConfig").size()).as("LogFormat and LogGroup only").isEqualTo(2);
    }

    /** AWS: GetFunction after the change reports State Active and LastUpdateStatus Successful, with Code's two members. */
    @Test
    void readsAfterCreateAreActiveAndSuccessful() {
        String name = createRaw("shape-" + UUID.randomUUID().toString().substring(0, 8));
        var get = raw.get("/2015-03-31/functions/" + name);
        assertThat(get.keys()).containsExactly("Code", "Configuration");
        assertThat(keys(get.body().get("Code"))).containsExactly("Location", "RepositoryType");
        JsonNode configuration = get.body().get("Configuration");
        assertThat(keys(configuration)).containsExactlyInAnyOrderElementsOf(
                plus(LISTED, "RuntimeVersionConfig", "State", "LastUpdateStatus"));
        assertThat(configuration.get("State").asText()).isEqualTo("Active");
        assertThat(configuration.get("LastUpdateStatus").asText()).isEqualTo("Successful");
        var getConfiguration = raw.get("/2015-03-31/functions/" + name + "/configuration");
        assertThat(getConfiguration.keys()).isEqualTo(keys(configuration));
    }

    /** AWS: an update answers State Active, LastUpdateStatus InProgress with its reason; the next read is Successful. */
    @Test
    void updatesAnswerInProgressWithItsReason() {
        String name = createRaw("shape-" + UUID.randomUUID().toString().substring(0, 8));
        var configuration = raw.send("PUT", "/2015-03-31/functions/" + name + "/configuration", "{\"Timeout\":10}");
        var code = raw.send("PUT", "/2015-03-31/functions/" + name + "/code", "{\"ZipFile\":\""
                + Base64.getEncoder().encodeToString(ServerFixture.zip("v2")) + "\"}");
        for (var answer : List.of(configuration, code)) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.keys()).containsExactlyInAnyOrderElementsOf(plus(LISTED, "RuntimeVersionConfig", "State",
                    "LastUpdateStatus", "LastUpdateStatusReason", "LastUpdateStatusReasonCode"));
            assertThat(answer.body().get("State").asText()).isEqualTo("Active");
            assertThat(answer.body().get("LastUpdateStatus").asText()).isEqualTo("InProgress");
            assertThat(answer.body().get("LastUpdateStatusReason").asText()).isEqualTo("The function is being created.");
            assertThat(answer.body().get("LastUpdateStatusReasonCode").asText()).isEqualTo("Creating");
        }
        var after = raw.get("/2015-03-31/functions/" + name + "/configuration").body();
        assertThat(after.get("LastUpdateStatus").asText()).isEqualTo("Successful");
        assertThat(after.has("LastUpdateStatusReason")).isFalse();
    }

    /** AWS: ListFunctions leaves State, LastUpdateStatus and RuntimeVersionConfig out of each entry. */
    @Test
    void listEntriesLeaveOutStateAndRuntimeVersion() {
        String name = createRaw("shape-" + UUID.randomUUID().toString().substring(0, 8));
        var list = raw.get("/2015-03-31/functions?MaxItems=10000");
        assertThat(list.keys()).containsExactly("Functions");
        JsonNode entry = null;
        for (JsonNode f : list.body().get("Functions")) {
            if (f.get("FunctionName").asText().equals(name)) {
                entry = f;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(keys(entry)).containsExactlyInAnyOrderElementsOf(LISTED);
    }

    /** AWS: GetAccountSettings has exactly these limits and usage members. */
    @Test
    void accountSettingsMembers() {
        JsonNode body = raw.get("/2016-08-19/account-settings").body();
        assertThat(keys(body)).containsExactly("AccountLimit", "AccountUsage");
        assertThat(keys(body.get("AccountLimit"))).containsExactly("CodeSizeUnzipped", "CodeSizeZipped",
                "ConcurrentExecutions", "TotalCodeSize", "UnreservedConcurrentExecutions");
        assertThat(keys(body.get("AccountUsage"))).containsExactly("FunctionCount", "TotalCodeSize");
    }

    /** The SDK's waiters function-active-v2 and function-updated-v2 succeed on their first attempt. */
    @Test
    void waitersPassAtOnceAfterCreateAndUpdate() {
        String name = "wait-" + UUID.randomUUID().toString().substring(0, 8);
        var created = kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name)).build());
        assertThat(created.state()).isEqualTo(State.PENDING);
        var active = kindling.lambda().waiter().waitUntilFunctionActiveV2(r -> r.functionName(name));
        assertThat(active.attemptsExecuted()).isEqualTo(1);
        assertThat(active.matched().response().orElseThrow().configuration().state()).isEqualTo(State.ACTIVE);

        var updated = kindling.lambda().updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(ServerFixture.zip("v2"))));
        assertThat(updated.lastUpdateStatus()).isEqualTo(LastUpdateStatus.IN_PROGRESS);
        var done = kindling.lambda().waiter().waitUntilFunctionUpdatedV2(r -> r.functionName(name));
        assertThat(done.attemptsExecuted()).isEqualTo(1);
        assertThat(done.matched().response().orElseThrow().configuration().lastUpdateStatus())
                .isEqualTo(LastUpdateStatus.SUCCESSFUL);

        kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).timeout(9));
        assertThat(kindling.lambda().waiter().waitUntilFunctionUpdatedV2(r -> r.functionName(name)).attemptsExecuted())
                .isEqualTo(1);
    }

    /**
     * AWS: a function gets a new RevisionId when it leaves Pending, and again when an update completes: the
     * RevisionId of a change's answer is never the one reads see afterwards, and a stale one is refused
     * (test_function_revisions_basic: rev1 create, rev2 active, rev3 update answer, rev4 update done).
     */
    @Test
    void revisionChangesWhenAChangeSettles() {
        String name = "rev-" + UUID.randomUUID().toString().substring(0, 8);
        String rev1 = kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name)).build())
                .revisionId();
        String rev2 = kindling.lambda().getFunction(r -> r.functionName(name)).configuration().revisionId();
        assertThat(rev2).isNotEqualTo(rev1);
        assertThat(kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)).revisionId()).isEqualTo(rev2);

        var stale = ServerFixture.assertLambdaError(() -> kindling.lambda().updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(ServerFixture.zip("v2"))).revisionId(rev1)),
                "PreconditionFailedException", 412);
        assertThat(ServerFixture.message(stale)).isEqualTo("The Revision Id provided does not match the latest"
                + " Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");

        String rev3 = kindling.lambda().updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(ServerFixture.zip("v2"))).revisionId(rev2)).revisionId();
        String rev4 = kindling.lambda().getFunction(r -> r.functionName(name)).configuration().revisionId();
        assertThat(List.of(rev1, rev2, rev3, rev4)).doesNotHaveDuplicates();

        String rev5 = kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name).timeout(7)
                .revisionId(rev4)).revisionId();
        String rev6 = kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)).revisionId();
        assertThat(List.of(rev1, rev2, rev3, rev4, rev5, rev6)).doesNotHaveDuplicates();
    }

    /**
     * AWS: Environment is in a function's configuration when a request set it, even to no variables
     * ({"Variables": {}}, test_function_revisions_basic), and absent when none ever did (test_lambda_code_location_zipfile);
     * the same in ListFunctions (test_list_functions).
     */
    @Test
    void emptyEnvironmentIsEchoedOnceSent() {
        String zip = Base64.getEncoder().encodeToString(ServerFixture.zip("env"));
        String withEmpty = "env-" + UUID.randomUUID().toString().substring(0, 8);
        var created = raw.send("POST", "/2015-03-31/functions", "{\"FunctionName\":\"" + withEmpty + "\","
                + "\"Runtime\":\"python3.12\",\"Role\":\"" + ServerFixture.ROLE + "\",\"Handler\":\"a.b\","
                + "\"Environment\":{\"Variables\":{}},\"Code\":{\"ZipFile\":\"" + zip + "\"}}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("Environment").toString()).isEqualTo("{\"Variables\":{}}");
        assertThat(raw.get("/2015-03-31/functions/" + withEmpty).body().at("/Configuration/Environment").toString())
                .isEqualTo("{\"Variables\":{}}");
        JsonNode listed = null;
        for (JsonNode f : raw.get("/2015-03-31/functions?MaxItems=10000").body().get("Functions")) {
            if (f.get("FunctionName").asText().equals(withEmpty)) {
                listed = f;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("Environment").toString()).isEqualTo("{\"Variables\":{}}");

        String without = "env-" + UUID.randomUUID().toString().substring(0, 8);
        var plain = raw.send("POST", "/2015-03-31/functions", "{\"FunctionName\":\"" + without + "\","
                + "\"Runtime\":\"python3.12\",\"Role\":\"" + ServerFixture.ROLE + "\",\"Handler\":\"a.b\","
                + "\"Code\":{\"ZipFile\":\"" + zip + "\"}}");
        assertThat(plain.body().has("Environment")).isFalse();
        assertThat(raw.get("/2015-03-31/functions/" + without + "/configuration").body().has("Environment")).isFalse();
        // Once an update sets it, even to no variables, it is shown from then on.
        var updated = raw.send("PUT", "/2015-03-31/functions/" + without + "/configuration",
                "{\"Environment\":{\"Variables\":{}}}");
        assertThat(updated.body().get("Environment").toString()).isEqualTo("{\"Variables\":{}}");
        assertThat(raw.get("/2015-03-31/functions/" + without + "/configuration").body().get("Environment").toString())
                .isEqualTo("{\"Variables\":{}}");
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys.stream().sorted().toList();
    }
}

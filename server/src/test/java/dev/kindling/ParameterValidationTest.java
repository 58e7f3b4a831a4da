package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.lambda.model.Architecture;
import software.amazon.awssdk.services.lambda.model.Environment;

/**
 * Validation of request parameters, as AWS words it: the model's constraints as ValidationException, Lambda's own
 * rules as InvalidParameterValueException. Facts from LocalStack's recordings of real AWS
 * (test_lambda_api.snapshot.json: TestLambdaTags test_tag_exceptions and test_tag_limits, TestLambdaSizeLimits
 * test_large_environment_*, test_create_lambda_exceptions, test_function_arns, test_list_functions).
 */
class ParameterValidationTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private final RawLambda raw = new RawLambda(kindling);

    private static final List<String> PARAMETER_BODY = List.of("Type", "message");
    private static final List<String> VALIDATION_BODY = List.of("message");
    private static final String RESOURCE_PATTERN = "arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?"
            + "-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)"
            + "|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
            + "-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)";

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String created() {
        String name = unique("val");
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name)).build());
        return name;
    }

    private static Map<String, String> tags(int count) {
        Map<String, String> tags = new HashMap<>();
        for (int i = 0; i < count; i++) {
            tags.put("key" + i, "value" + i);
        }
        return tags;
    }

    /** AWS: at most 50 tags per function, on CreateFunction and on TagResource counting the tags it has. */
    @Test
    void tagLimit() {
        String tooMany = "Number of tags exceeds resource tag limit.";
        String name = unique("tags");
        var e = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(name,
                ServerFixture.zip(name)).tags(tags(51)).build()), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(e)).isEqualTo(tooMany);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name)).tags(tags(50)).build());
        e = assertLambdaError(() -> kindling.lambda().tagResource(r -> r.resource(ARN_PREFIX + name)
                .tags(Map.of("one-more", "x"))), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(e)).isEqualTo(tooMany);
        // Replacing the value of a tag it has already does not add one.
        kindling.lambda().tagResource(r -> r.resource(ARN_PREFIX + name).tags(Map.of("key1", "changed")));
        assertThat(kindling.lambda().listTags(r -> r.resource(ARN_PREFIX + name)).tags()).hasSize(50);
    }

    /** AWS: only unqualified function ARNs carry tags; other strings fail the TaggableResource pattern. */
    @Test
    void whichArnsCanBeTagged() {
        String name = created();
        raw.send("POST", "/2017-03-31/tags/" + ARN_PREFIX + name + ":1", "{\"Tags\":{\"a\":\"b\"}}").assertError(400,
                "InvalidParameterValueException", PARAMETER_BODY,
                "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        String invalid = "arn:aws:lambda:us-east-1:000000000000:foobar:" + name;
        raw.get("/2017-03-31/tags/" + invalid).assertError(400, "ValidationException", VALIDATION_BODY,
                "1 validation error detected: Value '" + invalid + "' at 'resource' failed to satisfy constraint:"
                        + " Member must satisfy regular expression pattern: " + RESOURCE_PATTERN);
        raw.send("POST", "/2017-03-31/tags/" + name, "{\"Tags\":{\"a\":\"b\"}}").assertError(400,
                "ValidationException", VALIDATION_BODY, "1 validation error detected: Value '" + name + "' at"
                        + " 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                        + RESOURCE_PATTERN);
    }

    /** AWS: an empty Tags map and a missing tagKeys are refused in these words. */
    @Test
    void emptyTagsAndMissingKeys() {
        String name = created();
        raw.send("POST", "/2017-03-31/tags/" + ARN_PREFIX + name, "{\"Tags\":{}}").assertError(400,
                "InvalidParameterValueException", PARAMETER_BODY, "An error occurred and the request cannot be processed.");
        raw.send("DELETE", "/2017-03-31/tags/" + ARN_PREFIX + name, null).assertError(400, "ValidationException",
                VALIDATION_BODY, "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint:"
                        + " Member must not be null");
    }

    /** AWS: variables are measured as compact JSON; over 4096 bytes fails and quotes the JSON; 4096 is fine. */
    @Test
    void environmentSize() {
        Map<String, String> atLimit = Map.of("LARGE_VAR", "x".repeat(4096 - "{\"LARGE_VAR\":\"\"}".length()));
        String ok = unique("env");
        kindling.lambda().createFunction(ServerFixture.create(ok, ServerFixture.zip(ok))
                .environment(Environment.builder().variables(atLimit).build()).build());

        Map<String, String> over = new LinkedHashMap<>();
        over.put("SMALL_VAR", "ok");
        over.put("LARGE_VAR", "x".repeat(4064));
        String name = unique("env");
        var e = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name))
                .environment(Environment.builder().variables(over).build()).build()), "InvalidParameterValueException", 400);
        String json = "{\"SMALL_VAR\":\"ok\",\"LARGE_VAR\":\"" + "x".repeat(4064) + "\"}";
        assertThat(json.length()).isEqualTo(4097);
        assertThat(ServerFixture.message(e)).isEqualTo("Lambda was unable to configure your environment variables"
                + " because the environment variables you have provided exceeded the 4KB limit. String measured: " + json);
    }

    /** AWS: a runtime it does not create functions with is a parameter error listing the runtimes it does. */
    @Test
    void unknownRuntime() {
        String name = unique("rt");
        String body = "{\"FunctionName\":\"" + name + "\",\"Runtime\":\"PYTHON3.9\",\"Role\":\"" + ServerFixture.ROLE
                + "\",\"Handler\":\"h.h\",\"Code\":{\"ZipFile\":\"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==\"}}";
        raw.send("POST", "/2015-03-31/functions", body).assertError(400, "InvalidParameterValueException",
                PARAMETER_BODY, "Value PYTHON3.9 at 'runtime' failed to satisfy constraint: Member must satisfy enum"
                        + " value set: [nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x,"
                        + " nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8,"
                        + " python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2,"
                        + " java8.al2] or be a valid ARN");
    }

    /**
     * AWS: a runtime it has deprecated is refused with a message of its own, on CreateFunction and on
     * UpdateFunctionConfiguration (TestRuntimeValidation test_create_deprecated_function_runtime_with_validation_enabled,
     * recorded for java8, go1.x, provided, ruby2.7, nodejs14.x, python3.7, dotnetcore3.1 and nodejs12.x).
     */
    @Test
    void deprecatedRuntime() {
        for (String runtime : List.of("java8", "go1.x", "provided", "ruby2.7", "nodejs14.x", "python3.7",
                "dotnetcore3.1", "nodejs12.x")) {
            String message = "The runtime parameter of " + runtime + " is no longer supported for creating or updating"
                    + " AWS Lambda functions. We recommend you use a supported runtime while creating or updating"
                    + " functions.";
            String name = unique("old");
            var e = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(name,
                    ServerFixture.zip(name)).runtime(runtime).build()), "InvalidParameterValueException", 400);
            assertThat(ServerFixture.message(e)).as(runtime).isEqualTo(message);
            String body = "{\"FunctionName\":\"" + name + "\",\"Runtime\":\"" + runtime + "\",\"Role\":\""
                    + ServerFixture.ROLE + "\",\"Handler\":\"h.h\",\"Code\":{\"ZipFile\":\"UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==\"}}";
            raw.send("POST", "/2015-03-31/functions", body).assertError(400, "InvalidParameterValueException",
                    PARAMETER_BODY, message);
        }
        String name = created();
        var e = assertLambdaError(() -> kindling.lambda().updateFunctionConfiguration(r -> r.functionName(name)
                .runtime("python3.7")), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(e)).isEqualTo("The runtime parameter of python3.7 is no longer supported for"
                + " creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating"
                + " or updating functions.");
        assertThat(kindling.lambda().getFunctionConfiguration(r -> r.functionName(name)).runtimeAsString())
                .isEqualTo("python3.12");
    }

    /** AWS: Architectures takes exactly one of its enum, and renders the list in its message. */
    @Test
    void architectures() {
        String name = unique("arch");
        var e = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name))
                .architectures(Architecture.X86_64, Architecture.ARM64).build()), "ValidationException", 400);
        assertThat(ServerFixture.message(e)).isEqualTo("1 validation error detected: Value '[x86_64, arm64]' at"
                + " 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1");
        e = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name))
                .architecturesWithStrings("X86_64").build()), "ValidationException", 400);
        assertThat(ServerFixture.message(e)).isEqualTo("1 validation error detected: Value '[X86_64]' at 'architectures'"
                + " failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set:"
                + " [x86_64, arm64], Member must not be null]");
    }

    /** AWS: a name over 64 characters on CreateFunction is an InvalidParameterValueException worded as validation. */
    @Test
    void createNameTooLong() {
        String name = "a".repeat(65);
        var e = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(name,
                ServerFixture.zip(name)).build()), "InvalidParameterValueException", 400);
        assertThat(ServerFixture.message(e)).isEqualTo("1 validation error detected: Value '" + name + "' at"
                + " 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64");
        var invalid = assertLambdaError(() -> kindling.lambda().createFunction(ServerFixture.create(
                "invalid:function:name", ServerFixture.zip("x")).build()), "ValidationException", 400);
        assertThat(ServerFixture.message(invalid)).isEqualTo("1 validation error detected: Value 'invalid:function:name'"
                + " at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                + " (arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
                + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
    }

    /** AWS: ListFunctions' FunctionVersion takes only ALL, MasterRegion its pattern, MaxItems 1 to 10000. */
    @Test
    void listFunctionsEnumParameters() {
        raw.get("/2015-03-31/functions?FunctionVersion=invalid").assertError(400, "ValidationException",
                VALIDATION_BODY, "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy"
                        + " constraint: Member must satisfy enum value set: [ALL]");
        raw.get("/2015-03-31/functions?MasterRegion=moon").assertError(400, "ValidationException", VALIDATION_BODY,
                "1 validation error detected: Value 'moon' at 'masterRegion' failed to satisfy constraint: Member must"
                        + " satisfy regular expression pattern: ALL|[a-z]{2}(-gov)?-[a-z]+-\\d{1}");
        raw.get("/2015-03-31/functions?MaxItems=0").assertError(400, "ValidationException", VALIDATION_BODY,
                "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have"
                        + " value greater than or equal to 1");
        assertThat(kindling.lambda().listFunctions(r -> r.functionVersion("ALL")).sdkHttpResponse().statusCode())
                .isEqualTo(200);
    }
}

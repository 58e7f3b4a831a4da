package dev.kindling;

import static dev.kindling.ServerFixture.ARN_PREFIX;
import static dev.kindling.ServerFixture.assertLambdaError;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;

/**
 * How AWS answers function names, ARNs and qualifiers it cannot serve: status, error code, the members of the
 * error body and the whole message, as recorded from real AWS (LocalStack's test_lambda_api.snapshot.json:
 * test_function_name_and_qualifier_validation, test_ops_with_arn_qualifier_mismatch, test_ops_on_nonexisting_version,
 * test_delete_on_nonexisting_version, test_get_function_wrong_region, test_function_arns, test_function_lifecycle),
 * and the lengths of botocore's model (NamespacedFunctionName 256, FunctionName 140) where no recording reaches them.
 */
class ArnAndQualifierErrorsTest {
    @RegisterExtension
    static final RunningServer kindling = new RunningServer();
    private final RawLambda raw = new RawLambda(kindling);

    private static final String NAME_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?"
            + "-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
    /** ResourceNotFoundException's shape has Type and a capitalised Message. */
    private static final List<String> NOT_FOUND_BODY = List.of("Type", "Message");
    /** InvalidParameterValueException's shape has Type and message. */
    private static final List<String> PARAMETER_BODY = List.of("Type", "message");
    /** ValidationException is not in Lambda's model: its body is the message alone. */
    private static final List<String> VALIDATION_BODY = List.of("message");

    /** The FunctionName pattern of CreateFunction and the update operations, as AWS quotes it. */
    private static final String CHANGE_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso("
            + "[a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";

    private static String created() {
        String name = "arn-" + UUID.randomUUID().toString().substring(0, 8);
        kindling.lambda().createFunction(ServerFixture.create(name, ServerFixture.zip(name)).build());
        return name;
    }

    /** AWS: a FunctionName outside the model's pattern is a ValidationException quoting the pattern, on every operation. */
    @Test
    void nameOutsideThePattern() {
        String message = "1 validation error detected: Value 'my-function!' at 'functionName' failed to satisfy"
                + " constraint: Member must satisfy regular expression pattern: " + NAME_PATTERN;
        raw.get("/2015-03-31/functions/my-function!").assertError(400, "ValidationException", VALIDATION_BODY, message);
        raw.send("DELETE", "/2015-03-31/functions/my-function!", null)
                .assertError(400, "ValidationException", VALIDATION_BODY, message);
        raw.send("POST", "/2015-03-31/functions/my-function!/invocations", "{}")
                .assertError(400, "ValidationException", VALIDATION_BODY, message);
        raw.get("/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:my-function:1:2")
                .assertError(400, "ValidationException", VALIDATION_BODY, "1 validation error detected: Value"
                        + " 'arn:aws:lambda:us-east-1:000000000000:function:my-function:1:2' at 'functionName' failed"
                        + " to satisfy constraint: Member must satisfy regular expression pattern: " + NAME_PATTERN);
    }

    /** AWS: a Qualifier over 128 characters or with other characters is a ValidationException; with a bad name, both. */
    @Test
    void qualifierTooLongOrWithForbiddenCharacters() {
        String tooLong = "a".repeat(129);
        raw.get("/2015-03-31/functions/my-function?Qualifier=" + tooLong).assertError(400, "ValidationException",
                VALIDATION_BODY, "1 validation error detected: Value '" + tooLong + "' at 'qualifier' failed to satisfy"
                        + " constraint: Member must have length less than or equal to 128");
        raw.send("DELETE", "/2015-03-31/functions/my-function?Qualifier=invalid!", null).assertError(400,
                "ValidationException", VALIDATION_BODY, "1 validation error detected: Value 'invalid!' at 'qualifier'"
                        + " failed to satisfy constraint: Member must satisfy regular expression pattern:"
                        + " \\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+");
        raw.get("/2015-03-31/functions/my-function!?Qualifier=" + tooLong).assertError(400, "ValidationException",
                VALIDATION_BODY, "2 validation errors detected: Value '" + tooLong + "' at 'qualifier' failed to"
                        + " satisfy constraint: Member must have length less than or equal to 128; Value 'my-function!'"
                        + " at 'functionName' failed to satisfy constraint: Member must satisfy regular expression"
                        + " pattern: " + NAME_PATTERN);
    }

    /** AWS: an ARN of another region is not found, in these words; of another account, access is denied. */
    @Test
    void otherRegionAndOtherAccount() {
        String name = created();
        String otherRegion = "arn:aws:lambda:ap-southeast-1:000000000000:function:" + name;
        String message = "Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')";
        raw.get("/2015-03-31/functions/" + otherRegion).assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.send("DELETE", "/2015-03-31/functions/" + otherRegion, null)
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.send("POST", "/2015-03-31/functions/" + otherRegion + "/invocations", "{}")
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        var denied = raw.get("/2015-03-31/functions/arn:aws:lambda:us-east-1:111111111111:function:" + name);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.errorType()).isEqualTo("AccessDeniedException");
        assertThat(kindling.lambda().getFunction(r -> r.functionName(name)).configuration().functionName()).isEqualTo(name);
    }

    /** AWS: a qualifier in the ARN that contradicts the Qualifier parameter is an InvalidParameterValueException. */
    @Test
    void qualifierThatContradictsTheArn() {
        String name = created();
        String message = "The derived qualifier from the function name does not match the specified qualifier.";
        for (String op : List.of("", "/configuration")) {
            raw.get("/2015-03-31/functions/" + ARN_PREFIX + name + ":$LATEST" + op + "?Qualifier=1")
                    .assertError(400, "InvalidParameterValueException", PARAMETER_BODY, message);
        }
        raw.send("DELETE", "/2015-03-31/functions/" + name + ":1?Qualifier=2", null)
                .assertError(400, "InvalidParameterValueException", PARAMETER_BODY, message);
        raw.send("POST", "/2015-03-31/functions/" + name + ":$LATEST/invocations?Qualifier=7", "{}")
                .assertError(400, "InvalidParameterValueException", PARAMETER_BODY, message);
        // The same qualifier twice is no contradiction.
        assertThat(raw.get("/2015-03-31/functions/" + name + ":$LATEST?Qualifier=$LATEST").status()).isEqualTo(200);
    }

    /** AWS: a version that does not exist is "Function not found" with the qualified ARN; $latest is not $LATEST. */
    @Test
    void versionThatDoesNotExist() {
        String name = created();
        raw.get("/2015-03-31/functions/" + name + "?Qualifier=1221").assertError(404, "ResourceNotFoundException",
                NOT_FOUND_BODY, "Function not found: " + ARN_PREFIX + name + ":1221");
        raw.get("/2015-03-31/functions/" + name + "/configuration?Qualifier=1221").assertError(404,
                "ResourceNotFoundException", NOT_FOUND_BODY, "Function not found: " + ARN_PREFIX + name + ":1221");
        raw.get("/2015-03-31/functions/" + name + "?Qualifier=$latest").assertError(404, "ResourceNotFoundException",
                NOT_FOUND_BODY, "Function not found: " + ARN_PREFIX + name + ":$latest");
        raw.get("/2015-03-31/functions/some-function-" + name + "?Qualifier=$LATEST").assertError(404,
                "ResourceNotFoundException", NOT_FOUND_BODY,
                "Function not found: " + ARN_PREFIX + "some-function-" + name + ":$LATEST");
    }

    /** AWS: a name over 64 characters in a read is simply not found (the model allows it). */
    @Test
    void nameTooLongToExistIsNotFound() {
        String longName = "a".repeat(65);
        raw.get("/2015-03-31/functions/" + longName).assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY,
                "Function not found: " + ARN_PREFIX + longName);
    }

    /**
     * AWS: DeleteFunction with a version that does not exist succeeds (idempotent); with $LATEST or an alias it is
     * refused; a function that does not exist is not found whatever the qualifier.
     */
    @Test
    void deleteWithQualifiers() {
        String name = created();
        assertThat(raw.send("DELETE", "/2015-03-31/functions/" + name + "?Qualifier=1221", null).status()).isEqualTo(204);
        assertThat(kindling.lambda().getFunction(r -> r.functionName(name)).configuration().functionName())
                .as("deleting a missing version leaves the function").isEqualTo(name);
        raw.send("DELETE", "/2015-03-31/functions/" + name + "?Qualifier=$LATEST", null).assertError(400,
                "InvalidParameterValueException", PARAMETER_BODY,
                "$LATEST version cannot be deleted without deleting the function.");
        raw.send("DELETE", "/2015-03-31/functions/" + name + ":live", null).assertError(400,
                "InvalidParameterValueException", PARAMETER_BODY, "Deletion of aliases is not currently supported.");
        raw.send("DELETE", "/2015-03-31/functions/missing-" + name + "?Qualifier=3", null).assertError(404,
                "ResourceNotFoundException", NOT_FOUND_BODY, "Function not found: " + ARN_PREFIX + "missing-" + name);
    }

    /** AWS: after DeleteFunction, every operation on the function is "Function not found" with its ARN. */
    @Test
    void operationsOnADeletedFunction() {
        String name = created();
        kindling.lambda().deleteFunction(r -> r.functionName(name));
        String message = "Function not found: " + ARN_PREFIX + name;
        raw.get("/2015-03-31/functions/" + name).assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.get("/2015-03-31/functions/" + name + "/configuration")
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.send("DELETE", "/2015-03-31/functions/" + name, null)
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.send("PUT", "/2015-03-31/functions/" + name + "/configuration", "{\"Timeout\":5}")
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.send("POST", "/2015-03-31/functions/" + name + "/invocations", "{}")
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.get("/2017-03-31/tags/" + ARN_PREFIX + name)
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.send("POST", "/2017-03-31/tags/" + ARN_PREFIX + name, "{\"Tags\":{\"a\":\"b\"}}")
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        raw.send("DELETE", "/2017-03-31/tags/" + ARN_PREFIX + name + "?tagKeys=a", null)
                .assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY, message);
        // Through the SDK, the same error and message.
        var e = assertLambdaError(() -> kindling.lambda().updateFunctionCode(r -> r.functionName(name)
                .zipFile(SdkBytes.fromByteArray(ServerFixture.zip("x")))), "ResourceNotFoundException", 404);
        assertThat(ServerFixture.message(e)).isEqualTo(message);
    }

    /**
     * AWS: an over-long FunctionName fails the length and the pattern together, length first, as ValidationException
     * (function_name_too_long_and_invalid_region-create_function). CreateFunction and the update operations take
     * 140 characters (the model's FunctionName); a name of 140 characters or less is checked for 64 afterwards.
     */
    @Test
    void changesTakeAtMost140CharactersLengthBeforePattern() {
        String value = "arn:aws:lambda:invalid-region:000000000000:function:my-function" + "a".repeat(170);
        String message = "2 validation errors detected: Value '" + value + "' at 'functionName' failed to satisfy"
                + " constraint: Member must have length less than or equal to 140; Value '" + value + "' at"
                + " 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                + CHANGE_PATTERN;
        String zip = java.util.Base64.getEncoder().encodeToString(ServerFixture.zip("long"));
        raw.send("POST", "/2015-03-31/functions", "{\"FunctionName\":\"" + value + "\",\"Runtime\":\"python3.12\","
                + "\"Role\":\"" + ServerFixture.ROLE + "\",\"Handler\":\"a.b\",\"Code\":{\"ZipFile\":\"" + zip + "\"}}")
                .assertError(400, "ValidationException", VALIDATION_BODY, message);
        raw.send("PUT", "/2015-03-31/functions/" + value + "/configuration", "{\"Timeout\":5}")
                .assertError(400, "ValidationException", VALIDATION_BODY, message);
        raw.send("PUT", "/2015-03-31/functions/" + value + "/code", "{\"ZipFile\":\"" + zip + "\"}")
                .assertError(400, "ValidationException", VALIDATION_BODY, message);
        // Valid in length but not for a change: dots are allowed on reads only.
        raw.send("PUT", "/2015-03-31/functions/my.function/configuration", "{\"Timeout\":5}")
                .assertError(400, "ValidationException", VALIDATION_BODY, "1 validation error detected: Value"
                        + " 'my.function' at 'functionName' failed to satisfy constraint: Member must satisfy regular"
                        + " expression pattern: " + CHANGE_PATTERN);
    }

    /**
     * AWS: reads and Invoke take a FunctionName of up to 256 characters (the model's NamespacedFunctionName); a valid
     * name over 64 is simply not found (function_name_too_long-get_function), one over 256 is a ValidationException.
     */
    @Test
    void readsTakeAtMost256Characters() {
        String longest = "a".repeat(256);
        raw.get("/2015-03-31/functions/" + longest).assertError(404, "ResourceNotFoundException", NOT_FOUND_BODY,
                "Function not found: " + ARN_PREFIX + longest);
        String tooLong = "a".repeat(257);
        String message = "1 validation error detected: Value '" + tooLong + "' at 'functionName' failed to satisfy"
                + " constraint: Member must have length less than or equal to 256";
        raw.get("/2015-03-31/functions/" + tooLong).assertError(400, "ValidationException", VALIDATION_BODY, message);
        raw.send("DELETE", "/2015-03-31/functions/" + tooLong, null)
                .assertError(400, "ValidationException", VALIDATION_BODY, message);
        raw.send("POST", "/2015-03-31/functions/" + tooLong + "/invocations", "{}")
                .assertError(400, "ValidationException", VALIDATION_BODY, message);
    }
}

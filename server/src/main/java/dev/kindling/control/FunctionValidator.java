package dev.kindling.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.FunctionRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * AWS's rules for a function's configuration. Model constraints (patterns, lengths, ranges, enums) fail with
 * ValidationException in AWS's "1 validation error detected" wording; service rules fail with
 * InvalidParameterValueException. Every message names the field.
 */
final class FunctionValidator {
    private static final Pattern ROLE = Pattern.compile("arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+");
    private static final Pattern HANDLER = Pattern.compile("[^\\s]+");
    private static final Pattern ENV_KEY = Pattern.compile("[a-zA-Z]([a-zA-Z0-9_])+");
    private static final Pattern LOG_GROUP = Pattern.compile("[\\.\\-_/#A-Za-z0-9]+");
    private static final int MAX_ENVIRONMENT_BYTES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ARCHITECTURES = List.of("x86_64", "arm64");
    /** Variables the runtime sets itself; AWS refuses them in a function's configuration. */
    private static final Set<String> RESERVED_ENV = Set.of("_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION",
            "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
            "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
            "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN", "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR");

    private FunctionValidator() {}

    /**
     * The name of the function a CreateFunction's FunctionName (a name or an ARN) asks for. AWS checks the model's
     * length and pattern as ValidationException, but a name over 64 characters as InvalidParameterValueException,
     * worded as a validation error.
     */
    static String nameToCreate(String functionName, String region, String accountId) {
        String name = FunctionRef.parseToChange(functionName, region, accountId).name();
        if (name.length() > 64) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "1 validation error detected: Value '"
                    + name + "' at 'functionName' failed to satisfy constraint: Member must have length less than or"
                    + " equal to 64");
        }
        return name;
    }

    static void validate(FunctionRecord f) {
        validateRuntime(f.runtime());
        if (!ROLE.matcher(f.role()).matches()) {
            throw validation(f.role(), "role", "Member must satisfy regular expression pattern: " + ROLE.pattern());
        }
        if (f.handler().length() > 128) {
            throw validation(f.handler(), "handler", "Member must have length less than or equal to 128");
        }
        if (!HANDLER.matcher(f.handler()).matches()) {
            throw validation(f.handler(), "handler", "Member must satisfy regular expression pattern: [^\\s]+");
        }
        if (f.description().length() > 256) {
            throw validation(f.description(), "description", "Member must have length less than or equal to 256");
        }
        range(f.timeoutSeconds(), 1, 900, "timeout");
        range(f.memoryMb(), 128, 10240, "memorySize");
        range(f.ephemeralStorageMb(), 512, 10240, "ephemeralStorage.size");
        validateEnvironment(f.environment());
        validateArchitectures(f.architectures());
        oneOf(f.tracingMode(), List.of("Active", "PassThrough"), "tracingConfig.mode");
        oneOf(f.snapStartApplyOn(), List.of("PublishedVersions", "None"), "snapStart.applyOn");
        validateLogging(f.logging());
        if (!f.packageType().equals("Zip")) {
            oneOf(f.packageType(), List.of("Zip", "Image"), "packageType");
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "PackageType Image is not supported by Kindling: create the function from a .zip file");
        }
    }

    private static void validateArchitectures(List<String> architectures) {
        if (architectures.size() > 1) {
            throw ConstraintViolations.single(architectures, "architectures",
                    "Member must have length less than or equal to 1");
        }
        if (architectures.isEmpty()) {
            throw ConstraintViolations.single(architectures, "architectures",
                    "Member must have length greater than or equal to 1");
        }
        if (!ARCHITECTURES.contains(architectures.get(0))) {
            throw ConstraintViolations.single(architectures, "architectures", "Member must satisfy constraint: ["
                    + ConstraintViolations.enumConstraint(ARCHITECTURES) + ", Member must not be null]");
        }
    }

    /** AWS checks the runtime against the runtimes it creates functions with, as a parameter error, not the model. */
    private static void validateRuntime(String runtime) {
        if (Runtimes.DEPRECATED.contains(runtime)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "The runtime parameter of " + runtime
                    + " is no longer supported for creating or updating AWS Lambda functions. We recommend you use a"
                    + " supported runtime while creating or updating functions.");
        }
        if (!Runtimes.CREATABLE_ON_AWS.contains(runtime)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Value " + runtime + " at 'runtime'"
                    + " failed to satisfy constraint: " + ConstraintViolations.enumConstraint(Runtimes.CREATABLE_ON_AWS)
                    + " or be a valid ARN");
        }
        if (!Runtimes.SUPPORTED.contains(runtime)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "The runtime parameter of "
                    + runtime + " is not supported by Kindling. Use one of: " + new TreeSet<>(Runtimes.SUPPORTED));
        }
    }

    private static void validateEnvironment(Map<String, String> env) {
        for (String key : env.keySet()) {
            if (!ENV_KEY.matcher(key).matches()) {
                throw validation(key, "environment.variables", "Member must satisfy regular expression pattern: "
                        + ENV_KEY.pattern());
            }
        }
        List<String> reserved = env.keySet().stream().filter(RESERVED_ENV::contains).sorted().toList();
        if (!reserved.isEmpty()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Lambda was unable to configure your"
                    + " environment variables because the environment variables you have provided contains reserved"
                    + " keys that are currently not supported for modification. Reserved keys used in this request: "
                    + String.join(", ", reserved));
        }
        // AWS measures the variables as compact JSON, braces and quotes included.
        String measured = compactJson(env);
        if (measured.getBytes(StandardCharsets.UTF_8).length > MAX_ENVIRONMENT_BYTES) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Lambda was unable to configure your"
                    + " environment variables because the environment variables you have provided exceeded the 4KB"
                    + " limit. String measured: " + measured);
        }
    }

    private static void validateLogging(FunctionRecord.LoggingSettings logging) {
        oneOf(logging.logFormat(), List.of("JSON", "Text"), "loggingConfig.logFormat");
        if (logging.applicationLogLevel() != null) {
            oneOf(logging.applicationLogLevel(), List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"),
                    "loggingConfig.applicationLogLevel");
        }
        if (logging.systemLogLevel() != null) {
            oneOf(logging.systemLogLevel(), List.of("DEBUG", "INFO", "WARN"), "loggingConfig.systemLogLevel");
        }
        if (logging.logGroup().length() > 512 || !LOG_GROUP.matcher(logging.logGroup()).matches()) {
            throw validation(logging.logGroup(), "loggingConfig.logGroup",
                    "Member must satisfy regular expression pattern: " + LOG_GROUP.pattern());
        }
    }

    private static void range(int value, int min, int max, String field) {
        if (value < min) {
            throw validation(Integer.toString(value), field, "Member must have value greater than or equal to " + min);
        }
        if (value > max) {
            throw validation(Integer.toString(value), field, "Member must have value less than or equal to " + max);
        }
    }

    private static void oneOf(String value, List<String> allowed, String field) {
        if (!allowed.contains(value)) {
            throw validation(value, field, "Member must satisfy enum value set: " + allowed);
        }
    }

    private static LambdaException validation(String value, String field, String constraint) {
        return ConstraintViolations.single(value, field, constraint);
    }

    private static String compactJson(Map<String, String> env) {
        try {
            return JSON.writeValueAsString(env);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** AWS's rules for the tagging operations: which ARNs can carry tags, and how many tags a function may have. */
final class Tagging {
    /** The TaggableResource pattern, as AWS quotes it in its messages. */
    static final String RESOURCE_PATTERN = "arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+"
            + "-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)"
            + "|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}"
            + "-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)";
    private static final Pattern RESOURCE = Pattern.compile(RESOURCE_PATTERN);
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:(?<region>[^:]+):(?<account>\\d{12}):function:(?<name>[a-zA-Z0-9-_]+)(:(?<qualifier>.+))?");
    /** AWS's limit of tags per resource. */
    static final int MAX_TAGS = 50;

    private Tagging() {}

    /** The unqualified function a taggable ARN names; other kinds of resources do not exist in Kindling yet. */
    static FunctionRef functionOf(String arn, String region, String accountId) {
        if (arn.length() > 256 || !RESOURCE.matcher(arn).matches()) {
            throw ConstraintViolations.single(arn, "resource", "Member must satisfy regular expression pattern: "
                    + RESOURCE_PATTERN);
        }
        Matcher m = FUNCTION_ARN.matcher(arn);
        if (!m.matches()) {
            throw new LambdaException(ErrorType.ResourceNotFoundException, "Kindling has no resource " + arn
                    + ": only functions can be tagged so far.");
        }
        if (m.group("qualifier") != null) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }
        return FunctionRef.parse(arn, "", region, accountId);
    }

    /** Checks the number of tags a function would have after a change. */
    static void requireWithinLimit(int tagCount) {
        if (tagCount > MAX_TAGS) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Number of tags exceeds resource tag limit.");
        }
    }
}

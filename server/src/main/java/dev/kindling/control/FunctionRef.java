package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a request names a function: by name ({@code my-function}), by partial ARN
 * ({@code 123456789012:function:my-function}) or by full ARN, optionally with a qualifier in the name or in the
 * Qualifier parameter.
 *
 * @param qualifier the version or alias, or empty when none was given
 */
public record FunctionRef(String name, String qualifier) {
    /** The unpublished version's name: the one version that changes. */
    public static final String LATEST = "$LATEST";

    /** The FunctionName pattern of the service model, as AWS quotes it in its messages. */
    static final String NAME_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+"
            + "-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?";
    /** The same pattern with the parts named. */
    private static final Pattern NAME = Pattern.compile("(arn:(aws[a-zA-Z-]*)?:lambda:)?"
            + "(?<region>(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(?<account>\\d{12}:)?(function:)?"
            + "(?<name>[a-zA-Z0-9-_\\.]+)(:(?<qualifier>\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?");
    /**
     * The FunctionName pattern of CreateFunction and the update operations (the model's FunctionName shape: no dots,
     * no .PUBLISHED), as AWS quotes it in its messages.
     */
    static final String CHANGE_NAME_PATTERN = "(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso("
            + "[a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?";
    private static final Pattern CHANGE_NAME = Pattern.compile(CHANGE_NAME_PATTERN);
    /** The model's length limits of FunctionName: reads and Invoke take up to 256 characters, changes 140. */
    private static final int MAX_READ_VALUE = 256;
    private static final int MAX_CHANGE_VALUE = 140;
    static final String QUALIFIER_PATTERN = "\\$(LATEST(\\.PUBLISHED)?)|[a-zA-Z0-9-_$]+";
    private static final Pattern QUALIFIER = Pattern.compile(QUALIFIER_PATTERN);
    private static final int MAX_QUALIFIER = 128;
    private static final int MAX_NAME = 64;

    public boolean isQualified() {
        return !qualifier.isEmpty();
    }

    /** Whether the ref names the unpublished version: no qualifier, or $LATEST. */
    public boolean namesLatest() {
        return qualifier.isEmpty() || qualifier.equals(LATEST);
    }

    /** Whether the qualifier is a published version's number. */
    public boolean namesPublishedVersion() {
        return !qualifier.isEmpty() && qualifier.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Whether the qualifier is an alias's name (the only other thing a well-formed qualifier can be). */
    public boolean namesAlias() {
        return !namesLatest() && !namesPublishedVersion();
    }

    /** The same function, named with another qualifier. */
    public FunctionRef withQualifier(String other) {
        return new FunctionRef(name, other);
    }

    /** {@code name} or {@code name:qualifier}, as ARNs and messages write it. */
    public String qualifiedName() {
        return isQualified() ? name + ":" + qualifier : name;
    }

    /**
     * Parses the FunctionName path parameter and the Qualifier query parameter (empty when absent) of a request.
     * The model's constraints fail together as one ValidationException (the qualifier's first, as AWS lists them);
     * then an ARN of another region is not found and one of another account is denied, as on AWS.
     */
    public static FunctionRef parse(String value, String qualifierParameter, String region, String accountId) {
        ConstraintViolations violations = new ConstraintViolations();
        if (qualifierParameter.length() > MAX_QUALIFIER) {
            violations.add(qualifierParameter, "qualifier", "Member must have length less than or equal to " + MAX_QUALIFIER);
        } else if (!qualifierParameter.isEmpty() && !QUALIFIER.matcher(qualifierParameter).matches()) {
            violations.add(qualifierParameter, "qualifier", "Member must satisfy regular expression pattern: "
                    + QUALIFIER_PATTERN);
        }
        if (value.length() > MAX_READ_VALUE) {
            violations.add(value, "functionName", "Member must have length less than or equal to " + MAX_READ_VALUE);
        }
        Matcher m = NAME.matcher(value);
        if (!m.matches()) {
            violations.add(value, "functionName", "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
        violations.throwIfAny();
        String arnRegion = m.group("region") == null ? region : strip(m.group("region"));
        String account = m.group("account") == null ? accountId : strip(m.group("account"));
        String name = m.group("name");
        String nameQualifier = m.group("qualifier") == null ? "" : m.group("qualifier");
        if (!arnRegion.equals(region)) {
            throw new LambdaException(ErrorType.ResourceNotFoundException, "Functions from '" + arnRegion
                    + "' are not reachable in this region ('" + region + "')");
        }
        if (!account.equals(accountId)) {
            throw new LambdaException(ErrorType.AccessDeniedException, "The function belongs to account " + account
                    + ", not to this endpoint's account " + accountId + ".");
        }
        if (!nameQualifier.isEmpty() && !qualifierParameter.isEmpty() && !nameQualifier.equals(qualifierParameter)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "The derived qualifier from the function name does not match the specified qualifier.");
        }
        return new FunctionRef(name, nameQualifier.isEmpty() ? qualifierParameter : nameQualifier);
    }

    /**
     * Parses the FunctionName of CreateFunction, UpdateFunctionCode or UpdateFunctionConfiguration: the model's
     * length (140) and pattern fail together, length first, as AWS lists them; then as {@link #parse}.
     */
    public static FunctionRef parseToChange(String value, String region, String accountId) {
        ConstraintViolations violations = new ConstraintViolations();
        if (value.length() > MAX_CHANGE_VALUE) {
            violations.add(value, "functionName", "Member must have length less than or equal to " + MAX_CHANGE_VALUE);
        }
        if (!CHANGE_NAME.matcher(value).matches()) {
            violations.add(value, "functionName", "Member must satisfy regular expression pattern: "
                    + CHANGE_NAME_PATTERN);
        }
        violations.throwIfAny();
        return parse(value, "", region, accountId);
    }

    /** True if a function of this name could exist: names of more than 64 characters or with dots never do. */
    boolean canExist() {
        return name.length() <= MAX_NAME && !name.contains(".");
    }

    private static String strip(String withColon) {
        return withColon.substring(0, withColon.length() - 1);
    }
}

package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a request names a function: by name ({@code my-function}), by partial ARN
 * ({@code 123456789012:function:my-function}) or by full ARN, optionally with a qualifier.
 *
 * @param qualifier the version or alias after the name, or empty when none was given
 */
public record FunctionRef(String name, String qualifier) {
    private static final Pattern FORM = Pattern.compile(
            "^(arn:(aws[a-zA-Z-]*)?:lambda:([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d):)?(\\d{12}:)?(function:)?"
                    + "([a-zA-Z0-9-_.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?$");

    /**
     * Parses the FunctionName of a request, checking that an ARN names this region and account.
     *
     * @param field the request field, for the error message
     */
    public static FunctionRef parse(String value, String field, String region, String accountId) {
        Matcher m = FORM.matcher(value);
        if (value.isEmpty() || value.length() > 256 || !m.matches()) {
            throw new LambdaException(ErrorType.ValidationException, "1 validation error detected: Value '" + value
                    + "' at '" + field + "' failed to satisfy constraint: Member must satisfy regular expression"
                    + " pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?"
                    + "(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?");
        }
        String arnRegion = m.group(3);
        String account = m.group(8) == null ? null : m.group(8).substring(0, 12);
        boolean partial = account != null && m.group(9) == null;
        if (partial) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Invalid function name '" + value + "': a partial ARN has the form 123456789012:function:name");
        }
        if (arnRegion != null && !arnRegion.equals(region)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Region '" + arnRegion
                    + "' in the function ARN does not match this endpoint's region '" + region + "'");
        }
        String name = m.group(10);
        if (account != null && !account.equals(accountId) || name.contains(".")) {
            throw new LambdaException(ErrorType.ResourceNotFoundException, "Function not found: "
                    + Arns.function(region, account == null ? accountId : account, name));
        }
        return new FunctionRef(name, m.group(12) == null ? "" : m.group(12));
    }
}

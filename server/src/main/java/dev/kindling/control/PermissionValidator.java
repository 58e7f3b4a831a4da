package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.PolicyStatement;
import java.util.List;
import java.util.regex.Pattern;

/** AddPermission's checks: the service model's constraints (one ValidationException), then Lambda's own rules. */
final class PermissionValidator {
    private static final String STATEMENT_ID = "([a-zA-Z0-9-_]+)";
    private static final String ACTION = "(lambda:[*]|lambda:[a-zA-Z]+|[*])";
    private static final String PRINCIPAL = "[^\\s]+";
    private static final String ARN = "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-\\d{1})?:"
            + "(\\d{12})?:(.*)";
    private static final String ACCOUNT = "\\d{12}";
    private static final String TOKEN = "[a-zA-Z0-9._\\-]+";
    private static final String ORGANIZATION = "o-[a-z0-9]{10,32}";
    private static final List<String> AUTH_TYPES = List.of("NONE", "AWS_IAM");

    private PermissionValidator() {}

    static void validate(PolicyStatement s) {
        ConstraintViolations violations = new ConstraintViolations();
        if (s.sid().length() > 100) {
            violations.add(s.sid(), "statementId", "Member must have length less than or equal to 100");
        }
        pattern(violations, s.sid(), "statementId", STATEMENT_ID);
        pattern(violations, s.action(), "action", ACTION);
        pattern(violations, s.principal(), "principal", PRINCIPAL);
        s.sourceArn().ifPresent(arn -> pattern(violations, arn, "sourceArn", ARN));
        s.sourceAccount().ifPresent(account -> {
            if (account.length() > 12) {
                violations.add(account, "sourceAccount", "Member must have length less than or equal to 12");
            }
            pattern(violations, account, "sourceAccount", ACCOUNT);
        });
        s.eventSourceToken().ifPresent(token -> {
            if (token.length() > 256) {
                violations.add(token, "eventSourceToken", "Member must have length less than or equal to 256");
            }
            pattern(violations, token, "eventSourceToken", TOKEN);
        });
        s.principalOrgId().ifPresent(org -> {
            if (org.length() < 12) {
                violations.add(org, "principalOrgID", "Member must have length greater than or equal to 12");
            } else if (org.length() > 34) {
                violations.add(org, "principalOrgID", "Member must have length less than or equal to 34");
            }
            pattern(violations, org, "principalOrgID", ORGANIZATION);
        });
        s.functionUrlAuthType().filter(t -> !AUTH_TYPES.contains(t)).ifPresent(t ->
                violations.add(t, "functionUrlAuthType", ConstraintViolations.enumConstraint(AUTH_TYPES)));
        violations.throwIfAny();
        if (!PolicyPrincipals.isValid(s.principal())) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "The provided principal was invalid. Please check the principal and try again.");
        }
        if (s.functionUrlAuthType().isPresent() && !covers(s.action(), AccessRequest.INVOKE_FUNCTION_URL)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "FunctionUrlAuthType is only supported for lambda:InvokeFunctionUrl action");
        }
        if (s.invokedViaFunctionUrl() && !covers(s.action(), AccessRequest.INVOKE_FUNCTION)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "InvokedViaFunctionUrl is only supported for lambda:InvokeFunction action");
        }
    }

    /** RemovePermission's StatementId (the model's NamespacedStatementId, which also takes dots). */
    static void validateRemovedId(String sid) {
        ConstraintViolations violations = new ConstraintViolations();
        if (sid.length() > 100) {
            violations.add(sid, "statementId", "Member must have length less than or equal to 100");
        }
        pattern(violations, sid, "statementId", "([a-zA-Z0-9-_.]+)");
        violations.throwIfAny();
    }

    private static boolean covers(String action, String wanted) {
        return action.equals("*") || action.equalsIgnoreCase("lambda:*") || action.equalsIgnoreCase(wanted);
    }

    private static void pattern(ConstraintViolations violations, String value, String field, String regex) {
        if (value.isEmpty() ? !field.equals("sourceAccount") && !field.equals("eventSourceToken")
                : !Pattern.compile(regex).matcher(value).matches()) {
            violations.add(value, field, "Member must satisfy regular expression pattern: " + regex);
        }
    }
}

package dev.kindling.iam;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ExecutionRoleCheck;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A function's execution role must be one Lambda can assume: a role of Kindling's IAM must trust
 * lambda.amazonaws.com. A role ARN Kindling's IAM does not have is accepted with a warning in the server's log (so
 * scripts written before Kindling served IAM keep working), or refused when the server runs with --strict-iam.
 */
public final class LambdaRoleCheck implements ExecutionRoleCheck {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LambdaRoleCheck.class);
    static final String CANNOT_ASSUME = "The role defined for the function cannot be assumed by Lambda.";

    private final AccessPolicies access;
    private final boolean strict;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public LambdaRoleCheck(AccessPolicies access, boolean strict) {
        this.access = access;
        this.strict = strict;
    }

    @Override
    public void requireAssumableByLambda(String roleArn) {
        switch (access.lambdaTrust(roleArn)) {
            case TRUSTED -> { }
            case NOT_TRUSTED -> throw new LambdaException(ErrorType.InvalidParameterValueException, CANNOT_ASSUME);
            case UNKNOWN -> {
                if (strict) {
                    throw new LambdaException(ErrorType.InvalidParameterValueException, CANNOT_ASSUME
                            + " Kindling's IAM has no role " + roleArn + " (the server runs with --strict-iam):"
                            + " create it with aws iam create-role first.");
                }
                if (warned.add(roleArn)) {
                    LOG.warn("Role {} is not in Kindling's IAM: accepted, and its functions' requests are not"
                            + " restricted. Create it with aws iam create-role, or run with --strict-iam to refuse"
                            + " unknown roles.", roleArn);
                }
            }
        }
    }
}

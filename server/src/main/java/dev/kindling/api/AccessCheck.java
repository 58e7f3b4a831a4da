package dev.kindling.api;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.iam.AccessPolicies;
import dev.kindling.iam.Identity;
import dev.kindling.iam.PolicyEvaluator.Decision;
import java.util.Set;

/**
 * The request's caller must be allowed its action on its resource ({@link AccessPolicies}); a refusal is AWS's
 * AccessDenied in the service's own protocol, worded as AWS words it.
 */
final class AccessCheck {
    /** Actions IAM never restricts: anyone may ask who they are. */
    private static final Set<String> ALWAYS_ALLOWED = Set.of("sts:GetCallerIdentity");

    private final AccessPolicies policies;
    private final IamActions actions;

    AccessCheck(AccessPolicies policies) {
        this.policies = policies;
        this.actions = new IamActions(policies.region(), policies.accountId());
    }

    void require(Identity caller, String service, Router.Match match) {
        if (caller.roleArn().isEmpty()) {
            return; // the operator's key: the account's root
        }
        String action = IamActions.action(service, match.operation());
        if (ALWAYS_ALLOWED.contains(action)) {
            return;
        }
        String resource = actions.resource(service, match);
        Decision decision = policies.decide(caller, action, resource);
        if (decision != Decision.ALLOWED) {
            throw new LambdaException(ErrorType.AccessDeniedException, "User: " + caller.arn()
                    + " is not authorized to perform: " + action + " on resource: " + resource
                    + (decision == Decision.EXPLICITLY_DENIED ? " with an explicit deny in an identity-based policy"
                            : " because no identity-based policy allows the " + action + " action"));
        }
    }
}

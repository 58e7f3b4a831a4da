package dev.kindling.iam;

import dev.kindling.iam.PolicyDocument.Effect;
import dev.kindling.iam.PolicyDocument.Statement;
import java.util.List;
import java.util.Map;

/**
 * Whether a role's trust policy lets a principal assume it, as pure functions: some statement allows
 * {@code sts:AssumeRole} to the principal and none denies it. Conditions are evaluated against the keys the
 * assumption carries.
 */
final class TrustPolicies {
    private TrustPolicies() {}

    /**
     * A principal as a trust policy names it.
     *
     * @param type AWS (an account, user or role ARN), Service (lambda.amazonaws.com), Federated
     * @param names every name that designates it (a role's ARN and its account's root, or a service's name)
     */
    record Principal(String type, List<String> names) {}

    static boolean allows(PolicyDocument trust, Principal principal, Map<String, String> context) {
        boolean allowed = false;
        for (Statement s : trust.statements()) {
            boolean names = s.principals().containsKey("*") || s.principals().getOrDefault(principal.type(), List.of())
                    .stream().anyMatch(p -> p.equals("*") || principal.names().contains(p));
            boolean action = s.actions().stream().anyMatch(a -> PolicyEvaluator.matches(a, "sts:AssumeRole", true));
            boolean conditions = s.conditions().stream().allMatch(c -> Conditions.holds(c, context));
            if (names && action != s.notAction() && conditions) {
                if (s.effect() == Effect.Deny) {
                    return false;
                }
                allowed = true;
            }
        }
        return allowed;
    }
}

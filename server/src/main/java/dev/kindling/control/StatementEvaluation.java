package dev.kindling.control;

import dev.kindling.store.PolicyStatement;
import java.util.Optional;

/**
 * Whether one policy statement allows a request, as IAM evaluates an Allow statement: the action, the principal and
 * every condition must match; a condition whose context key the request lacks does not match. Kindling has no AWS
 * Organizations and no Alexa skills, so statements conditioned on aws:PrincipalOrgID or lambda:EventSourceToken
 * allow nothing here.
 */
final class StatementEvaluation {
    private StatementEvaluation() {}

    static boolean allows(PolicyStatement s, AccessRequest r) {
        return actionMatches(s.action(), r.action()) && principalMatches(s.principal(), r)
                && s.sourceArn().map(pattern -> r.sourceArn().map(arn -> ArnLike.matches(pattern, arn)).orElse(false))
                        .orElse(true)
                && equalWhenSet(s.sourceAccount(), r.sourceAccount())
                && equalWhenSet(s.functionUrlAuthType(), r.functionUrlAuthType())
                && (!s.invokedViaFunctionUrl() || r.viaFunctionUrl())
                && s.principalOrgId().isEmpty() && s.eventSourceToken().isEmpty();
    }

    /** Actions are case-insensitive; {@code *} and {@code lambda:*} are every action. */
    private static boolean actionMatches(String granted, String asked) {
        return granted.equals("*") || granted.equalsIgnoreCase("lambda:*") || granted.equalsIgnoreCase(asked);
    }

    private static boolean principalMatches(String granted, AccessRequest r) {
        if (granted.equals("*")) {
            return true;
        }
        if (PolicyPrincipals.isService(granted)) {
            return r.service().map(granted::equals).orElse(false);
        }
        Optional<String> caller = r.identityArn();
        if (caller.isEmpty()) {
            return false;
        }
        Optional<String> account = PolicyPrincipals.accountOf(granted);
        if (account.isPresent()) { // an account grants every identity of that account
            return AccessRequest.accountOf(caller.get()).equals(account);
        }
        return granted.equals(caller.get()) || granted.equals(roleOfSession(caller.get()));
    }

    /** The role ARN of an assumed-role session ARN ({@code arn:aws:sts::1:assumed-role/name/session}); a role grants its sessions. */
    private static String roleOfSession(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length == 6 && parts[2].equals("sts") && parts[5].startsWith("assumed-role/")) {
            String[] path = parts[5].split("/");
            if (path.length >= 2) {
                return parts[0] + ":" + parts[1] + ":iam::" + parts[4] + ":role/" + path[1];
            }
        }
        return "";
    }

    private static boolean equalWhenSet(Optional<String> condition, Optional<String> value) {
        return condition.isEmpty() || condition.equals(value);
    }
}

package dev.kindling.iam;

import dev.kindling.iam.PolicyDocument.Condition;
import dev.kindling.iam.PolicyDocument.Effect;
import dev.kindling.iam.PolicyDocument.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IAM's evaluation of identity-based policies, as pure functions: a request is denied if any statement that applies
 * to it denies it (an explicit deny wins), else allowed if any statement that applies allows it, else denied (the
 * default deny). A statement applies when its Action (or NotAction) matches the action, its Resource (or
 * NotResource) matches the resource, and every one of its conditions holds. Actions match case-insensitively,
 * resources case-sensitively, both with {@code *} and {@code ?} wildcards.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {}

    /** What the policies say about one request. */
    public enum Decision {
        ALLOWED,
        /** A statement denies the request: nothing can allow it. */
        EXPLICITLY_DENIED,
        /** No statement allows the request. */
        IMPLICITLY_DENIED
    }

    /**
     * One request to decide.
     *
     * @param action {@code <service>:<Action>}, as IAM names it (lambda:InvokeFunction)
     * @param resource the ARN of what the request acts on, or {@code *} where it acts on none
     * @param context the condition keys the request carries (aws:PrincipalArn, aws:RequestedRegion, ...), by name
     */
    public record AccessRequest(String action, String resource, Map<String, String> context) {}

    public static Decision decide(List<PolicyDocument> policies, AccessRequest request) {
        boolean allowed = false;
        for (PolicyDocument policy : policies) {
            for (Statement s : policy.statements()) {
                if (!applies(s, request)) {
                    continue;
                }
                if (s.effect() == Effect.Deny) {
                    return Decision.EXPLICITLY_DENIED;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOWED : Decision.IMPLICITLY_DENIED;
    }

    static boolean applies(Statement s, AccessRequest request) {
        boolean actionListed = s.actions().stream().anyMatch(p -> matches(p, request.action(), true));
        boolean resourceListed = s.resources().stream().anyMatch(p -> matches(p, request.resource(), false));
        return actionListed != s.notAction() && resourceListed != s.notResource()
                && s.conditions().stream().allMatch(c -> Conditions.holds(c, request.context()));
    }

    /**
     * Whether {@code value} matches {@code pattern}, where {@code *} stands for any run of characters and {@code ?}
     * for any one. A request on no particular resource ({@code *}) is matched only by a pattern of {@code *}.
     */
    static boolean matches(String pattern, String value, boolean ignoreCase) {
        String p = ignoreCase ? pattern.toLowerCase(Locale.ROOT) : pattern;
        String v = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        return wildcard(p, 0, v, 0);
    }

    /** Glob matching without regular expressions (a policy's text never becomes a pattern to compile). */
    private static boolean wildcard(String p, int pi, String v, int vi) {
        int starP = -1;
        int starV = 0;
        while (vi < v.length()) {
            if (pi < p.length() && (p.charAt(pi) == '?' || p.charAt(pi) == v.charAt(vi))) {
                pi++;
                vi++;
            } else if (pi < p.length() && p.charAt(pi) == '*') {
                starP = pi++;
                starV = vi;
            } else if (starP >= 0) {
                pi = starP + 1;
                vi = ++starV;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}

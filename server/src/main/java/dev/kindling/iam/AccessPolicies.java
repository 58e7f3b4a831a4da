package dev.kindling.iam;

import dev.kindling.iam.PolicyEvaluator.AccessRequest;
import dev.kindling.iam.PolicyEvaluator.Decision;
import dev.kindling.store.RoleRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the holders of Kindling's credentials may do. The operator's keys are the account's root: never restricted.
 * Credentials of a role (a function's, or an AssumeRole session's) are restricted by the role's permissions policies
 * when Kindling's IAM has the role; a role it does not know (a function created with any role ARN, as before IAM
 * existed here) allows everything, and a role deleted since allows nothing (AWS's functions can no longer assume it).
 */
public final class AccessPolicies {
    public static final String LAMBDA_SERVICE = "lambda.amazonaws.com";

    private final Roles roles;
    private final String accountId;
    private final String region;

    public AccessPolicies(Roles roles, String accountId, String region) {
        this.roles = roles;
        this.accountId = accountId;
        this.region = region;
    }

    /**
     * Whether {@code caller} may perform {@code action} on {@code resource}.
     *
     * @param action {@code <service>:<Action>} as IAM names it
     * @param resource the ARN acted on, or {@code *}
     */
    public Decision decide(Identity caller, String action, String resource) {
        if (caller.roleArn().isEmpty()) {
            return Decision.ALLOWED;
        }
        Optional<RoleRecord> role = roles.byArn(caller.roleArn().get());
        if (role.isEmpty()) { // a deleted role allows nothing any more; one Kindling never knew, everything
            return roles.deleted(caller.roleArn().get()) ? Decision.IMPLICITLY_DENIED : Decision.ALLOWED;
        }
        Map<String, String> context = Map.of("aws:PrincipalArn", caller.roleArn().get(),
                "aws:PrincipalAccount", accountId, "aws:RequestedRegion", region, "aws:SecureTransport", "false",
                "aws:userid", role.get().roleId() + ":" + sessionName(caller.arn()));
        return PolicyEvaluator.decide(roles.permissions(role.get()), new AccessRequest(action, resource, context));
    }

    /**
     * Whether Lambda may take {@code roleArn} as a function's execution role: empty if the role is Kindling's and
     * trusts lambda.amazonaws.com, or if Kindling does not know it ({@code known} is then false); else the role.
     */
    public RoleTrust lambdaTrust(String roleArn) {
        Optional<RoleRecord> role = roles.byArn(roleArn);
        if (role.isEmpty()) {
            return RoleTrust.UNKNOWN;
        }
        PolicyDocument trust = PolicyDocument.parse(role.get().trustPolicy(), PolicyDocument.Kind.TRUST);
        boolean trusted = TrustPolicies.allows(trust, new TrustPolicies.Principal("Service", List.of(LAMBDA_SERVICE)),
                Map.of("aws:SourceAccount", accountId));
        return trusted ? RoleTrust.TRUSTED : RoleTrust.NOT_TRUSTED;
    }

    /** How Kindling's IAM sees a role given as a function's execution role. */
    public enum RoleTrust { TRUSTED, NOT_TRUSTED, UNKNOWN }

    /**
     * Whether {@code caller} may assume {@code role} (STS AssumeRole): its trust policy must allow the caller's ARN,
     * its account's root, or its account id.
     */
    boolean mayAssume(Identity caller, RoleRecord role) {
        PolicyDocument trust = PolicyDocument.parse(role.trustPolicy(), PolicyDocument.Kind.TRUST);
        String root = "arn:aws:iam::" + accountId + ":root";
        List<String> names = caller.roleArn().isPresent()
                ? List.of(caller.arn(), caller.roleArn().get(), root, accountId)
                : List.of(caller.arn(), root, accountId);
        return TrustPolicies.allows(trust, new TrustPolicies.Principal("AWS", names),
                Map.of("aws:PrincipalArn", caller.roleArn().orElse(caller.arn()), "aws:PrincipalAccount", accountId));
    }

    public String accountId() {
        return accountId;
    }

    public String region() {
        return region;
    }

    private static String sessionName(String assumedRoleArn) {
        return assumedRoleArn.substring(assumedRoleArn.lastIndexOf('/') + 1);
    }
}

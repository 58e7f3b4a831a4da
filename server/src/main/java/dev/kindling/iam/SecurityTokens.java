package dev.kindling.iam;

import dev.kindling.iam.PolicyEvaluator.Decision;
import dev.kindling.store.RoleRecord;
import java.time.Duration;
import java.util.regex.Pattern;

/** STS: who a caller is (GetCallerIdentity), and temporary credentials of a role (AssumeRole). */
public final class SecurityTokens {
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]*");

    private final Identities identities;
    private final Roles roles;
    private final AccessPolicies access;

    public SecurityTokens(Identities identities, Roles roles, AccessPolicies access) {
        this.identities = identities;
        this.roles = roles;
        this.access = access;
    }

    /** GetCallerIdentity's answer. @param userId the account id for its root, {@code <role id>:<session>} for a role */
    public record CallerIdentity(String userId, String account, String arn) {}

    public CallerIdentity callerIdentity(Identity caller) {
        if (caller.roleArn().isEmpty()) {
            return new CallerIdentity(access.accountId(), access.accountId(), caller.arn());
        }
        String session = caller.arn().substring(caller.arn().lastIndexOf('/') + 1);
        String roleId = roles.byArn(caller.roleArn().get()).map(RoleRecord::roleId).orElse("AROA" + "KINDLINGUNKNOWN00");
        return new CallerIdentity(roleId + ":" + session, access.accountId(), caller.arn());
    }

    /** An assumed-role session: its credentials, and the role's id for AssumedRoleUser. */
    public record Session(Identity credentials, String assumedRoleId) {}

    /**
     * Credentials for a session of {@code roleArn}. The role must be Kindling's, its trust policy must allow the
     * caller, and the caller's own policies must allow sts:AssumeRole on it; each failure is AccessDenied, as on AWS.
     *
     * @param durationSeconds empty for an hour
     */
    public Session assumeRole(Identity caller, String roleArn, String sessionName,
            java.util.OptionalInt durationSeconds) {
        Constraints.length(roleArn, "roleArn", 20, 2048);
        Constraints.length(sessionName, "roleSessionName", 2, 64);
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw Constraints.violation(sessionName, "roleSessionName",
                    "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        String denied = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: "
                + roleArn;
        RoleRecord role = roles.byArn(roleArn).orElseThrow(() -> IamException.accessDenied(denied));
        int seconds = durationSeconds.orElse(3600);
        Constraints.range(seconds, "durationSeconds", 900, 43200);
        if (seconds > role.maxSessionSeconds()) {
            throw IamException.validation("The requested DurationSeconds exceeds the MaxSessionDuration set for"
                    + " this role.");
        }
        if (!access.mayAssume(caller, role) || access.decide(caller, "sts:AssumeRole", roleArn) != Decision.ALLOWED) {
            throw IamException.accessDenied(denied);
        }
        Identity issued = identities.issueForRole(roles.arn(role), sessionName, Duration.ofSeconds(seconds));
        return new Session(issued, role.roleId() + ":" + sessionName);
    }
}

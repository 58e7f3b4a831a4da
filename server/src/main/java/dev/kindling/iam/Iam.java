package dev.kindling.iam;

import dev.kindling.store.IamRepository;
import java.time.Clock;

/** The iam component's parts over one repository: roles, managed policies, and what roles' credentials may do. */
public record Iam(Roles roles, ManagedPolicies policies, AccessPolicies access) {
    public static Iam of(IamRepository repository, String accountId, String region) {
        ManagedPolicies policies = new ManagedPolicies(repository, new AwsManagedPolicies(), accountId,
                Clock.systemUTC());
        Roles roles = new Roles(repository, policies, accountId, Clock.systemUTC());
        return new Iam(roles, policies, new AccessPolicies(roles, accountId, region));
    }
}

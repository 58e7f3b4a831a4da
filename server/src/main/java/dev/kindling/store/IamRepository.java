package dev.kindling.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where IAM roles, their inline and attached policies, and customer managed policies are kept. */
public interface IamRepository {
    /** The role named {@code name}, whatever its case (role names are case-insensitive on AWS). */
    Optional<RoleRecord> role(String name);

    /** Every role, by name. */
    List<RoleRecord> roles();

    /** Stores a new role; false if one of that name (in any case) exists. */
    boolean insertRole(RoleRecord role);

    /** Replaces the stored fields of an existing role (same name); false if it is gone. */
    boolean updateRole(RoleRecord role);

    /** Deletes a role with its inline policies and attachments; false if it did not exist. */
    /** Deletes the role and remembers that it existed ({@link #wasDeleted}); false if there was none. */
    boolean deleteRole(String name);

    /** Whether a role of this name (any case) was deleted and not created again since. */
    boolean wasDeleted(String name);

    /** The role's inline policies: name to document, by name. */
    Map<String, String> inlinePolicies(String roleName);

    /** Adds or replaces an inline policy of an existing role. */
    void putInlinePolicy(String roleName, String policyName, String document);

    boolean deleteInlinePolicy(String roleName, String policyName);

    /** The ARNs of the managed policies attached to the role, in the order they were attached. */
    List<String> attachedPolicies(String roleName);

    /** Attaches; false if it was attached already. */
    boolean attach(String roleName, String policyArn);

    /** Detaches; false if it was not attached. */
    boolean detach(String roleName, String policyArn);

    /** How many roles have {@code policyArn} attached. */
    int attachmentCount(String policyArn);

    Optional<ManagedPolicyRecord> policy(String arn);

    /** Every customer managed policy, by ARN. */
    List<ManagedPolicyRecord> policies();

    /** Stores a new policy; false if its ARN exists. */
    boolean insertPolicy(ManagedPolicyRecord policy);

    boolean deletePolicy(String arn);
}

package dev.kindling.store;

import java.util.Optional;

/**
 * Resource-based policies, as persisted, by function and qualifier ('' for the unqualified function). Deleting a
 * function deletes its policies; deleting a published version or an alias deletes its policy in the same transaction.
 */
public interface FunctionPolicyRepository {
    Optional<FunctionPolicy> find(String functionName, String qualifier);

    /** Stores the policy, replacing the one there; an empty policy deletes it. */
    void put(String functionName, String qualifier, Optional<FunctionPolicy> policy);
}

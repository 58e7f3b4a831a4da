package dev.kindling.iam;

import dev.kindling.store.IamRepository;
import dev.kindling.store.RoleRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The account's IAM roles: each with its trust policy, its inline policies and the managed policies attached to it,
 * with IAM's checks and errors. Changes are serialised (one writer), so a check and the write it guards see the same
 * state.
 */
public final class Roles {
    /** AWS's limit of tags on a role, and of managed policies attached to one. */
    static final int MAX_TAGS = 50;
    static final int MAX_ATTACHED = 20;
    static final int DEFAULT_MAX_SESSION_SECONDS = 3600;

    private final IamRepository repository;
    private final ManagedPolicies policies;
    private final String accountId;
    private final Clock clock;

    public Roles(IamRepository repository, ManagedPolicies policies, String accountId, Clock clock) {
        this.repository = repository;
        this.policies = policies;
        this.accountId = accountId;
        this.clock = clock;
    }

    /**
     * What CreateRole takes besides the role's name and trust policy.
     *
     * @param maxSessionSeconds empty for IAM's default, an hour
     */
    public record Options(Optional<String> path, Optional<String> description, OptionalInt maxSessionSeconds,
            Map<String, String> tags) {}

    public synchronized RoleRecord create(String name, String trustPolicy, Options options) {
        Constraints.name(name, "roleName", 64);
        String path = Constraints.path(options.path(), "path");
        options.description().ifPresent(d -> Constraints.length(d, "description", 0, 1000));
        int maxSession = options.maxSessionSeconds().orElse(DEFAULT_MAX_SESSION_SECONDS);
        Constraints.range(maxSession, "maxSessionDuration", 3600, 43200);
        checkTags(options.tags());
        trustPolicy(trustPolicy);
        RoleRecord role = new RoleRecord(name, Ids.next("AROA"), path, trustPolicy, options.description(),
                maxSession, clock.instant(), options.tags());
        if (!repository.insertRole(role)) {
            throw IamException.alreadyExists("Role with name " + name + " already exists.");
        }
        return role;
    }

    public RoleRecord get(String name) {
        Constraints.name(name, "roleName", 64);
        return repository.role(name)
                .orElseThrow(() -> IamException.noSuchEntity("The role with name " + name + " cannot be found."));
    }

    /** The role an ARN names, if Kindling's IAM has it (same account, same path and name). */
    public Optional<RoleRecord> byArn(String roleArn) {
        String prefix = "arn:aws:iam::" + accountId + ":role/";
        if (!roleArn.startsWith(prefix)) {
            return Optional.empty();
        }
        String name = roleArn.substring(roleArn.lastIndexOf('/') + 1);
        return repository.role(name).filter(role -> arn(role).equals(roleArn));
    }

    /** Whether {@code roleArn} names a role of this account that was deleted (and not created again). */
    public boolean deleted(String roleArn) {
        String prefix = "arn:aws:iam::" + accountId + ":role/";
        return roleArn.startsWith(prefix) && repository.wasDeleted(roleArn.substring(roleArn.lastIndexOf('/') + 1));
    }

    public String arn(RoleRecord role) {
        return "arn:aws:iam::" + accountId + ":role" + role.path() + role.name();
    }

    public Page<RoleRecord> list(Optional<String> pathPrefix, Optional<String> marker, OptionalInt maxItems) {
        List<RoleRecord> roles = repository.roles().stream()
                .filter(r -> pathPrefix.map(p -> r.path().startsWith(p)).orElse(true)).toList();
        return Page.of(roles, r -> r.name().toLowerCase(java.util.Locale.ROOT), marker, maxItems);
    }

    public synchronized void update(String name, Optional<String> description, OptionalInt maxSessionSeconds) {
        RoleRecord role = get(name);
        description.ifPresent(d -> Constraints.length(d, "description", 0, 1000));
        if (maxSessionSeconds.isPresent()) {
            Constraints.range(maxSessionSeconds.getAsInt(), "maxSessionDuration", 3600, 43200);
            role = role.withMaxSessionSeconds(maxSessionSeconds.getAsInt());
        }
        if (description.isPresent()) {
            role = role.withDescription(description);
        }
        repository.updateRole(role);
    }

    public synchronized void updateTrustPolicy(String name, String document) {
        RoleRecord role = get(name);
        trustPolicy(document);
        repository.updateRole(role.withTrustPolicy(document));
    }

    /** Deletes a role that has no policies left, as IAM refuses to delete one that has (DeleteConflict). */
    public synchronized void delete(String name) {
        RoleRecord role = get(name);
        if (!repository.attachedPolicies(role.name()).isEmpty()) {
            throw IamException.deleteConflict("Cannot delete entity, must detach all policies first.");
        }
        if (!repository.inlinePolicies(role.name()).isEmpty()) {
            throw IamException.deleteConflict("Cannot delete entity, must delete policies first.");
        }
        repository.deleteRole(role.name());
    }

    public synchronized void tag(String name, Map<String, String> tags) {
        RoleRecord role = get(name);
        checkTags(tags);
        Map<String, String> merged = new LinkedHashMap<>(role.tags());
        merged.putAll(tags);
        if (merged.size() > MAX_TAGS) {
            throw IamException.limitExceeded("The number of tags has reached the maximum limit.");
        }
        repository.updateRole(role.withTags(merged));
    }

    public synchronized void untag(String name, List<String> keys) {
        RoleRecord role = get(name);
        Map<String, String> remaining = new LinkedHashMap<>(role.tags());
        keys.forEach(remaining::remove);
        repository.updateRole(role.withTags(remaining));
    }

    public Page<Map.Entry<String, String>> tags(String name, Optional<String> marker, OptionalInt maxItems) {
        List<Map.Entry<String, String>> tags = new ArrayList<>(get(name).tags().entrySet());
        tags.sort(Map.Entry.comparingByKey());
        return Page.of(tags, Map.Entry::getKey, marker, maxItems);
    }

    public synchronized void putInlinePolicy(String roleName, String policyName, String document) {
        RoleRecord role = get(roleName);
        Constraints.name(policyName, "policyName", 128);
        Constraints.length(document, "policyDocument", 1, 131072);
        PolicyDocument.parse(document, PolicyDocument.Kind.PERMISSIONS);
        repository.putInlinePolicy(role.name(), policyName, document);
    }

    public String inlinePolicy(String roleName, String policyName) {
        RoleRecord role = get(roleName);
        Constraints.name(policyName, "policyName", 128);
        return Optional.ofNullable(repository.inlinePolicies(role.name()).get(policyName)).orElseThrow(() ->
                IamException.noSuchEntity("The role policy with name " + policyName + " cannot be found."));
    }

    public synchronized void deleteInlinePolicy(String roleName, String policyName) {
        RoleRecord role = get(roleName);
        Constraints.name(policyName, "policyName", 128);
        if (!repository.deleteInlinePolicy(role.name(), policyName)) {
            throw IamException.noSuchEntity("The role policy with name " + policyName + " cannot be found.");
        }
    }

    public Page<String> inlinePolicyNames(String roleName, Optional<String> marker, OptionalInt maxItems) {
        RoleRecord role = get(roleName);
        return Page.of(new ArrayList<>(repository.inlinePolicies(role.name()).keySet()), n -> n, marker, maxItems);
    }

    public synchronized void attach(String roleName, String policyArn) {
        RoleRecord role = get(roleName);
        if (policies.find(policyArn).isEmpty()) {
            throw IamException.noSuchEntity("Policy " + policyArn + " does not exist or is not attachable.");
        }
        List<String> attached = repository.attachedPolicies(role.name());
        if (!attached.contains(policyArn) && attached.size() >= MAX_ATTACHED) {
            throw IamException.limitExceeded("Cannot exceed quota for PoliciesPerRole: " + MAX_ATTACHED);
        }
        repository.attach(role.name(), policyArn);
    }

    public synchronized void detach(String roleName, String policyArn) {
        RoleRecord role = get(roleName);
        ManagedPolicies.requireArn(policyArn);
        if (!repository.detach(role.name(), policyArn)) {
            throw IamException.noSuchEntity("Policy " + policyArn + " was not found.");
        }
    }

    /** The managed policies attached to the role (those under {@code pathPrefix}), in the order they were attached. */
    public Page<ManagedPolicy> attached(String roleName, Optional<String> pathPrefix, Optional<String> marker,
            OptionalInt maxItems) {
        RoleRecord role = get(roleName);
        List<ManagedPolicy> attached = repository.attachedPolicies(role.name()).stream()
                .flatMap(arn -> policies.find(arn).stream())
                .filter(p -> pathPrefix.map(prefix -> p.path().startsWith(prefix)).orElse(true))
                .sorted(java.util.Comparator.comparing(ManagedPolicy::arn)).toList();
        return Page.of(attached, ManagedPolicy::arn, marker, maxItems);
    }

    /** Every permissions policy of the role, parsed: its inline policies, then its managed ones. */
    List<PolicyDocument> permissions(RoleRecord role) {
        List<PolicyDocument> documents = new ArrayList<>();
        repository.inlinePolicies(role.name()).values()
                .forEach(d -> documents.add(PolicyDocument.parse(d, PolicyDocument.Kind.PERMISSIONS)));
        for (String arn : repository.attachedPolicies(role.name())) {
            policies.find(arn).ifPresent(p -> documents.add(PolicyDocument.parse(p.document(),
                    PolicyDocument.Kind.PERMISSIONS)));
        }
        return documents;
    }

    static void checkTags(Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw Constraints.violation(tags.toString(), "tags", "Member must have length less than or equal to "
                    + MAX_TAGS);
        }
        tags.forEach(Constraints::tag);
    }

    private static void trustPolicy(String document) {
        Constraints.length(document, "assumeRolePolicyDocument", 1, 131072);
        PolicyDocument.parse(document, PolicyDocument.Kind.TRUST);
    }
}

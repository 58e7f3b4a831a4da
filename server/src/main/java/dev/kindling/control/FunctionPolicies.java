package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.AliasRecord;
import dev.kindling.store.FunctionPolicy;
import dev.kindling.store.FunctionPolicyRepository;
import dev.kindling.store.PolicyStatement;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resource-based policies of functions, published versions and aliases (AddPermission, RemovePermission, GetPolicy),
 * and the one check every trigger makes before it invokes: {@link #allows}. A policy belongs to what the caller names:
 * the unqualified function (and $LATEST), one version, or one alias; a grant on one does not reach the others, as on
 * AWS. Read on every triggered invocation, so policies are cached (a missing one too).
 */
public final class FunctionPolicies {
    /** AWS's limit on a policy document's size. */
    static final int MAX_POLICY_BYTES = 20_480;

    private final FunctionPolicyRepository repository;
    private final FunctionService functions;
    /** By {@code name:qualifier}, the qualifier '' for the unqualified function. */
    private final Map<String, Optional<FunctionPolicy>> cache = new ConcurrentHashMap<>();

    public FunctionPolicies(FunctionPolicyRepository repository, FunctionService functions) {
        this.repository = repository;
        this.functions = functions;
        functions.addListener(new FunctionChangeListener() {
            @Override
            public void versionRetired(String functionName, String version) {
                cache.remove(functionName + ":" + version); // a deleted version's policy went with it
            }

            @Override
            public void functionDeleted(String functionName) {
                cache.keySet().removeIf(key -> key.startsWith(functionName + ":"));
            }
        });
    }

    /** For {@link AliasService#addListener}: a deleted alias's policy went with it. */
    public AliasChangeListener aliasListener() {
        return (functionName, aliasName) -> cache.remove(functionName + ":" + aliasName);
    }

    /**
     * Whether the policy of what {@code invoked} names (an alias, a version, or the function itself when unqualified
     * or $LATEST) allows {@code request}: some statement's action, principal and conditions all match. The caller has
     * already resolved {@code invoked} to something that exists.
     */
    public boolean allows(FunctionRef invoked, AccessRequest request) {
        return policy(invoked.name(), key(invoked)).map(p -> p.statements().stream()
                .anyMatch(s -> StatementEvaluation.allows(s, request))).orElse(false);
    }

    /** What AddPermission answers: the statement added, written against the resource it governs. */
    public record Added(PolicyStatement statement, String resourceArn) {
        public String json() {
            return PolicyDocument.statement(statement, resourceArn);
        }
    }

    /** AddPermission. */
    public Added add(FunctionRef ref, PolicyStatement statement, Optional<String> expectedRevision) {
        PermissionValidator.validate(statement);
        if (ref.qualifier().equals(FunctionRef.LATEST)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "We currently do not support adding policies for $LATEST.");
        }
        return functions.underChangeLock(() -> {
            String targetRevision = requireTarget(ref);
            Optional<FunctionPolicy> current = policy(ref.name(), key(ref));
            List<PolicyStatement> statements = new ArrayList<>(current.map(FunctionPolicy::statements)
                    .orElse(List.of()));
            if (statements.stream().anyMatch(s -> s.sid().equals(statement.sid()))) {
                throw new LambdaException(ErrorType.ResourceConflictException, "The statement id (" + statement.sid()
                        + ") provided already exists. Please provide a new statement id, or remove the existing"
                        + " statement.");
            }
            requireRevision(expectedRevision, current.map(FunctionPolicy::revisionId).orElse(targetRevision));
            statements.add(statement);
            String resource = functions.arn(ref.qualifiedName());
            int size = PolicyDocument.of(statements, resource).getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_POLICY_BYTES) {
                throw new LambdaException(ErrorType.PolicyLengthExceededException, "The final policy size (" + size
                        + ") is bigger than the limit (" + MAX_POLICY_BYTES + ").");
            }
            store(ref, Optional.of(new FunctionPolicy(UUID.randomUUID().toString(), statements)));
            return new Added(statement, resource);
        });
    }

    /** RemovePermission. A policy left without statements is no policy. */
    public void remove(FunctionRef ref, String statementId, Optional<String> expectedRevision) {
        PermissionValidator.validateRemovedId(statementId);
        functions.underChangeLock(() -> {
            if (!functions.version(ref.name(), FunctionRef.LATEST).isPresent()) {
                throw new LambdaException(ErrorType.ResourceNotFoundException,
                        "No policy found for: " + functions.arn(ref.qualifiedName()));
            }
            requireTarget(ref);
            FunctionPolicy current = policy(ref.name(), key(ref)).orElseThrow(() -> new LambdaException(
                    ErrorType.ResourceNotFoundException, "No policy is associated with the given resource."));
            requireRevision(expectedRevision, current.revisionId());
            List<PolicyStatement> statements = new ArrayList<>(current.statements());
            if (!statements.removeIf(s -> s.sid().equals(statementId))) {
                throw new LambdaException(ErrorType.ResourceNotFoundException,
                        "Statement " + statementId + " is not found in resource policy.");
            }
            store(ref, statements.isEmpty() ? Optional.empty()
                    : Optional.of(new FunctionPolicy(UUID.randomUUID().toString(), statements)));
            return null;
        });
    }

    /** What GetPolicy answers: the policy document and its revision. */
    public record Document(String json, String revisionId) {}

    /** GetPolicy. */
    public Document get(FunctionRef ref) {
        LambdaException none = new LambdaException(ErrorType.ResourceNotFoundException,
                "The resource you requested does not exist.");
        try {
            functions.get(ref);
        } catch (LambdaException e) {
            throw e.type() == ErrorType.ResourceNotFoundException ? none : e;
        }
        FunctionPolicy policy = policy(ref.name(), key(ref)).orElseThrow(() -> none);
        String resource = functions.arn(ref.namesLatest() ? ref.name() : ref.qualifiedName());
        return new Document(PolicyDocument.of(policy.statements(), resource), policy.revisionId());
    }

    /** The version or alias the ref names, as AWS reports one that is missing; returns its RevisionId. */
    private String requireTarget(FunctionRef ref) {
        if (ref.isQualified() && ref.namesAlias() && ref.canExist()) {
            return functions.aliases().find(ref.name(), ref.qualifier()).map(AliasRecord::revisionId)
                    .orElseThrow(() -> new LambdaException(ErrorType.ResourceNotFoundException,
                            "Cannot find alias arn: " + functions.arn(ref.qualifiedName())));
        }
        return functions.get(ref).revisionId();
    }

    private Optional<FunctionPolicy> policy(String name, String qualifier) {
        return cache.computeIfAbsent(name + ":" + qualifier, k -> repository.find(name, qualifier));
    }

    private void store(FunctionRef ref, Optional<FunctionPolicy> policy) {
        repository.put(ref.name(), key(ref), policy);
        cache.put(ref.name() + ":" + key(ref), policy);
    }

    /** The policy's qualifier: '' for the function itself (unqualified or $LATEST). */
    private static String key(FunctionRef ref) {
        return ref.namesLatest() ? "" : ref.qualifier();
    }

    private static void requireRevision(Optional<String> expected, String current) {
        if (expected.isPresent() && !expected.get().equals(current)) {
            throw new LambdaException(ErrorType.PreconditionFailedException, "The Revision Id provided does not"
                    + " match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id");
        }
    }
}

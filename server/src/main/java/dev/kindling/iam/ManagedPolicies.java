package dev.kindling.iam;

import dev.kindling.store.IamRepository;
import dev.kindling.store.ManagedPolicyRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The managed policies of the account: AWS's own (read-only, {@link AwsManagedPolicies}) and those CreatePolicy
 * made (customer managed, stored), with IAM's checks and errors.
 */
public final class ManagedPolicies {
    private static final Pattern POLICY_ARN = Pattern.compile("arn:aws:iam::(aws|\\d{12}):policy(/.*)?/[^/]+");
    private static final String POLICY_PATH_PATTERN = "((/[A-Za-z0-9\\.,\\+@=_-]+)*)/";

    private final IamRepository repository;
    private final AwsManagedPolicies aws;
    private final String accountId;
    private final Clock clock;

    public ManagedPolicies(IamRepository repository, AwsManagedPolicies aws, String accountId, Clock clock) {
        this.repository = repository;
        this.aws = aws;
        this.accountId = accountId;
        this.clock = clock;
    }

    /** Which policies ListPolicies lists (its Scope). */
    public enum Scope { All, AWS, Local }

    public synchronized ManagedPolicy create(String name, Optional<String> path, String document,
            Optional<String> description, Map<String, String> tags) {
        Constraints.name(name, "policyName", 128);
        String policyPath = path.orElse("/");
        Constraints.length(policyPath, "path", 1, 512);
        if (!policyPath.matches(POLICY_PATH_PATTERN)) {
            throw Constraints.violation(policyPath, "path", "Member must satisfy regular expression pattern: "
                    + POLICY_PATH_PATTERN);
        }
        description.ifPresent(d -> Constraints.length(d, "description", 0, 1000));
        Roles.checkTags(tags);
        Constraints.length(document, "policyDocument", 1, 131072);
        PolicyDocument.parse(document, PolicyDocument.Kind.PERMISSIONS);
        String arn = "arn:aws:iam::" + accountId + ":policy" + policyPath + name;
        boolean nameTaken = repository.policies().stream().anyMatch(p -> p.name().equalsIgnoreCase(name));
        ManagedPolicyRecord record = new ManagedPolicyRecord(arn, name, Ids.next("ANPA"), policyPath, description,
                document, clock.instant(), tags);
        if (nameTaken || !repository.insertPolicy(record)) {
            throw IamException.alreadyExists("A policy called " + name
                    + " already exists. Duplicate names are not allowed.");
        }
        return view(record);
    }

    /** The policy at {@code arn}, AWS's or the account's. */
    public ManagedPolicy get(String arn) {
        return find(arn).orElseThrow(() -> IamException.noSuchEntity("Policy " + arn + " was not found."));
    }

    Optional<ManagedPolicy> find(String arn) {
        requireArn(arn);
        Optional<ManagedPolicy> awsPolicy = aws.find(arn);
        return awsPolicy.isPresent() ? awsPolicy : repository.policy(arn).map(ManagedPolicies::view);
    }

    /** The document of a version; every policy has one, v1. */
    public ManagedPolicy version(String arn, String versionId) {
        ManagedPolicy policy = get(arn);
        if (!versionId.equals(ManagedPolicy.DEFAULT_VERSION)) {
            throw IamException.noSuchEntity("Policy " + arn + " version " + versionId
                    + " does not exist or is not attachable.");
        }
        return policy;
    }

    public synchronized void delete(String arn) {
        requireArn(arn);
        if (aws.find(arn).isPresent()) {
            throw IamException.unmodifiable("Cannot delete policy " + arn + ": it is an AWS managed policy.");
        }
        if (repository.policy(arn).isEmpty()) {
            throw IamException.noSuchEntity("Policy " + arn + " was not found.");
        }
        if (repository.attachmentCount(arn) > 0) {
            throw IamException.deleteConflict("Cannot delete a policy attached to entities.");
        }
        repository.deletePolicy(arn);
    }

    public Page<ManagedPolicy> list(Scope scope, boolean onlyAttached, Optional<String> pathPrefix,
            Optional<String> marker, OptionalInt maxItems) {
        List<ManagedPolicy> all = new ArrayList<>();
        if (scope != Scope.Local) {
            all.addAll(aws.all());
        }
        if (scope != Scope.AWS) {
            repository.policies().forEach(p -> all.add(view(p)));
        }
        List<ManagedPolicy> selected = all.stream()
                .filter(p -> pathPrefix.map(prefix -> p.path().startsWith(prefix)).orElse(true))
                .filter(p -> !onlyAttached || attachmentCount(p.arn()) > 0)
                .sorted(Comparator.comparing(ManagedPolicy::arn)).toList();
        return Page.of(selected, ManagedPolicy::arn, marker, maxItems);
    }

    public int attachmentCount(String arn) {
        return repository.attachmentCount(arn);
    }

    static void requireArn(String arn) {
        Constraints.length(arn, "policyArn", 20, 2048);
        if (!POLICY_ARN.matcher(arn).matches()) {
            throw IamException.invalidInput("ARN " + arn + " is not valid.");
        }
    }

    private static ManagedPolicy view(ManagedPolicyRecord r) {
        return new ManagedPolicy(r.arn(), r.name(), r.policyId(), r.path(), r.description(), r.document(),
                r.created(), false, r.tags());
    }
}

package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.AliasRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Function aliases: CreateAlias, GetAlias, UpdateAlias, DeleteAlias and ListAliases, with AWS's validation. An alias
 * points at a published version or $LATEST; with a RoutingConfig it sends a share of invocations to one more
 * published version. Changes run under {@link FunctionService}'s change lock, so a version cannot be deleted while
 * an alias to it is being made.
 */
public final class AliasService {
    private static final String NAME_PATTERN = "(?!^[0-9]+$)([a-zA-Z0-9-_]+)";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final String VERSION_PATTERN = "(\\$LATEST|[0-9]+)";
    private static final Pattern VERSION = Pattern.compile(VERSION_PATTERN);
    private static final int MAX_NAME = 128;
    private static final int MAX_DESCRIPTION = 256;
    private static final String WEIGHT_CONSTRAINT = "Map value must satisfy constraint: [Member must have value less"
            + " than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]";
    private static final String WEIGHT_KEY_CONSTRAINT = "Map keys must satisfy constraint: [Member must have length"
            + " less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy"
            + " regular expression pattern: [0-9]+]";

    private final FunctionService functions;
    private final Aliases aliases;
    private final List<AliasChangeListener> listeners = new CopyOnWriteArrayList<>();

    public AliasService(FunctionService functions) {
        this.functions = functions;
        this.aliases = functions.aliases();
    }

    public void addListener(AliasChangeListener listener) {
        listeners.add(listener);
    }

    /**
     * What a CreateAlias or UpdateAlias request sent; an empty field was not sent.
     *
     * @param weights RoutingConfig.AdditionalVersionWeights, or empty when RoutingConfig was absent; a weight sent as
     *     null is null here
     */
    public record AliasSettings(Optional<String> functionVersion, Optional<String> description,
            Optional<Map<String, Double>> weights) {}

    public AliasRecord create(FunctionRef function, String aliasName, AliasSettings s) {
        ConstraintViolations violations = new ConstraintViolations();
        checkName(aliasName, violations);
        if (s.functionVersion().isEmpty()) {
            violations.missing("functionVersion");
        }
        checkSettings(s, violations);
        violations.throwIfAny();
        FunctionRef ref = unqualified(function);
        return functions.underChangeLock(() -> {
            String version = s.functionVersion().get();
            Map<String, Double> weights = s.weights().orElse(Map.of());
            checkTargets(ref, version, weights);
            AliasRecord alias = new AliasRecord(ref.name(), aliasName, version, s.description().orElse(""), weights,
                    newRevision());
            if (!aliases.insert(alias)) {
                throw new LambdaException(ErrorType.ResourceConflictException,
                        "Alias already exists: " + functions.arn(ref.name() + ":" + aliasName));
            }
            return alias;
        });
    }

    public AliasRecord get(FunctionRef function, String aliasName) {
        ConstraintViolations violations = new ConstraintViolations();
        checkName(aliasName, violations);
        violations.throwIfAny();
        FunctionRef ref = unqualified(function);
        functions.get(ref);
        return aliases.find(ref.name(), aliasName).orElseThrow(() -> new LambdaException(
                ErrorType.ResourceNotFoundException, "Cannot find alias arn: " + functions.arn(ref.name() + ":" + aliasName)));
    }

    /** Changes the fields the request sent; with {@code expectedRevision}, only if the alias still has it. */
    public AliasRecord update(FunctionRef function, String aliasName, AliasSettings s, String expectedRevision) {
        ConstraintViolations violations = new ConstraintViolations();
        checkName(aliasName, violations);
        checkSettings(s, violations);
        violations.throwIfAny();
        FunctionRef ref = unqualified(function);
        AliasRecord changed = functions.underChangeLock(() -> {
            functions.get(ref);
            AliasRecord current = aliases.find(ref.name(), aliasName).orElseThrow(() -> new LambdaException(
                    ErrorType.ResourceNotFoundException, "Alias not found: " + functions.arn(ref.name() + ":" + aliasName)));
            if (expectedRevision != null && !expectedRevision.equals(current.revisionId())) {
                throw new LambdaException(ErrorType.PreconditionFailedException, "The Revision Id provided does not"
                        + " match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest"
                        + " Revision Id");
            }
            String version = s.functionVersion().orElse(current.functionVersion());
            Map<String, Double> weights = s.weights().orElse(current.additionalVersionWeights());
            checkTargets(ref, version, weights);
            AliasRecord updated = new AliasRecord(ref.name(), aliasName, version,
                    s.description().orElse(current.description()), weights, newRevision());
            if (!aliases.update(updated, current.revisionId())) {
                throw new LambdaException(ErrorType.ResourceConflictException, "The alias " + aliasName
                        + " was changed by another request: retry with its new RevisionId.");
            }
            return updated;
        });
        announce(changed);
        return changed;
    }

    /** Deletes the alias; deleting one that does not exist succeeds, as on AWS. */
    public void delete(FunctionRef function, String aliasName) {
        ConstraintViolations violations = new ConstraintViolations();
        checkName(aliasName, violations);
        violations.throwIfAny();
        FunctionRef ref = unqualified(function);
        functions.underChangeLock(() -> {
            aliases.delete(ref.name(), aliasName);
            return null;
        });
        listeners.forEach(listener -> listener.aliasChanged(ref.name(), aliasName));
    }

    private void announce(AliasRecord alias) {
        listeners.forEach(listener -> listener.aliasChanged(alias.functionName(), alias.name()));
    }

    /** A page of aliases, and the marker of the next page if there is one. */
    public record Page(List<AliasRecord> aliases, Optional<String> nextMarker) {}

    /**
     * A page of the function's aliases in name order (ListAliases); with {@code version}, only those that may run it.
     */
    public Page list(FunctionRef function, Optional<String> version, String marker, Integer maxItems) {
        int limit = maxItems == null ? 50 : maxItems;
        String after = PageMarkers.decode(marker, "ListAliases");
        List<AliasRecord> rest = matching(function, version).stream().filter(a -> a.name().compareTo(after) > 0)
                .toList();
        Optional<String> next = rest.size() > limit
                ? Optional.of(PageMarkers.encode(rest.get(limit - 1).name())) : Optional.empty();
        return new Page(rest.subList(0, Math.min(limit, rest.size())), next);
    }

    private List<AliasRecord> matching(FunctionRef function, Optional<String> version) {
        if (version.isPresent() && !VERSION.matcher(version.get()).matches()) {
            throw ConstraintViolations.single(version.get(), "functionVersion",
                    "Member must satisfy regular expression pattern: " + VERSION_PATTERN);
        }
        FunctionRef ref = unqualified(function);
        functions.get(ref);
        return aliases.list(ref.name()).stream().filter(a -> version.isEmpty() || a.references(version.get())).toList();
    }

    private static void checkName(String name, ConstraintViolations violations) {
        if (name.length() > MAX_NAME) {
            violations.add(name, "name", "Member must have length less than or equal to " + MAX_NAME);
        }
        if (!NAME.matcher(name).matches()) {
            violations.add(name, "name", "Member must satisfy regular expression pattern: " + NAME_PATTERN);
        }
    }

    private static void checkSettings(AliasSettings s, ConstraintViolations violations) {
        s.functionVersion().filter(v -> !VERSION.matcher(v).matches()).ifPresent(v -> violations.add(v,
                "functionVersion", "Member must satisfy regular expression pattern: " + VERSION_PATTERN));
        s.description().filter(d -> d.length() > MAX_DESCRIPTION).ifPresent(d -> violations.add(d, "description",
                "Member must have length less than or equal to " + MAX_DESCRIPTION));
        s.weights().ifPresent(weights -> {
            if (weights.keySet().stream().anyMatch(k -> !k.matches("[0-9]+") || k.length() > 1024)) {
                violations.add(weights.toString(), "routingConfig.additionalVersionWeights", WEIGHT_KEY_CONSTRAINT);
            } else if (weights.values().stream().anyMatch(w -> w == null || w < 0.0 || w > 1.0)) {
                violations.add(weights.toString(), "routingConfig.additionalVersionWeights", WEIGHT_CONSTRAINT);
            }
        });
    }

    /** Lambda's own rules for what an alias may point at, then that each version exists. */
    private void checkTargets(FunctionRef ref, String version, Map<String, Double> weights) {
        if (weights.size() > 1) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Number of items in AdditionalVersionWeights cannot be greater than 1");
        }
        if (!weights.isEmpty() && version.equals(FunctionRef.LATEST)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "$LATEST is not supported for an alias pointing to more than 1 version");
        }
        if (weights.containsKey(version)) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Invalid function version " + version
                    + ". Function version " + version + " is already included in routing configuration.");
        }
        requireVersion(ref, version);
        weights.keySet().forEach(additional -> requireVersion(ref, additional));
    }

    private void requireVersion(FunctionRef ref, String version) {
        functions.version(ref.name(), version).orElseThrow(() -> new LambdaException(
                ErrorType.ResourceNotFoundException, "Function not found: " + functions.arn(ref.name() + ":" + version)));
    }

    /** Alias operations name the function alone: a qualifier in its ARN is refused. */
    private static FunctionRef unqualified(FunctionRef ref) {
        if (ref.isQualified()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Aliases belong to the function:"
                    + " name it without a version or alias (not '" + ref.qualifiedName() + "').");
        }
        return ref;
    }

    private static String newRevision() {
        return UUID.randomUUID().toString();
    }
}

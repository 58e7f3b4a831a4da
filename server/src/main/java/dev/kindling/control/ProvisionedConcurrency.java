package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ProvisionedEnvironments.ProvisionedStatus;
import dev.kindling.store.AliasRecord;
import dev.kindling.store.ConcurrencyRepository;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.ProvisionedConcurrencyRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Provisioned concurrency (PutProvisionedConcurrencyConfig, GetProvisionedConcurrencyConfig,
 * DeleteProvisionedConcurrencyConfig, ListProvisionedConcurrencyConfigs): a published version or an alias keeps a
 * number of environments initialised ahead of traffic. This class stores the configurations and checks them with
 * AWS's rules; the {@link ProvisionedEnvironments} owner (the pool) keeps the environments and reports their status.
 * The numbers count against the function's reservation, or the account's unreserved pool ({@link ConcurrencyLedger}).
 *
 * <p>A configuration on an alias provisions the version the alias points to when it is put (and at start).
 * Versions and aliases are looked up before the ledger's lock is taken, never under it (see
 * {@link ReservedConcurrency}).
 */
public final class ProvisionedConcurrency implements FunctionChangeListener {
    private final ConcurrencyRepository repository;
    private final FunctionService functions;
    private final ConcurrencyLedger ledger;
    private final ProvisionedEnvironments environments;
    private final Clock clock;
    /** The stored configurations, by function name and then qualifier. */
    private final Map<String, Map<String, ProvisionedConcurrencyRecord>> configs = new ConcurrentHashMap<>();

    public ProvisionedConcurrency(ConcurrencyRepository repository, FunctionService functions,
            ConcurrencyLedger ledger, ProvisionedEnvironments environments, Clock clock) {
        this.repository = repository;
        this.functions = functions;
        this.ledger = ledger;
        this.environments = environments;
        this.clock = clock;
        for (ProvisionedConcurrencyRecord config : repository.allProvisioned()) {
            configs.computeIfAbsent(config.functionName(), f -> new ConcurrentHashMap<>())
                    .put(config.qualifier(), config);
        }
    }

    /**
     * A configuration as the API shows it: the stored one and how its environments stand.
     *
     * @param qualifier the version or alias it is on
     */
    public record View(String functionName, String qualifier, int requested, ProvisionedStatus status,
            Instant lastModified) {}

    /** Brings every stored configuration's environments up: at start, so a restart keeps them. */
    public void restore() {
        for (Map<String, ProvisionedConcurrencyRecord> function : configs.values()) {
            for (ProvisionedConcurrencyRecord config : function.values()) {
                target(config.functionName(), config.qualifier())
                        .ifPresent(version -> environments.provision(version, config.requested()));
            }
        }
    }

    /** PutProvisionedConcurrencyConfig. */
    public View put(FunctionRef ref, int requested) {
        if (requested < 1) {
            throw ConstraintViolations.single(Integer.toString(requested), "provisionedConcurrentExecutions",
                    "Member must have value greater than or equal to 1");
        }
        if (ref.namesLatest()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        }
        FunctionRecord version = resolve(ref);
        if (version.version().equals(FunctionRef.LATEST)) { // an alias to $LATEST
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "Provisioned Concurrency Configs cannot be applied to unpublished function versions.");
        }
        return ledger.change(() -> {
            requireNoOverlap(ref, version);
            ledger.requireProvisionedFits(ref.name(), ref.qualifier(), requested);
            ProvisionedConcurrencyRecord config = new ProvisionedConcurrencyRecord(ref.name(), ref.qualifier(),
                    requested, clock.instant());
            if (!repository.putProvisioned(config)) {
                throw notFound(ref); // deleted since it was looked up
            }
            configs.computeIfAbsent(ref.name(), f -> new ConcurrentHashMap<>()).put(ref.qualifier(), config);
            ledger.recordProvisioned(ref.name(), ref.qualifier(), Optional.of(requested));
            environments.provision(version, requested);
            return view(config, version);
        });
    }

    /** GetProvisionedConcurrencyConfig. */
    public View get(FunctionRef ref) {
        requirePublished(ref);
        FunctionRecord version = resolve(ref);
        ProvisionedConcurrencyRecord config = stored(ref).orElseThrow(() -> new LambdaException(
                ErrorType.ProvisionedConcurrencyConfigNotFoundException,
                "No Provisioned Concurrency Config found for this function"));
        return view(config, version);
    }

    /** ListProvisionedConcurrencyConfigs: every configuration of the function, in qualifier order. */
    public List<View> list(FunctionRef function) {
        if (function.isQualified()) {
            function = new FunctionRef(function.name(), "");
        }
        functions.get(function);
        List<View> views = new ArrayList<>();
        for (ProvisionedConcurrencyRecord config : configs.getOrDefault(function.name(), Map.of()).values()) {
            target(config.functionName(), config.qualifier()).ifPresent(version -> views.add(view(config, version)));
        }
        views.sort(java.util.Comparator.comparing(View::qualifier));
        return views;
    }

    /** DeleteProvisionedConcurrencyConfig: deleting none is no error, as on AWS. */
    public void delete(FunctionRef ref) {
        requirePublished(ref);
        FunctionRecord version = resolve(ref);
        ledger.change(() -> {
            if (stored(ref).isPresent()) {
                forget(ref.name(), ref.qualifier());
                environments.provision(version, 0);
            }
            return null;
        });
    }

    /** A deleted published version takes the configuration on it along. */
    @Override
    public void versionRetired(String functionName, String version) {
        if (configs.getOrDefault(functionName, Map.of()).containsKey(version)) {
            ledger.change(() -> {
                forget(functionName, version);
                return null;
            });
        }
    }

    /** The store deleted the function's configurations with it (and the ledger forgets them). */
    @Override
    public void functionDeleted(String functionName) {
        configs.remove(functionName);
    }

    private void forget(String functionName, String qualifier) {
        repository.deleteProvisioned(functionName, qualifier);
        configs.computeIfPresent(functionName, (f, byQualifier) -> {
            byQualifier.remove(qualifier);
            return byQualifier.isEmpty() ? null : byQualifier;
        });
        ledger.recordProvisioned(functionName, qualifier, Optional.empty());
    }

    private View view(ProvisionedConcurrencyRecord config, FunctionRecord version) {
        return new View(config.functionName(), config.qualifier(), config.requested(),
                environments.provisionedStatus(version.name(), version.version()), config.lastModified());
    }

    private Optional<ProvisionedConcurrencyRecord> stored(FunctionRef ref) {
        return Optional.ofNullable(configs.getOrDefault(ref.name(), Map.of()).get(ref.qualifier()));
    }

    /** The version a stored configuration provisions, if its version or alias still exists. */
    private Optional<FunctionRecord> target(String functionName, String qualifier) {
        try {
            return Optional.of(resolve(new FunctionRef(functionName, qualifier)));
        } catch (LambdaException e) {
            return Optional.empty();
        }
    }

    /** The version a qualifier names, or the one an alias points to; AWS's not-found errors otherwise. */
    private FunctionRecord resolve(FunctionRef ref) {
        if (ref.namesAlias()) {
            AliasRecord alias = alias(ref).orElseThrow(() -> new LambdaException(ErrorType.ResourceNotFoundException,
                    "Cannot find alias arn: " + functions.arn(ref.qualifiedName())));
            return functions.version(ref.name(), alias.functionVersion()).orElseThrow(() -> notFound(ref));
        }
        return functions.version(ref.name(), ref.qualifier()).orElseThrow(() -> notFound(ref));
    }

    private Optional<AliasRecord> alias(FunctionRef ref) {
        return functions.version(ref.name(), FunctionRef.LATEST).isEmpty() ? Optional.empty()
                : functions.aliases().find(ref.name(), ref.qualifier());
    }

    /** A version and an alias to it cannot both be provisioned, as on AWS. */
    private void requireNoOverlap(FunctionRef ref, FunctionRecord version) {
        Map<String, ProvisionedConcurrencyRecord> ofFunction = configs.getOrDefault(ref.name(), Map.of());
        if (ref.namesAlias() && ofFunction.containsKey(version.version())) {
            throw new LambdaException(ErrorType.ResourceConflictException, "Alias can't be used for Provisioned"
                    + " Concurrency configuration on an already Provisioned version");
        }
        if (!ref.namesAlias()) {
            for (String qualifier : ofFunction.keySet()) {
                Optional<AliasRecord> alias = new FunctionRef(ref.name(), qualifier).namesAlias()
                        ? functions.aliases().find(ref.name(), qualifier) : Optional.empty();
                if (alias.isPresent() && alias.get().functionVersion().equals(version.version())) {
                    throw new LambdaException(ErrorType.ResourceConflictException,
                            "Version is pointed by a Provisioned Concurrency alias");
                }
            }
        }
    }

    private static void requirePublished(FunctionRef ref) {
        if (ref.namesLatest()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException,
                    "The function resource provided must be an alias or a published version.");
        }
    }

    private LambdaException notFound(FunctionRef ref) {
        return new LambdaException(ErrorType.ResourceNotFoundException,
                "Function not found: " + functions.arn(ref.qualifiedName()));
    }
}

package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.control.ProvisionedEnvironments.ProvisionedStatus;
import dev.kindling.store.AliasRecord;
import dev.kindling.store.ConcurrencyRepository;
import dev.kindling.store.FunctionRecord;
import dev.kindling.store.ProvisionedConcurrencyRecord;
import dev.kindling.telemetry.ProvisionedCapacity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>A configuration on an alias provisions the version the alias points to, and moves with the alias; it goes when
 * the alias is deleted.
 * Versions and aliases are looked up before the ledger's lock is taken, never under it (see
 * {@link ReservedConcurrency}).
 */
public final class ProvisionedConcurrency implements FunctionChangeListener, AliasChangeListener, ProvisionedCapacity {
    private final ConcurrencyRepository repository;
    private final FunctionService functions;
    private final ConcurrencyLedger ledger;
    private final ProvisionedEnvironments environments;
    private final Clock clock;
    /** The stored configurations, by function name and then qualifier. */
    private final Map<String, Map<String, ProvisionedConcurrencyRecord>> configs = new ConcurrentHashMap<>();
    /** The version each configuration provisions now, by {@code function:qualifier}. */
    private final Map<String, FunctionRecord> provisionedVersions = new ConcurrentHashMap<>();

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
                target(config.functionName(), config.qualifier()).ifPresent(version -> provision(config, version));
            }
        }
    }

    /** The configurations in force and the versions they provision now, for metering. */
    @Override
    public List<Configured> configuredNow() {
        List<Configured> now = new ArrayList<>();
        provisionedVersions.forEach((key, version) -> {
            String qualifier = key.substring(version.name().length() + 1);
            ProvisionedConcurrencyRecord config = configs.getOrDefault(version.name(), Map.of()).get(qualifier);
            if (config != null && !version.version().equals(FunctionRef.LATEST)) {
                now.add(new Configured(version.name(), version.version(), version.architectures().getFirst(),
                        version.memoryMb(), config.requested()));
            }
        });
        return now;
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
            provision(config, version);
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

    /** A page of configurations, and the marker of the next page if there is one. */
    public record Page(List<View> configs, Optional<String> nextMarker) {}

    /** ListProvisionedConcurrencyConfigs: the function's configurations in qualifier order, a page at a time. */
    public Page list(FunctionRef function, String marker, Integer maxItems) {
        int limit = maxItems == null ? 50 : maxItems;
        String after = PageMarkers.decode(marker, "ListProvisionedConcurrencyConfigs");
        functions.get(new FunctionRef(function.name(), ""));
        List<View> rest = new ArrayList<>();
        for (ProvisionedConcurrencyRecord config : configs.getOrDefault(function.name(), Map.of()).values()) {
            if (config.qualifier().compareTo(after) > 0) {
                target(config.functionName(), config.qualifier()).ifPresent(version -> rest.add(view(config, version)));
            }
        }
        rest.sort(Comparator.comparing(View::qualifier));
        Optional<String> next = rest.size() > limit
                ? Optional.of(PageMarkers.encode(rest.get(limit - 1).qualifier())) : Optional.empty();
        return new Page(rest.subList(0, Math.min(limit, rest.size())), next);
    }

    /** DeleteProvisionedConcurrencyConfig: deleting none is no error, as on AWS. */
    public void delete(FunctionRef ref) {
        requirePublished(ref);
        resolve(ref); // a version or alias that does not exist is AWS's not-found error, even with no configuration
        ledger.change(() -> {
            if (stored(ref).isPresent()) {
                forget(ref.name(), ref.qualifier());
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
        provisionedVersions.keySet().removeIf(key -> key.startsWith(functionName + ":"));
    }

    /** An alias's configuration moves with it to the version it now points to, and goes when it is deleted. */
    @Override
    public void aliasChanged(String functionName, String aliasName) {
        Optional<ProvisionedConcurrencyRecord> config = stored(new FunctionRef(functionName, aliasName));
        if (config.isEmpty()) {
            return;
        }
        Optional<FunctionRecord> now = target(functionName, aliasName);
        ledger.change(() -> {
            if (now.isEmpty()) {
                forget(functionName, aliasName);
            } else {
                provision(config.get(), now.get());
            }
            return null;
        });
    }

    /** Has the environments of {@code version} kept for the configuration, and lets any it provisioned before go. */
    private void provision(ProvisionedConcurrencyRecord config, FunctionRecord version) {
        FunctionRecord before = provisionedVersions.put(config.functionName() + ":" + config.qualifier(), version);
        if (before != null && !before.qualifiedName().equals(version.qualifiedName())) {
            environments.provision(before, 0);
        }
        if (!version.version().equals(FunctionRef.LATEST)) { // an alias moved to $LATEST keeps nothing warm
            environments.provision(version, config.requested());
        }
    }

    private void forget(String functionName, String qualifier) {
        FunctionRecord provisionedVersion = provisionedVersions.remove(functionName + ":" + qualifier);
        if (provisionedVersion != null) {
            environments.provision(provisionedVersion, 0);
        }
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

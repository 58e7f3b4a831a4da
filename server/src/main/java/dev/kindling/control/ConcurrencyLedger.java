package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.ConcurrencyRepository;
import dev.kindling.store.ProvisionedConcurrencyRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The account's concurrency in numbers: what each function reserved, what its versions and aliases keep provisioned,
 * and what is left unreserved. A function's provisioned concurrency comes out of its reservation when it has one, else
 * out of the account's unreserved pool; AWS keeps at least {@value #MINIMUM_UNRESERVED} unreserved.
 *
 * <p>{@link ReservedConcurrency} and {@link ProvisionedConcurrency} make their changes through {@link #change}: check
 * here, write to the store, then record here, under one lock, so two changes never both pass a check that together
 * they break. The invoke path reads without the lock, from concurrent maps.
 */
public final class ConcurrencyLedger implements ConcurrencyReservations {
    /** The least unreserved concurrency AWS lets an account keep. */
    public static final int MINIMUM_UNRESERVED = 100;

    private final int accountLimit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> reserved = new ConcurrentHashMap<>();
    /** Provisioned concurrency by function, then by the qualifier its configuration names. */
    private final Map<String, Map<String, Integer>> provisioned = new ConcurrentHashMap<>();
    /** Reserved, plus provisioned of functions without a reservation: what the unreserved pool lacks. */
    private volatile int setAside;

    /** The ledger of what {@code repository} holds, for an account of {@code accountLimit}. */
    public ConcurrencyLedger(ConcurrencyRepository repository, int accountLimit) {
        this.accountLimit = accountLimit;
        reserved.putAll(repository.allReserved());
        for (ProvisionedConcurrencyRecord config : repository.allProvisioned()) {
            provisioned.computeIfAbsent(config.functionName(), f -> new ConcurrentHashMap<>())
                    .put(config.qualifier(), config.requested());
        }
        setAside = computeSetAside();
    }

    public int accountLimit() {
        return accountLimit;
    }

    @Override
    public int unreservedPool() {
        return accountLimit - setAside;
    }

    @Override
    public Optional<Integer> reservedFor(String functionName) {
        return Optional.ofNullable(reserved.get(functionName));
    }

    @Override
    public int provisionedFor(String functionName) {
        Map<String, Integer> configs = provisioned.get(functionName);
        return configs == null ? 0 : configs.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Runs a check-store-record sequence alone. */
    <T> T change(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses a reservation that would leave too little unreserved, or less than the function keeps provisioned. */
    void requireReservationFits(String functionName, int value) {
        int withoutIt = setAside - reserved.getOrDefault(functionName, 0)
                - (reserved.containsKey(functionName) ? 0 : provisionedFor(functionName));
        if (accountLimit - withoutIt - value < MINIMUM_UNRESERVED) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Specified"
                    + " ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution"
                    + " below its minimum value of [" + MINIMUM_UNRESERVED + "].");
        }
        int provisionedTotal = provisionedFor(functionName);
        if (value < provisionedTotal) {
            // AWS's words, spacing included.
            throw new LambdaException(ErrorType.InvalidParameterValueException, " ReservedConcurrentExecutions  "
                    + value + " should not be lower than function's total provisioned concurrency ["
                    + provisionedTotal + "].");
        }
    }

    /** Refuses provisioned concurrency beyond the function's reservation or the account's unreserved pool. */
    void requireProvisionedFits(String functionName, String qualifier, int value) {
        int current = provisioned.getOrDefault(functionName, Map.of()).getOrDefault(qualifier, 0);
        int others = provisionedFor(functionName) - current;
        Optional<Integer> reservation = reservedFor(functionName);
        if (reservation.isPresent() && others + value > reservation.get()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Requested Provisioned Concurrency"
                    + " should not be greater than the reservedConcurrentExecution for function");
        }
        if (value > accountLimit) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Specified ConcurrentExecutions for"
                    + " function is greater than account's unreserved concurrency [" + accountLimit + "].");
        }
        if (reservation.isEmpty() && unreservedPool() + current - value < MINIMUM_UNRESERVED) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "Specified ConcurrentExecutions for"
                    + " function decreases account's UnreservedConcurrentExecution below its minimum value of ["
                    + MINIMUM_UNRESERVED + "].");
        }
    }

    /** Records a reservation (empty: none), once the store has it. */
    void recordReserved(String functionName, Optional<Integer> value) {
        value.ifPresentOrElse(v -> reserved.put(functionName, v), () -> reserved.remove(functionName));
        setAside = computeSetAside();
    }

    /** Records a version's or alias's provisioned concurrency (empty: none), once the store has it. */
    void recordProvisioned(String functionName, String qualifier, Optional<Integer> value) {
        if (value.isPresent()) {
            provisioned.computeIfAbsent(functionName, f -> new ConcurrentHashMap<>()).put(qualifier, value.get());
        } else {
            provisioned.computeIfPresent(functionName, (f, configs) -> {
                configs.remove(qualifier);
                return configs.isEmpty() ? null : configs;
            });
        }
        setAside = computeSetAside();
    }

    /** A deleted function's settings went with it from the store: they leave the ledger too. */
    void forget(String functionName) {
        reserved.remove(functionName);
        provisioned.remove(functionName);
        setAside = computeSetAside();
    }

    /** The provisioned configurations of a function, by qualifier. */
    Map<String, Integer> provisionedConfigs(String functionName) {
        return new HashMap<>(provisioned.getOrDefault(functionName, Map.of()));
    }

    private int computeSetAside() {
        int total = reserved.values().stream().mapToInt(Integer::intValue).sum();
        for (var function : provisioned.entrySet()) {
            if (!reserved.containsKey(function.getKey())) {
                total += function.getValue().values().stream().mapToInt(Integer::intValue).sum();
            }
        }
        return total;
    }
}

package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.ConcurrencyRepository;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reserved concurrency (PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency): the share of the
 * account's concurrency a function sets aside for itself, which is also its cap, for all its versions. The rest of
 * the account's limit is the unreserved pool the other functions share; AWS keeps at least
 * {@value #MINIMUM_UNRESERVED} in it, so a reservation that would leave less is refused. A reservation of 0 stops
 * every invocation of the function.
 *
 * <p>Changes are serialised by one lock and written to the store before memory, so the invoke path (which reads
 * memory only) sees a reservation once it is durable; invocations that started before a change keep their slots.
 */
public final class ReservedConcurrency implements ConcurrencyReservations, FunctionChangeListener {
    /** The least unreserved concurrency AWS lets an account keep. */
    public static final int MINIMUM_UNRESERVED = 100;

    private final ConcurrencyRepository repository;
    private final FunctionService functions;
    private final int accountLimit;
    private final ReentrantLock changes = new ReentrantLock();
    private final Map<String, Integer> reservations = new ConcurrentHashMap<>();
    /** The sum of {@link #reservations}, kept with it under {@link #changes}. */
    private volatile int reservedTotal;

    /** @param accountLimit the account's concurrency limit (AWS's ConcurrentExecutions) */
    public ReservedConcurrency(ConcurrencyRepository repository, FunctionService functions, int accountLimit) {
        this.repository = repository;
        this.functions = functions;
        this.accountLimit = accountLimit;
        reservations.putAll(repository.allReserved());
        reservedTotal = reservations.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** The account's concurrency limit: GetAccountSettings' ConcurrentExecutions. */
    public int accountLimit() {
        return accountLimit;
    }

    /** What no function has reserved: GetAccountSettings' UnreservedConcurrentExecutions. */
    @Override
    public int unreservedPool() {
        return accountLimit - reservedTotal;
    }

    @Override
    public Optional<Integer> reservedFor(String functionName) {
        return Optional.ofNullable(reservations.get(functionName));
    }

    /** PutFunctionConcurrency: sets the function's reservation; returns it. */
    public int put(FunctionRef ref, int reserved) {
        if (reserved < 0) {
            throw ConstraintViolations.single(Integer.toString(reserved), "reservedConcurrentExecutions",
                    "Member must have value greater than or equal to 0");
        }
        requireUnqualified(ref);
        changes.lock();
        try {
            // AWS names $LATEST in this operation's not-found message.
            requireFunction(ref, ":$LATEST");
            int others = reservedTotal - reservations.getOrDefault(ref.name(), 0);
            if (accountLimit - others - reserved < MINIMUM_UNRESERVED) {
                throw new LambdaException(ErrorType.InvalidParameterValueException, "Specified"
                        + " ReservedConcurrentExecutions for function decreases account's"
                        + " UnreservedConcurrentExecution below its minimum value of [" + MINIMUM_UNRESERVED + "].");
            }
            if (!repository.putReserved(ref.name(), reserved)) {
                throw notFound(ref, ":$LATEST"); // deleted since it was looked up
            }
            remember(ref.name(), Optional.of(reserved));
            return reserved;
        } finally {
            changes.unlock();
        }
    }

    /** GetFunctionConcurrency: the function's reservation, empty when it has none. */
    public Optional<Integer> get(FunctionRef ref) {
        requireUnqualified(ref);
        requireFunction(ref, "");
        return reservedFor(ref.name());
    }

    /** DeleteFunctionConcurrency: the function shares the unreserved pool again. */
    public void delete(FunctionRef ref) {
        requireUnqualified(ref);
        changes.lock();
        try {
            requireFunction(ref, "");
            repository.deleteReserved(ref.name());
            remember(ref.name(), Optional.empty());
        } finally {
            changes.unlock();
        }
    }

    /** Reservations belong to the function as a whole, not to its versions. */
    @Override
    public void versionRetired(String functionName, String version) {}

    /** The store deleted the function's reservation with it; memory forgets it too. */
    @Override
    public void functionDeleted(String functionName) {
        changes.lock();
        try {
            remember(functionName, repository.reserved(functionName));
        } finally {
            changes.unlock();
        }
    }

    /** Sets what memory holds for the function; called under {@link #changes}, after the store has it. */
    private void remember(String functionName, Optional<Integer> reserved) {
        Integer before = reserved.isPresent() ? reservations.put(functionName, reserved.get())
                : reservations.remove(functionName);
        reservedTotal += reserved.orElse(0) - (before == null ? 0 : before);
    }

    /** AWS takes these operations on a function as a whole, never on a version or alias. */
    private static void requireUnqualified(FunctionRef ref) {
        if (ref.isQualified()) {
            throw new LambdaException(ErrorType.InvalidParameterValueException, "This operation is permitted on"
                    + " Lambda functions only. Aliases and versions do not support this operation. Please specify"
                    + " either a function name or an unqualified function ARN.");
        }
    }

    private void requireFunction(FunctionRef ref, String qualifierInMessage) {
        try {
            functions.get(ref);
        } catch (LambdaException e) {
            if (e.type() == ErrorType.ResourceNotFoundException) {
                throw notFound(ref, qualifierInMessage);
            }
            throw e;
        }
    }

    private LambdaException notFound(FunctionRef ref, String qualifierInMessage) {
        return new LambdaException(ErrorType.ResourceNotFoundException,
                "Function not found: " + functions.arn(ref.name()) + qualifierInMessage);
    }
}

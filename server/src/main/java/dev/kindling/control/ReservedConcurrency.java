package dev.kindling.control;

import dev.kindling.LambdaException;
import dev.kindling.LambdaException.ErrorType;
import dev.kindling.store.ConcurrencyRepository;
import java.util.Optional;

/**
 * Reserved concurrency (PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency): the share of the
 * account's concurrency a function sets aside for itself, which is also its cap, for all its versions. The rest of
 * the account's limit is the unreserved pool the other functions share ({@link ConcurrencyLedger} keeps the
 * numbers and AWS's minimum). A reservation of 0 stops every invocation of the function.
 *
 * <p>A change is written to the store before the ledger, so the invoke path (which reads the ledger) sees a
 * reservation once it is durable; invocations that started before a change keep their slots. The function is
 * looked up before the ledger's lock is taken: {@link FunctionService} tells its listeners of deletions under its own
 * lock, and they take the ledger's, so the ledger's lock is never held while waiting for FunctionService's.
 */
public final class ReservedConcurrency implements FunctionChangeListener {
    private final ConcurrencyRepository repository;
    private final FunctionService functions;
    private final ConcurrencyLedger ledger;

    public ReservedConcurrency(ConcurrencyRepository repository, FunctionService functions, ConcurrencyLedger ledger) {
        this.repository = repository;
        this.functions = functions;
        this.ledger = ledger;
    }

    /** PutFunctionConcurrency: sets the function's reservation; returns it. */
    public int put(FunctionRef ref, int reserved) {
        if (reserved < 0) {
            throw ConstraintViolations.single(Integer.toString(reserved), "reservedConcurrentExecutions",
                    "Member must have value greater than or equal to 0");
        }
        requireUnqualified(ref);
        // AWS names $LATEST in this operation's not-found message.
        requireFunction(ref, ":" + FunctionRef.LATEST);
        return ledger.change(() -> {
            ledger.requireReservationFits(ref.name(), reserved);
            if (!repository.putReserved(ref.name(), reserved)) {
                throw notFound(ref, ":" + FunctionRef.LATEST); // deleted since it was looked up
            }
            ledger.recordReserved(ref.name(), Optional.of(reserved));
            return reserved;
        });
    }

    /** GetFunctionConcurrency: the function's reservation, empty when it has none. */
    public Optional<Integer> get(FunctionRef ref) {
        requireUnqualified(ref);
        requireFunction(ref, "");
        return ledger.reservedFor(ref.name());
    }

    /** DeleteFunctionConcurrency: the function shares the unreserved pool again. */
    public void delete(FunctionRef ref) {
        requireUnqualified(ref);
        requireFunction(ref, "");
        ledger.change(() -> {
            repository.deleteReserved(ref.name());
            ledger.recordReserved(ref.name(), Optional.empty());
            return null;
        });
    }

    /** Reservations belong to the function as a whole, not to its versions. */
    @Override
    public void versionRetired(String functionName, String version) {}

    /** The store deleted the function's settings with it; the ledger forgets them too. */
    @Override
    public void functionDeleted(String functionName) {
        ledger.change(() -> {
            ledger.forget(functionName);
            return null;
        });
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

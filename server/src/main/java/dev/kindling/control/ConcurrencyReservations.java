package dev.kindling.control;

import java.util.Optional;

/**
 * What the invoke path reads of the account's concurrency, from memory, at the start of every invocation: whether
 * the function has a pool of its own, and how large the pool the others share is now.
 */
public interface ConcurrencyReservations {

    /** The function's reserved concurrency, or empty when it shares the account's unreserved pool. */
    Optional<Integer> reservedFor(String functionName);

    /** How many invocations the functions without a reservation may run at once, together. */
    int unreservedPool();
}

package dev.kindling.control;

import java.util.Optional;

/**
 * What the invoke path reads of the account's concurrency, from memory, at the start of every invocation: whether
 * the function has a pool of its own, how many of its invocations provisioned concurrency covers, and how large the
 * pool the others share is now.
 */
public interface ConcurrencyReservations {

    /** The function's reserved concurrency, or empty when it shares the account's unreserved pool. */
    Optional<Integer> reservedFor(String functionName);

    /**
     * The provisioned concurrency of all the function's versions and aliases: set aside for it already, so that many
     * of its invocations at once take nothing from the unreserved pool.
     */
    int provisionedFor(String functionName);

    /** How many invocations the functions without a reservation may run at once, together, beyond the provisioned. */
    int unreservedPool();
}

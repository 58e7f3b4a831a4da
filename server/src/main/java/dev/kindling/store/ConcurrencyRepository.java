package dev.kindling.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The concurrency settings of functions, as persisted. Each belongs to a function and goes when the function is
 * deleted. Every method is atomic.
 */
public interface ConcurrencyRepository {

    /** Every function's reserved concurrency, by function name: what is read once at start. */
    Map<String, Integer> allReserved();

    Optional<Integer> reserved(String functionName);

    /** Sets the function's reserved concurrency; false if no function of that name exists. */
    boolean putReserved(String functionName, int reserved);

    /** Removes the function's reserved concurrency, if it had one. */
    void deleteReserved(String functionName);

    /** Every provisioned concurrency configuration of every function: what is read once at start. */
    List<ProvisionedConcurrencyRecord> allProvisioned();

    /** Sets the configuration of the record's version or alias; false if no function of that name exists. */
    boolean putProvisioned(ProvisionedConcurrencyRecord config);

    /** Removes the configuration of a version or alias, if it had one. */
    void deleteProvisioned(String functionName, String qualifier);
}

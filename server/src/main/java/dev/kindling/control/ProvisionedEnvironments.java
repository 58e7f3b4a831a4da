package dev.kindling.control;

import dev.kindling.store.FunctionRecord;
import java.util.Optional;

/**
 * What control asks of whoever owns execution environments (the pool) for provisioned concurrency: control stores
 * the configuration and decides; the owner keeps that many environments of the version initialised, replaces the
 * ones that die, and tells how far it got.
 */
public interface ProvisionedEnvironments {
    /** AWS's StatusReason when the environments' init failed. */
    String INIT_FAILURE = "FUNCTION_ERROR_INIT_FAILURE";

    /** Keeps {@code count} environments of the version initialised ahead of traffic; 0 lets them go. */
    void provision(FunctionRecord version, int count);

    /** How the version's provisioned environments stand now. */
    ProvisionedStatus provisionedStatus(String functionName, String version);

    /** AWS's ProvisionedConcurrencyStatusEnum. */
    enum Status { IN_PROGRESS, READY, FAILED }

    /**
     * @param allocated the environments initialised and serving (AWS's Allocated- and
     *     AvailableProvisionedConcurrentExecutions)
     * @param reason why it FAILED (AWS's StatusReason), empty otherwise
     */
    record ProvisionedStatus(int allocated, Status status, Optional<String> reason) {}
}

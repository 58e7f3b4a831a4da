package dev.kindling.telemetry;

import java.util.List;

/** The provisioned concurrency configured now, which AWS bills for as long as it is configured. */
public interface ProvisionedCapacity {

    /**
     * Provisioned concurrency configured on one function version.
     *
     * @param environments the concurrency configured (AWS bills what is configured, not what is allocated)
     */
    record Configured(String functionName, String version, String architecture, int memoryMb, int environments) {}

    List<Configured> configuredNow();
}

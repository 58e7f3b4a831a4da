package dev.kindling.store;

import java.time.Instant;

/**
 * A provisioned concurrency configuration as stored: how many environments a version or alias of a function keeps
 * initialised.
 *
 * @param qualifier the version number or alias name the configuration was put on
 * @param requested RequestedProvisionedConcurrentExecutions
 * @param lastModified when the configuration was last put
 */
public record ProvisionedConcurrencyRecord(String functionName, String qualifier, int requested, Instant lastModified) {}

package dev.kindling.store;

/**
 * Which environments served an invocation: AWS prices the duration of invocations in environments kept for
 * provisioned concurrency lower than that of on-demand ones, and bills the provisioned concurrency itself apart.
 */
public enum Capacity {
    ON_DEMAND,
    PROVISIONED
}
